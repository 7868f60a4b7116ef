// AddressSpaceCopy.cs -- fork's memory: every page of the parent's lower half copied into a new space, with the same
// rights. An eager copy (no copy-on-write yet): simple and correct, at the cost of copying what an execve right
// after would throw away. It runs in the child's world, so the child's group pays for the pages, while the parent
// waits (its tables and pages must not change under the walk). The tables are read through the direct map.
using Kernel.Memory;

namespace Kernel.User
{
    public static unsafe class AddressSpaceCopy
    {
        private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;
        private const int UserSlots = 256;   // PML4 slots of the lower half

        /// <summary>Copies every mapped page of <paramref name="source"/> into <paramref name="target"/>; false when
        /// memory runs out (what was copied stays, freed with the target).</summary>
        public static bool Copy(UserAddressSpace source, UserAddressSpace target)
        {
            ulong* pml4 = (ulong*)DirectMap.Pointer(source.Root);
            for (int i = 0; i < UserSlots; i++)
                if ((pml4[i] & Paging.Present) != 0 && !CopyTable(pml4[i] & AddressMask, 2, (ulong)i << 39, target))
                    return false;
            target.BrkStart = source.BrkStart;
            target.BrkEnd = source.BrkEnd;
            target.MmapNext = source.MmapNext;
            return true;
        }

        // A table at `level` (2 = PDPT, 1 = page directory, 0 = page table) mapping from `base`.
        private static bool CopyTable(ulong table, int level, ulong baseAddress, UserAddressSpace target)
        {
            ulong* entries = (ulong*)DirectMap.Pointer(table);
            int shift = 12 + 9 * level;
            for (int i = 0; i < 512; i++)
            {
                ulong entry = entries[i];
                if ((entry & Paging.Present) == 0)
                    continue;
                ulong address = baseAddress + ((ulong)i << shift);
                if (level > 0)
                {
                    if (!CopyTable(entry & AddressMask, level - 1, address, target))
                        return false;
                    continue;
                }
                if (!target.MapCopy(address, (byte*)DirectMap.Pointer(entry & AddressMask), entry & (Paging.Writable | Paging.NoExecute)))
                    return false;
            }
            return true;
        }
    }
}
