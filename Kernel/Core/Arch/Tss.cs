// Tss.cs -- the task state segment (built in Kernel/Boot/boot.asm beside the GDT, one template): the CPU takes the
// kernel stack for an interrupt or exception from ring 3 from its RSP0 field, so the scheduler points it at the
// running world's kernel stack.
using Kernel.Boot;

namespace Kernel.Arch
{
    public static unsafe class Tss
    {
        private const int Rsp0Offset = 4;

        public static void SetKernelStack(ulong top) => *(ulong*)(ImageLayout.Current.Tss + Rsp0Offset) = top;

        public static ulong KernelStack => *(ulong*)(ImageLayout.Current.Tss + Rsp0Offset);
    }
}
