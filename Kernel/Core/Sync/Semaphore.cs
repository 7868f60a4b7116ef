// Semaphore.cs -- a counting semaphore: Wait takes a unit (blocking while none is left), Release returns units.
using Kernel.Arch;

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
            ulong flags = Cpu.SaveAndDisableInterrupts();
            while (_count == 0)
                _waiters.Wait();
            _count--;
            Cpu.RestoreInterrupts(flags);
        }

        public void Release(int units = 1)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            _count += units;
            for (int i = 0; i < units && _waiters.WakeOne(); i++)
            {
            }
            Cpu.RestoreInterrupts(flags);
        }
    }
}
