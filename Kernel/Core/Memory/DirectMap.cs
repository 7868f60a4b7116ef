// DirectMap.cs -- the kernel's window on physical memory: all of RAM (and, on request, device memory) is mapped at
// a fixed offset in the upper half, so a physical address becomes a usable pointer by one addition. Every
// physical -> virtual conversion in the kernel goes through ToVirtual/Pointer, and the reverse through ToPhysical,
// so nothing depends on physical and virtual addresses being equal (the lower half belongs to user worlds).
//
// The kernel's virtual memory map (docs/Memory.md):
//   0x0000000000000000 - 0x00007FFFFFFFFFFF  lower half: user address spaces (PML4 0-255), nothing of the kernel's
//   0xFFFF800000000000 - 0xFFFFBFFFFFFFFFFF  the direct map of physical memory (64 TiB, PML4 256-383)
//   0xFFFFC00000000000 - 0xFFFFC0FFFFFFFFFF  VirtualWindow: scattered pages seen as one span (1 TiB, PML4 384-385)
//   0xFFFFFFFF80000000 + 1 MiB ...           the kernel image (KernelImage.VirtualBase, PML4 511)
namespace Kernel.Memory
{
    public static unsafe class DirectMap
    {
        /// <summary>Where physical address 0 appears (boot.asm's DIRECT_MAP_PML4 slot).</summary>
        public const ulong Base = 0xFFFF_8000_0000_0000UL;

        /// <summary>The direct map's reach: physical addresses from 0 up to this (PML4 slots 256-383).</summary>
        public const ulong Size = 1UL << 46;

        /// <summary>The virtual address at which a physical address is seen (0 stays 0: "no address").</summary>
        public static ulong ToVirtual(ulong physical) => physical == 0 ? 0 : physical + Base;

        /// <summary>A pointer to physical memory (null for physical 0, which callers use as "none").</summary>
        public static void* Pointer(ulong physical) => (void*)ToVirtual(physical);

        /// <summary>Whether a virtual address lies in the direct map.</summary>
        public static bool Contains(ulong virtualAddress) => virtualAddress >= Base && virtualAddress - Base < Size;

        /// <summary>The physical address behind a direct-map or kernel-image address (0 for anything else).</summary>
        public static ulong ToPhysical(ulong virtualAddress)
        {
            if (Contains(virtualAddress))
                return virtualAddress - Base;
            if (KernelImage.Contains(virtualAddress))
                return KernelImage.ToPhysical(virtualAddress);
            return 0;
        }

        public static ulong ToPhysical(void* pointer) => ToPhysical((ulong)pointer);
    }
}
