// KernelInput.cs -- lets the shell sleep until a key or a serial byte arrives: drivers call Signal() from their
// interrupt handlers, the reader waits. Before the scheduler runs, waiting is a plain `sti; hlt`.
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.Console
{
    public static class KernelInput
    {
        private static Event s_available;

        /// <summary>Creates the event (needs the heap); called once the scheduler is up.</summary>
        public static void Initialize() => s_available = new Event();

        public static void Signal() => s_available?.Set();

        /// <summary>Waits for input; with a timeout (ticks) also returns when it passes, so a reader can look for
        /// other reasons to stop (a userworld's signal).</summary>
        public static void WaitForInput(ulong timeoutTicks = 0)
        {
            if (s_available == null || !Scheduler.IsRunning)
            {
                Arch.Cpu.EnableInterruptsAndHalt();
                return;
            }
            s_available.Wait(timeoutTicks);
        }
    }
}
