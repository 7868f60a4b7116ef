// Mutex.cs -- a sleeping lock with an owner. A kill waits until the owner has released its last mutex (so what the
// mutex protects is never left half-changed); a world forced to die holding one (Scheduler.KillNow) releases it to
// the next waiter, so a kill cannot deadlock the others.
using Kernel.Worlds;

namespace Kernel.Sync
{
    public sealed class Mutex
    {
        private readonly WaitQueue _waiters = new WaitQueue();
        private World _owner;

        public World Owner => _owner;
        public ulong Contentions { get; private set; }

        public void Lock()
        {
            ulong flags = SchedulerLock.Enter();
            World self = Scheduler.Current;
            while (_owner != null)
            {
                Contentions++;
                _waiters.Wait();
            }
            _owner = self;
            self?.HeldMutexes.Add(this);
            SchedulerLock.Exit(flags);
        }

        public bool TryLock()
        {
            ulong flags = SchedulerLock.Enter();
            bool taken = _owner == null;
            if (taken)
            {
                _owner = Scheduler.Current;
                _owner?.HeldMutexes.Add(this);
            }
            SchedulerLock.Exit(flags);
            return taken;
        }

        public void Unlock()
        {
            ulong flags = SchedulerLock.Enter();
            World owner = _owner;
            if (owner != null)
                Release(owner);
            SchedulerLock.Exit(flags);
            // A kill that arrived while the owner held mutexes takes effect at its last release (Scheduler.Kill).
            if (owner != null && owner.KillRequested && owner == Scheduler.Current)
                Scheduler.ExitIfKillPending();
        }

        /// <summary>Releases on behalf of a world (its owner, or a dying owner); interrupts must be off.</summary>
        internal void Release(World owner)
        {
            if (_owner != owner)
                return;
            owner.HeldMutexes.Remove(this);
            _owner = null;
            _waiters.WakeOne();
        }
    }
}
