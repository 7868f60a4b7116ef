// Tss.cs -- the task state segment (built in Kernel/Boot/boot.asm beside the GDT, one template): the CPU takes the
// kernel stack for an interrupt or exception from ring 3 from its RSP0 field, so the scheduler points it at the
// running world's kernel stack.
using Kernel.Boot;

namespace Kernel.Arch
{
    public static unsafe class Tss
    {
        private const int Rsp0Offset = 4;

        // Each CPU has its own TSS: cpu0 the image's, an AP the one in its startup block (PerCpu.TssOffset).
        private static byte* ThisCpusTss
        {
            get
            {
                byte* block = PerCpu.CurrentBlock;
                ulong tss = block == null ? 0 : *(ulong*)(block + PerCpu.TssOffset);
                return tss != 0 ? (byte*)tss : (byte*)ImageLayout.Current.Tss;
            }
        }

        public static void SetKernelStack(ulong top) => *(ulong*)(ThisCpusTss + Rsp0Offset) = top;

        public static ulong KernelStack => *(ulong*)(ThisCpusTss + Rsp0Offset);
    }
}
