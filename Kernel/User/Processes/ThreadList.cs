// ThreadList.cs -- the threads of one process (cartel): every world that runs its image and has not been reaped yet.
// The process ends -- files closed, address space freed, parent told -- when the last of them is reaped, not when
// the first exits: a thread that is still switching out runs on the space. Guarded by the scheduler's lock (short
// sections; it is also the lock every wait and wake is made under, so a thread's end and a futex wake-up agree),
// which makes it correct when the threads run on different CPUs.
using System.Collections.Generic;
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed class ThreadList
    {
        private readonly List<UserThread> _threads = new List<UserThread>();

        /// <summary>Set when the process is ending as a whole (exit_group, a fatal signal or fault in one thread): a
        /// thread that could not be killed in place (the one running the decision) exits at its next kernel exit.</summary>
        public bool GroupExiting { get; private set; }

        /// <summary>The status (Scheduler conventions) the threads of an ending process leave with.</summary>
        public int GroupExitStatus { get; private set; }

        public int Count
        {
            get
            {
                ulong flags = SchedulerLock.Enter();
                int count = _threads.Count;
                SchedulerLock.Exit(flags);
                return count;
            }
        }

        public UserThread Add(World world)
        {
            var thread = new UserThread { World = world };
            ulong flags = SchedulerLock.Enter();
            _threads.Add(thread);
            SchedulerLock.Exit(flags);
            return thread;
        }

        /// <summary>The record of <paramref name="world"/> (null if it is not one of these threads).</summary>
        public UserThread Find(World world)
        {
            ulong flags = SchedulerLock.Enter();
            UserThread found = null;
            for (int i = 0; i < _threads.Count && found == null; i++)
                if (_threads[i].World == world)
                    found = _threads[i];
            SchedulerLock.Exit(flags);
            return found;
        }

        /// <summary>Whether a thread other than <paramref name="self"/> is still alive (not dead, not reaped).</summary>
        public bool HasOthersAlive(World self)
        {
            ulong flags = SchedulerLock.Enter();
            bool any = false;
            for (int i = 0; i < _threads.Count && !any; i++)
                any = _threads[i].World != self && _threads[i].World.State != WorldState.Dead;
            SchedulerLock.Exit(flags);
            return any;
        }

        /// <summary>Any thread's world (null when none is left).</summary>
        public World AnyWorld()
        {
            ulong flags = SchedulerLock.Enter();
            World world = _threads.Count > 0 ? _threads[0].World : null;
            SchedulerLock.Exit(flags);
            return world;
        }

        /// <summary>The reap hook: forgets <paramref name="world"/>; true when no thread is left (the process is over).</summary>
        public bool Remove(World world, out UserThread removed)
        {
            removed = null;
            ulong flags = SchedulerLock.Enter();
            for (int i = 0; i < _threads.Count; i++)
                if (_threads[i].World == world)
                {
                    removed = _threads[i];
                    _threads.RemoveAt(i);
                    break;
                }
            bool last = _threads.Count == 0;
            SchedulerLock.Exit(flags);
            return last;
        }

        /// <summary>Ends every thread but the running one with <paramref name="status"/> (Scheduler conventions), and
        /// (unless <paramref name="processEnds"/> is false: execve) marks the process as ending so that the running one, if it is a thread of it, leaves at its next exit from
        /// the kernel. Killed threads are reaped at once (Scheduler.Kill), which removes them from the list.</summary>
        public void KillAllButCurrent(int status, bool processEnds = true)
        {
            World current = Scheduler.Current;
            ulong flags = SchedulerLock.Enter();
            if (processEnds && !GroupExiting)
            {
                GroupExitStatus = status;
                GroupExiting = true;
            }
            Killing++;
            var victims = new List<World>(_threads.Count);
            for (int i = 0; i < _threads.Count; i++)
                if (_threads[i].World != current && _threads[i].World.State != WorldState.Dead)
                    victims.Add(_threads[i].World);
            SchedulerLock.Exit(flags);
            for (int i = 0; i < victims.Count; i++)
                Scheduler.Kill(victims[i], status);
            flags = SchedulerLock.Enter();
            Killing--;
            SchedulerLock.Exit(flags);
        }

        /// <summary>Threads are being killed on purpose (KillAllButCurrent runs): their ends must not start another round.</summary>
        public int Killing { get; private set; }
    }
}
