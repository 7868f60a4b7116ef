// PerCpu.cs -- each CPU's own block of data, reached through its GS base (kernel GS while in the kernel), and the
// table of CPUs the kernel brought up (cpuN = the index here; cpu0 is the bootstrap CPU). The block's layout is
// fixed (assembly reads it through gs:): the offsets are the constants below. The userworld boundary keeps its
// syscall stack top and the user RSP scratch slot here too (swapgs at the user boundary).
using System.Threading;

namespace Kernel.Arch
{
    public static unsafe class PerCpu
    {
        public const int MaxCpus = 64;

        public const int SelfOffset = 0;              // u64: the block's own address (gs:[0] gives a plain pointer)
        public const int IndexOffset = 8;             // u32: N in cpuN
        public const int ApicIdOffset = 12;           // u32: the local APIC ID
        public const int SyscallStackTopOffset = 16;  // u64: the syscall entry's kernel stack (userworlds)
        public const int UserRspScratchOffset = 24;   // u64: the user RSP while the syscall entry switches stacks
        public const int TssOffset = 32;              // u64: this CPU's TSS (0: the image's, cpu0's)
        public const int BlockSize = 64;

        private const uint GsBaseMsr = 0xC0000101, KernelGsBaseMsr = 0xC0000102;

        private struct Table
        {
            public fixed ulong Blocks[MaxCpus];
        }

        private static Table s_blocks;
        private static int s_count;

        /// <summary>CPUs registered so far (each registered CPU is online).</summary>
        public static int Count => s_count;

        /// <summary>
        /// Adds a CPU with its block (BlockSize bytes of kernel memory, zeroed) and returns its index; -1 when the
        /// table is full. The bootstrap CPU registers first (cpu0). Called by one CPU at a time (bring-up is serial).
        /// </summary>
        public static int Register(byte* block, uint apicId)
        {
            if (s_count == MaxCpus)
                return -1;
            int index = s_count;
            *(ulong*)(block + SelfOffset) = (ulong)block;
            *(uint*)(block + IndexOffset) = (uint)index;
            *(uint*)(block + ApicIdOffset) = apicId;
            fixed (ulong* b = s_blocks.Blocks)
                b[index] = (ulong)block;
            Interlocked.Increment(ref s_count);
            return index;
        }

        /// <summary>Records the TSS a CPU loaded (an AP's own; cpu0 keeps the image's).</summary>
        public static void SetTss(byte* block, ulong tss) => *(ulong*)(block + TssOffset) = tss;

        /// <summary>Points this CPU's GS base at its block.</summary>
        public static void InstallOnThisCpu(byte* block)
        {
            Cpu.WriteMsr(GsBaseMsr, (ulong)block);
            // The locks ask GS which CPU they run on from now on (cpu0 installs first, before any AP starts).
            Internal.Runtime.ThisCpu.UsePerCpuBlocks();
        }

        public static uint ApicIdOf(int index)
        {
            fixed (ulong* b = s_blocks.Blocks)
                return *(uint*)(b[index] + ApicIdOffset);
        }

        /// <summary>The calling CPU's block, from its GS base (null before InstallOnThisCpu).</summary>
        public static byte* CurrentBlock => (byte*)Cpu.ReadMsr(GsBaseMsr);

        // cpu0's block when ApStartup could not give it one (no page at boot): a non-GC static, so its address
        // never changes.
        private struct FallbackBlock
        {
            public fixed byte Bytes[BlockSize];
        }

        private static FallbackBlock s_fallback;

        /// <summary>
        /// Makes the boot CPU ready for ring 3 (Kernel/User/UserCpuSetup): its GS base must point at its block, and
        /// KERNEL_GS_BASE holds the user's GS (0 for now) until the first `swapgs`. ApStartup registered cpu0 already;
        /// should it not have, the fallback block becomes cpu0.
        /// </summary>
        public static void InstallBoot()
        {
            if (CurrentBlock == null)
            {
                byte* block = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref s_fallback);
                Register(block, 0);
                InstallOnThisCpu(block);
            }
            Cpu.WriteMsr(KernelGsBaseMsr, 0);
        }

        /// <summary>Where the next `syscall` from ring 3 on this CPU switches its stack to (the running world's kernel
        /// stack top).</summary>
        public static void SetKernelStackTop(ulong top)
        {
            byte* block = CurrentBlock;
            if (block != null)
                *(ulong*)(block + SyscallStackTopOffset) = top;
        }
    }
}
