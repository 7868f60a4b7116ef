// WaitQueue.cs -- worlds blocked on a condition, woken in FIFO order. The building block of every primitive in
// Kernel.Sync. Callers hold the scheduler lock (SchedulerLock) around check-then-wait, so no wake-up can fall between the two.
using System.Collections.Generic;
using Kernel.Worlds;

namespace Kernel.Sync
{
    public sealed class WaitQueue
    {
        private readonly List<World> _waiters = new List<World>();

        public int Count => _waiters.Count;

        internal void Enqueue(World world) => _waiters.Add(world);

        internal bool Remove(World world) => _waiters.Remove(world);

        /// <summary>Blocks the current world until woken (true) or until the timeout in ticks passes (false).
        /// Must be called holding the scheduler lock; returns holding it.</summary>
        public bool Wait(ulong timeoutTicks = 0) => Scheduler.BlockCurrent(this, timeoutTicks);

        /// <summary>Wakes the longest waiter; false if there was none.</summary>
        public bool WakeOne()
        {
            if (_waiters.Count == 0)
                return false;
            World world = _waiters[0];
            _waiters.RemoveAt(0);
            Scheduler.MakeReady(world);
            return true;
        }

        public int WakeAll()
        {
            int woken = 0;
            while (WakeOne())
                woken++;
            return woken;
        }
    }
}
