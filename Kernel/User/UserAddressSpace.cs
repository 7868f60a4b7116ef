// UserAddressSpace.cs -- a cartel's address space: its own PML4 whose upper half is the kernel's (Paging
// .NewAddressSpace), and in the lower half only pages it owns: the ELF image, the stack, the brk heap and anonymous
// mmap regions. Pages are allocated zeroed when mapped (no demand paging yet), charged to the owning world's
// resource group (WorldMemory.ChargeUserPages: past its limit the mapping fails, and the OOM policy may kill), and
// all go back when the world is reaped (Paging.FreeAddressSpace). The kernel fills them through the direct map, so loading needs neither the
// address space loaded nor SMAP opened.
using System;
using Kernel.Memory;
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed unsafe class UserAddressSpace
    {
        public const ulong PageSize = PhysicalMemory.PageSize;
        /// <summary>Anonymous mmap regions are handed out downwards from here (below the stack).</summary>
        public const ulong MmapTop = 0x0000_7F00_0000_0000UL;
        /// <summary>The initial stack's top (the highest user page stays unmapped).</summary>
        public const ulong StackTop = 0x0000_7FFF_FFFF_0000UL;
        public const ulong StackPages = 64;          // 256 KiB, mapped up front
        public const ulong MaxBrkBytes = 1UL << 30;

        public ulong Root { get; private set; }
        public ulong BrkStart, BrkEnd;
        public ulong MmapNext = MmapTop;
        public ulong PagesMapped { get; private set; }
        /// <summary>The world whose group pays for the pages (null: not charged, e.g. in self-tests).</summary>
        public World Owner { get; private set; }

        /// <summary>A new space; with an owner, mapping runs in that world (it charges the current world).</summary>
        public static UserAddressSpace Create(World owner = null)
        {
            ulong root = Paging.NewAddressSpace();
            return root == 0 ? null : new UserAddressSpace { Root = root, Owner = owner };
        }

        public static ulong PageFloor(ulong address) => address & ~(PageSize - 1);
        public static ulong PageCeiling(ulong address) => (address + PageSize - 1) & ~(PageSize - 1);

        /// <summary>Maps zeroed pages over [start, end) (page-rounded); pages already mapped keep their contents and
        /// gain the new rights. False when memory runs out (what was mapped stays, freed with the space).</summary>
        public bool MapZeroed(ulong start, ulong end, bool writable, bool executable)
        {
            ulong flags = (writable ? Paging.Writable : 0) | (executable ? 0 : Paging.NoExecute);
            for (ulong page = PageFloor(start); page < PageCeiling(end); page += PageSize)
            {
                ulong existing = Paging.QueryUser(Root, page);
                if (existing != 0)
                {
                    ulong merged = (existing | (flags & Paging.Writable)) & (executable ? ~Paging.NoExecute : ~0UL);
                    Paging.MapUserPage(Root, page, existing & 0x000F_FFFF_FFFF_F000UL, merged);
                    continue;
                }
                if (Owner != null && !WorldMemory.ChargeUserPages(1))
                    return false;
                ulong physical = PhysicalMemory.AllocatePage();
                if (physical == 0 || !Paging.MapUserPage(Root, page, physical, flags))
                {
                    if (physical != 0)
                        PhysicalMemory.FreePages(physical, 1);
                    if (Owner != null)
                        WorldMemory.UnchargeUserPages(Owner, 1);
                    return false;
                }
                PagesMapped++;
            }
            return true;
        }

        /// <summary>Maps a new page at <paramref name="address"/> holding a copy of <paramref name="contents"/> (one page,
        /// kernel-readable), with the given Writable/NoExecute rights; charged like MapZeroed. False when out of memory.</summary>
        public bool MapCopy(ulong address, byte* contents, ulong rights)
        {
            if (Owner != null && !WorldMemory.ChargeUserPages(1))
                return false;
            ulong physical = PhysicalMemory.AllocatePage();
            if (physical == 0 || !Paging.MapUserPage(Root, address, physical, rights))
            {
                if (physical != 0)
                    PhysicalMemory.FreePages(physical, 1);
                if (Owner != null)
                    WorldMemory.UnchargeUserPages(Owner, 1);
                return false;
            }
            Buffer.MemoryCopy(contents, DirectMap.Pointer(physical), (long)PageSize, (long)PageSize);
            PagesMapped++;
            return true;
        }

        /// <summary>Sets the rights of the mapped pages of [start, end); false at the first page that is not mapped.</summary>
        public bool Protect(ulong start, ulong end, bool writable, bool executable)
        {
            ulong flags = (writable ? Paging.Writable : 0) | (executable ? 0 : Paging.NoExecute);
            for (ulong page = PageFloor(start); page < PageCeiling(end); page += PageSize)
            {
                ulong existing = Paging.QueryUser(Root, page);
                if (existing == 0)
                    return false;
                Paging.MapUserPage(Root, page, existing & 0x000F_FFFF_FFFF_F000UL, flags);
                TlbShootdown.UserRange(Root, page, page + PageSize);
            }
            return true;
        }

        /// <summary>Unmaps and frees the pages of [start, end) that are mapped.</summary>
        public void Unmap(ulong start, ulong end)
        {
            for (ulong page = PageFloor(start); page < PageCeiling(end); page += PageSize)
            {
                ulong physical = Paging.UnmapUserPage(Root, page);
                if (physical == 0)
                    continue;
                PhysicalMemory.FreePages(physical, 1);
                PagesMapped--;
                if (Owner != null)
                    WorldMemory.UnchargeUserPages(Owner, 1);
            }
        }

        /// <summary>Writes bytes at a user address through the direct map; false if a page is not mapped.</summary>
        public bool Write(ulong address, ReadOnlySpan<byte> data)
        {
            int done = 0;
            while (done < data.Length)
            {
                ulong at = address + (ulong)done;
                ulong entry = Paging.QueryUser(Root, at);
                if (entry == 0)
                    return false;
                int within = (int)(at & (PageSize - 1));
                int chunk = (int)PageSize - within;
                if (chunk > data.Length - done)
                    chunk = data.Length - done;
                byte* page = (byte*)DirectMap.Pointer(entry & 0x000F_FFFF_FFFF_F000UL);
                data.Slice(done, chunk).CopyTo(new Span<byte>(page + within, chunk));
                done += chunk;
            }
            return true;
        }

        /// <summary>The owning thread is reaped while others go on: the space's pages are given back through
        /// <paramref name="next"/> (same group) when it is freed, never through a pooled World object another world
        /// may reuse. Per-world counters then differ from what each thread charged; the group's total is exact.</summary>
        public void HandOver(World next)
        {
            if (Owner != null && next != null)
                Owner = next;
        }

        /// <summary>Gives every page and table back. The space must not be loaded on any CPU.</summary>
        public void Free()
        {
            if (Root == 0)
                return;
            Paging.FreeAddressSpace(Root);
            Root = 0;
            if (Owner != null)
                WorldMemory.UnchargeUserPages(Owner, PagesMapped);
            PagesMapped = 0;
        }
    }
}
