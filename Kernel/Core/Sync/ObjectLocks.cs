// ObjectLocks.cs -- `lock (obj)` for kernel code: System.Threading.Monitor's operations over a sleeping Mutex per
// locked object. A world that finds the object locked blocks on the mutex's wait queue (it does not spin and does not
// turn interrupts off while it waits); re-entry by the owner counts, as the BCL's Monitor does. The table from
// object to lock is keyed by identity and holds an object only while some world holds or waits for its lock. A world
// killed inside a lock releases the mutex (as for every mutex it holds), so the next waiter gets in.
// The table has its own spinlock (the outermost in the lock order: Mutex.TryLock/Unlock take the scheduler's lock
// inside it); the blocking part is the mutex, entered after the table's lock is let go.
using System.Collections.Generic;
using Internal.Runtime;
using Kernel.Worlds;

namespace Kernel.Sync
{
    public static unsafe class ObjectLocks
    {
        private sealed class ObjectLock
        {
            public readonly Mutex Mutex = new Mutex();
            public World Owner;
            public int Recursion;
            // Worlds holding or waiting; the entry leaves the table when none is left. A world killed while it
            // holds or waits never calls Exit, so dead ones (or pooled World objects reused since: the generation
            // differs) are dropped whenever the list is looked at.
            private readonly List<User> _users = new List<User>(2);

            private struct User
            {
                public World World;
                public ulong Generation;
            }

            public void AddUser(World world) => _users.Add(new User { World = world, Generation = world.Generation });

            /// <summary>Drops <paramref name="world"/> and every dead user; true when nobody is left.</summary>
            public bool DropUser(World world)
            {
                for (int i = _users.Count - 1; i >= 0; i--)
                {
                    User user = _users[i];
                    bool gone = user.World.State == WorldState.Dead || user.World.Generation != user.Generation;
                    if (gone || user.World == world)
                        _users.RemoveAt(i);
                }
                return _users.Count == 0;
            }
        }

        private static KernelLock s_lock;
        private static readonly Dictionary<object, ObjectLock> s_locks = new Dictionary<object, ObjectLock>(ReferenceEqualityComparer.Instance);

        public static void Install() => MonitorHooks.Install(&Enter, &Exit, &IsEntered);

        /// <summary>Locks currently held or waited for (the table's size; 0 when nobody is inside a lock).</summary>
        public static int Count => s_locks.Count;

        private static bool Enter(object obj, bool wait)
        {
            if (!Scheduler.IsRunning)
                return true;               // early boot: one thread
            World self = Scheduler.Current;
            var fresh = new ObjectLock();  // made outside the critical section (the table may still grow inside it)
            ObjectLock entry;
            ulong flags = s_lock.Enter(LockRank.ObjectLocks);
            if (!s_locks.TryGetValue(obj, out entry))
            {
                entry = fresh;
                s_locks.Add(obj, entry);
            }
            if (entry.Owner == self && entry.Recursion > 0)
            {
                entry.Recursion++;
                s_lock.Exit(flags);
                return true;
            }
            if (!wait)
            {
                // Taken inside the critical section: between a check and a later Lock another world could get in.
                bool taken = entry.Mutex.TryLock();
                if (taken)
                {
                    entry.AddUser(self);
                    entry.Owner = self;
                    entry.Recursion = 1;
                }
                else if (entry.DropUser(self))
                {
                    s_locks.Remove(obj);
                }
                s_lock.Exit(flags);
                return taken;
            }
            entry.AddUser(self);
            s_lock.Exit(flags);
            entry.Mutex.Lock();            // sleeps until the holder's Exit (or death) hands the mutex on
            flags = s_lock.Enter(LockRank.ObjectLocks);
            entry.Owner = self;            // a previous owner still named here died holding it (see DropUser)
            entry.Recursion = 1;
            s_lock.Exit(flags);
            return true;
        }

        private static bool Exit(object obj)
        {
            if (!Scheduler.IsRunning)
                return true;
            World self = Scheduler.Current;
            ulong flags = s_lock.Enter(LockRank.ObjectLocks);
            if (!s_locks.TryGetValue(obj, out ObjectLock entry) || entry.Owner != self || entry.Recursion == 0)
            {
                s_lock.Exit(flags);
                return false;
            }
            if (--entry.Recursion == 0)
            {
                entry.Owner = null;
                if (entry.DropUser(self))
                    s_locks.Remove(obj);
                entry.Mutex.Unlock();      // wakes one waiter, which takes the mutex when it runs
            }
            s_lock.Exit(flags);
            return true;
        }

        private static bool IsEntered(object obj)
        {
            if (!Scheduler.IsRunning)
                return true;
            ulong flags = s_lock.Enter(LockRank.ObjectLocks);
            bool held = s_locks.TryGetValue(obj, out ObjectLock entry) && entry.Owner == Scheduler.Current && entry.Recursion > 0;
            s_lock.Exit(flags);
            return held;
        }
    }
}
