// PageRun.cs -- virtually contiguous pages charged to a resource group: the memory behind an inflated tardisk and
// the scratch buffers of a live mount. Physically contiguous (seen through the direct map) when the page allocator has such a
// run, else single pages mapped side by side in the VirtualWindow. Refused past the group's limit (no panic).
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Resources;

namespace Kernel.VisorFs
{
    public sealed unsafe class PageRun
    {
        public ulong Address { get; private set; }
        public ulong Pages { get; private set; }
        public ResourceGroup Group { get; private set; }
        /// <summary>True when the pages are scattered and mapped into the VirtualWindow.</summary>
        public bool IsMapped => _physical != null;
        private ResourceGroupTree _tree;
        private ulong[] _physical;   // the scattered pages, when mapped

        public long Bytes => (long)(Pages * PhysicalMemory.PageSize);
        public byte* Pointer => (byte*)Address;

        /// <summary>Allocates at least <paramref name="bytes"/>; null with the refusing group when the charge or the allocation fails.</summary>
        public static PageRun TryAllocate(ResourceGroupTree tree, ResourceGroup group, long bytes, out ResourceGroup refused)
            => TryAllocate(tree, group, bytes, false, out refused);

        /// <summary>As above; <paramref name="scattered"/> skips the contiguous attempt (self-tests use it).</summary>
        internal static PageRun TryAllocate(ResourceGroupTree tree, ResourceGroup group, long bytes, bool scattered, out ResourceGroup refused)
        {
            refused = null;
            if (bytes <= 0)
                bytes = 1;
            ulong pages = ((ulong)bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            long charged = (long)(pages * PhysicalMemory.PageSize);
            ulong flags = GroupsLock.Enter();
            refused = tree.TryCharge(group, charged);
            GroupsLock.Exit(flags);
            if (refused != null)
                return null;
            ulong address = scattered ? 0 : DirectMap.ToVirtual(PhysicalMemory.AllocatePages(pages));
            if (address == 0)
            {
                PageRun mapped = TryMapScattered(pages);
                if (mapped != null)
                {
                    mapped.Group = group;
                    mapped._tree = tree;
                    return mapped;
                }
                flags = GroupsLock.Enter();
                tree.Uncharge(group, charged);
                GroupsLock.Exit(flags);
                refused = group;
                return null;
            }
            return new PageRun { Address = address, Pages = pages, Group = group, _tree = tree };
        }

        /// <summary>Single pages mapped side by side in the VirtualWindow; null if pages, tables or window run out.</summary>
        internal static PageRun TryMapScattered(ulong pages)
        {
            if (pages > int.MaxValue)
                return null;
            var physical = new ulong[pages];
            ulong virtualStart = VirtualWindow.Reserve(pages);
            ulong got = 0;
            ulong flags = Paging.Writable | (Paging.NoExecuteEnabled ? Paging.NoExecute : 0);
            if (virtualStart != 0)
            {
                for (; got < pages; got++)
                {
                    ulong page = PhysicalMemory.AllocatePage();
                    if (page == 0)
                        break;
                    physical[got] = page;
                    ulong at = virtualStart + got * PhysicalMemory.PageSize;
                    Paging.MapPage(at, page, flags);
                    if (Paging.Query(at) == 0)
                    {
                        PhysicalMemory.FreePages(page, 1);
                        break;   // no page for a page table
                    }
                }
            }
            if (got == pages)
                return new PageRun { Address = virtualStart, Pages = pages, _physical = physical };
            Unmap(virtualStart, physical, got);
            if (virtualStart != 0)
                VirtualWindow.Release(virtualStart, pages);
            return null;
        }

        private static void Unmap(ulong virtualStart, ulong[] physical, ulong count)
        {
            for (ulong i = 0; i < count; i++)
            {
                Paging.Unmap(virtualStart + i * PhysicalMemory.PageSize);
                PhysicalMemory.FreePages(physical[i], 1);
            }
        }

        /// <summary>Gives the pages back and uncharges them; the object may be dropped afterwards.</summary>
        public void Free()
        {
            if (Address == 0)
                return;
            if (_physical != null)
            {
                Unmap(Address, _physical, Pages);
                VirtualWindow.Release(Address, Pages);
                _physical = null;
            }
            else
            {
                PhysicalMemory.FreePages(DirectMap.ToPhysical(Address), Pages);
            }
            ulong flags = GroupsLock.Enter();
            _tree.Uncharge(Group, Bytes);
            GroupsLock.Exit(flags);
            Address = 0;
            Pages = 0;
        }
    }
}
