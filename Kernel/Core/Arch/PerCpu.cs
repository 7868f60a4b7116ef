// PerCpu.cs -- the per-CPU block the GS base points at while the CPU runs kernel code: what the `syscall` entry
// (Kernel/Boot/user.asm) needs before it has a stack. `swapgs` at every ring 3 crossing keeps the user's GS out of
// the kernel's way. The offsets are fixed because the assembly uses them (PERCPU_* in user.asm); new fields go at
// the end (SMP adds one block per CPU and points each CPU's GS base at its own).
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernel.Arch
{
    [StructLayout(LayoutKind.Sequential)]
    public struct PerCpuBlock
    {
        public ulong Self;              // PerCpu.SelfOffset: the block's own address
        public ulong KernelStackTop;    // PerCpu.KernelStackTopOffset: the running world's kernel stack top
        public ulong UserRsp;           // PerCpu.UserRspOffset: scratch for the syscall entry
        public ulong CpuNumber;         // PerCpu.CpuNumberOffset
    }

    public static unsafe class PerCpu
    {
        public const int SelfOffset = 0, KernelStackTopOffset = 8, UserRspOffset = 16, CpuNumberOffset = 24;

        private const uint GsBaseMsr = 0xC0000101, KernelGsBaseMsr = 0xC0000102;

        private static PerCpuBlock s_boot;   // the boot CPU's block (a non-GC static: its address never changes)

        public static PerCpuBlock* Boot => (PerCpuBlock*)Unsafe.AsPointer(ref s_boot);

        /// <summary>Points this CPU's GS base at its block (the user's GS, 0 for now, waits in KERNEL_GS_BASE).</summary>
        public static void InstallBoot()
        {
            PerCpuBlock* block = Boot;
            block->Self = (ulong)block;
            block->CpuNumber = 0;
            Cpu.WriteMsr(GsBaseMsr, (ulong)block);
            Cpu.WriteMsr(KernelGsBaseMsr, 0);
        }

        /// <summary>Where the next `syscall` from ring 3 switches its stack to (the running world's kernel stack).</summary>
        public static void SetKernelStackTop(ulong top) => Boot->KernelStackTop = top;
    }
}
