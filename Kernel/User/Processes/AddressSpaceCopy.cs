// AddressSpaceCopy.cs -- fork's memory: every page of the parent's lower half copied into a new space, with the same
// rights. An eager copy (no copy-on-write yet): simple and correct, at the cost of copying what an execve right
// after would throw away. It runs in the child's world, so the child's group pays for the pages, while the parent
// waits (its tables and pages must not change under the walk). The tables are read through the direct map.
using Kernel.Memory;

namespace Kernel.User
{
    public static unsafe class AddressSpaceCopy
    {
        /// <summary>Copies every mapped page of <paramref name="source"/> into <paramref name="target"/>; false when
        /// memory runs out (what was copied stays, freed with the target).</summary>
        public static bool Copy(UserAddressSpace source, UserAddressSpace target)
        {
            if (!Paging.ForEachUserPage(source.Root, target, &CopyPage))
                return false;
            target.BrkStart = source.BrkStart;
            target.BrkEnd = source.BrkEnd;
            target.MmapNext = source.MmapNext;
            return true;
        }

        private static bool CopyPage(object target, ulong address, ulong entry)
            => ((UserAddressSpace)target).MapCopy(address, (byte*)DirectMap.Pointer(Paging.FrameOf(entry)), entry & (Paging.Writable | Paging.NoExecute));
    }
}
