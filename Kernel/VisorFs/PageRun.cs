// PageRun.cs -- physically contiguous, identity-mapped pages charged to a resource group: the memory behind an
// inflated tardisk and the scratch buffers of a live mount. Refused past the group's limit (no panic).
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
        private ResourceGroupTree _tree;

        public long Bytes => (long)(Pages * PhysicalMemory.PageSize);
        public byte* Pointer => (byte*)Address;

        /// <summary>Allocates at least <paramref name="bytes"/>; null with the refusing group when the charge or the allocation fails.</summary>
        public static PageRun TryAllocate(ResourceGroupTree tree, ResourceGroup group, long bytes, out ResourceGroup refused)
        {
            refused = null;
            if (bytes <= 0)
                bytes = 1;
            ulong pages = ((ulong)bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            long charged = (long)(pages * PhysicalMemory.PageSize);
            ulong flags = Cpu.SaveAndDisableInterrupts();
            refused = tree.TryCharge(group, charged);
            Cpu.RestoreInterrupts(flags);
            if (refused != null)
                return null;
            ulong address = PhysicalMemory.AllocatePages(pages);
            if (address == 0)
            {
                flags = Cpu.SaveAndDisableInterrupts();
                tree.Uncharge(group, charged);
                Cpu.RestoreInterrupts(flags);
                refused = group;
                return null;
            }
            return new PageRun { Address = address, Pages = pages, Group = group, _tree = tree };
        }

        /// <summary>Gives the pages back and uncharges them; the object may be dropped afterwards.</summary>
        public void Free()
        {
            if (Address == 0)
                return;
            PhysicalMemory.FreePages(Address, Pages);
            ulong flags = Cpu.SaveAndDisableInterrupts();
            _tree.Uncharge(Group, Bytes);
            Cpu.RestoreInterrupts(flags);
            Address = 0;
            Pages = 0;
        }
    }
}
