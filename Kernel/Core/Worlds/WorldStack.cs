// WorldStack.cs -- a world's kernel stack: contiguous pages with an unmapped guard page below (an overflow
// faults instead of corrupting the neighbour), and the world's control block (saved stack pointer, FPU/SSE area)
// at the top. Pages are charged to the world's resource group by the caller.
using Kernel.Memory;

namespace Kernel.Worlds
{
    public unsafe struct WorldControl
    {
        public ulong SavedRsp;
        public ulong Padding;
        public fixed byte Fpu[512];   // fxsave area: 16-byte aligned because the block is
    }

    internal static unsafe class WorldStack
    {
        public const ulong StackPages = 16;                     // 64 KiB
        public const ulong TotalPages = StackPages + 1;          // plus the guard page

        /// <summary>Allocates guard + stack; returns the base (the guard page's direct-map address) or 0 when memory
        /// is short.</summary>
        public static ulong Allocate()
        {
            ulong guard = DirectMap.ToVirtual(PhysicalMemory.AllocatePages(TotalPages));
            if (guard == 0)
                return 0;
            Paging.Unmap(guard);
            return guard;
        }

        public static WorldControl* Control(ulong stackBase) => (WorldControl*)(Top(stackBase) - (ulong)sizeof(WorldControl));

        /// <summary>First address above the usable stack (the control block sits just below it).</summary>
        public static ulong Top(ulong stackBase) => stackBase + TotalPages * PhysicalMemory.PageSize;

        /// <summary>Highest address the stack itself may use (16-byte aligned, below the control block).</summary>
        public static ulong StackTop(ulong stackBase) => ((ulong)Control(stackBase)) & ~15UL;

        public static void Free(ulong stackBase)
        {
            // Map the guard page back first: a page returned to the allocator must be reachable again.
            ulong physical = DirectMap.ToPhysical(stackBase);
            Paging.MapPage(stackBase, physical, Paging.Writable | (Paging.NoExecuteEnabled ? Paging.NoExecute : 0));
            Arch.Cpu.InvalidatePage(stackBase);
            PhysicalMemory.FreePages(physical, TotalPages);
        }
    }
}
