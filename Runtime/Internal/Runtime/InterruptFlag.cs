// InterruptFlag.cs -- this CPU's interrupt flag for the core library (the kernel's Cpu class is above it):
// save-and-disable and restore, as the instructions in Kernel/Boot/cpu.asm.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static class InterruptFlag
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_irq_save")]
        public static extern ulong SaveAndDisable();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_write_rflags")]
        public static extern void Restore(ulong flags);
    }
}
