// Semaphore.cs -- a counting semaphore: Wait takes a unit (blocking while none is left), Release returns units.

namespace Kernel.Sync
{
    public sealed class Semaphore
    {
        private readonly WaitQueue _waiters = new WaitQueue();
        private int _count;

        public Semaphore(int initialCount) => _count = initialCount;

        public int Count => _count;

        public void Wait()
        {
            ulong flags = SchedulerLock.Enter();
            while (_count == 0)
                _waiters.Wait();
            _count--;
            SchedulerLock.Exit(flags);
        }

        public void Release(int units = 1)
        {
            ulong flags = SchedulerLock.Enter();
            _count += units;
            for (int i = 0; i < units && _waiters.WakeOne(); i++)
            {
            }
            SchedulerLock.Exit(flags);
        }
    }
}
