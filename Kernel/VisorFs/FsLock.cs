// FsLock.cs -- the one lock of VisorFS: a recursive sleeping lock (a Mutex plus a depth) that every user of the
// overlaid root holds around a sequence of calls, because the shell, the log writer and cron run as separate
// preemptive worlds and a node found by one call must still exist at the next.
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.VisorFs
{
    public static class FsLock
    {
        private static readonly Mutex s_mutex = new Mutex();
        private static int s_depth;

        /// <summary>Takes the lock (again, if this world already holds it).</summary>
        public static void Enter()
        {
            World self = Scheduler.Current;
            if (self == null)
                return;   // before worlds exist there is nobody to race with
            if (s_mutex.Owner == self)
            {
                s_depth++;
                return;
            }
            s_mutex.Lock();
            s_depth = 1;
        }

        public static void Exit()
        {
            World self = Scheduler.Current;
            if (self == null || s_mutex.Owner != self)
                return;
            if (--s_depth == 0)
                s_mutex.Unlock();
        }

        public static bool IsHeld => s_mutex.Owner != null && s_mutex.Owner == Scheduler.Current;

        /// <summary>How many times this world holds the lock (0 if it does not).</summary>
        public static int Depth => IsHeld ? s_depth : 0;

        /// <summary>
        /// Gives the lock back down to <paramref name="depth"/> (from <see cref="Depth"/> taken before entering). For
        /// a request's finally block: an exception (out of memory) thrown between a nested Enter and its Exit skips
        /// that Exit, and the lock must not stay held by a command that is gone.
        /// </summary>
        public static void ExitTo(int depth)
        {
            while (Depth > depth)
                Exit();
        }
    }
}
