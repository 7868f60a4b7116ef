// Paging.cs -- the kernel's own 4-level page tables, replacing the boot stub's temporary maps.
//
// Layout (DirectMap.cs has the whole map): the lower half (PML4 slots 0-255) holds nothing of the kernel's, so a
// null dereference faults (and becomes NullReferenceException) and user address spaces can take it whole. Physical
// memory is seen through the direct map at DirectMap.Base: RAM, low memory, the boot loader's information and
// modules, read/write and no-execute, large pages where alignment allows. The image is mapped at its link address
// (KernelImage) with rights that follow its sections: text read+execute, rodata read-only, data/bss read+write, all
// but text no-execute when the CPU has NX; the guard page below every stack is left unmapped (overflows fault
// instead of corrupting). Device memory (LAPIC, ...) is mapped in the direct map on request, uncached; device
// memory found before these tables exist (the framebuffer) is registered early and mapped by Initialize. Page
// tables hold physical addresses and are reached through the direct map. User address spaces will share the
// kernel's upper-half PML4 entries.
using Kernel.Arch;
using Kernel.Boot;

namespace Kernel.Memory
{
    public static unsafe class Paging
    {
        public const ulong Present = 1UL << 0;
        public const ulong Writable = 1UL << 1;
        public const ulong User = 1UL << 2;
        public const ulong WriteThrough = 1UL << 3;
        public const ulong CacheDisable = 1UL << 4;
        public const ulong Huge = 1UL << 7;
        public const ulong Global = 1UL << 8;
        public const ulong NoExecute = 1UL << 63;
        private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;
        private const ulong HugeSize = 2UL << 20;
        private const uint EferMsr = 0xC0000080;
        private const ulong EferNoExecuteEnable = 1UL << 11;

        /// <summary>A fault below this address is a null dereference (a field or element at that offset from null);
        /// the kernel maps nothing in the lower half at all.</summary>
        public const ulong NullGuardBytes = 64 * 1024;

        private static ulong s_pml4;
        private static ulong s_noExecute;   // NoExecute when the CPU supports it, else 0

        public static ulong Root => s_pml4;
        public static bool NoExecuteEnabled => s_noExecute != 0;
        public static ulong TablePages { get; private set; }
        public static ulong MappedBytes { get; private set; }

        /// <summary>Builds and loads the kernel page tables. Returns an error message or null.</summary>
        public static string Initialize()
        {
            uint* r = stackalloc uint[4];
            Cpu.CpuId(0x80000000, 0, r);
            if (r[0] >= 0x80000001)
            {
                Cpu.CpuId(0x80000001, 0, r);
                if ((r[3] & (1u << 20)) != 0)
                {
                    Cpu.WriteMsr(EferMsr, Cpu.ReadMsr(EferMsr) | EferNoExecuteEnable);
                    s_noExecute = NoExecute;
                }
            }

            s_pml4 = NewTable();
            if (s_pml4 == 0)
                return "out of memory building page tables";

            // The direct map: every available region, low memory (BIOS areas, VGA), the firmware's ACPI regions,
            // the modules and the boot information, read/write, no-execute.
            for (int i = 0; i < BootInfo.RegionCount; i++)
            {
                MemoryRegion region = BootInfo.Region(i);
                if (region.Type == MemoryRegionType.Available || region.Type == MemoryRegionType.AcpiReclaimable || region.Type == MemoryRegionType.AcpiNvs)
                    MapDirect(region.Base, region.End, Writable | s_noExecute);
            }
            MapDirect(0, 1UL << 20, Writable | s_noExecute);
            for (int i = 0; i < BootInfo.ModuleCount; i++)
                MapDirect(BootInfo.Module(i).Start, BootInfo.Module(i).End, Writable | s_noExecute);
            MapDirect(BootInfo.InfoAddress, BootInfo.InfoEnd, Writable | s_noExecute);
            for (int i = 0; i < s_deviceCount; i++)
                fixed (ulong* d = s_devices.Ranges)
                    MapDirect(d[i * 3], d[i * 3] + d[i * 3 + 1], Writable | s_noExecute | (d[i * 3 + 2] & (WriteThrough | CacheDisable)), forceSmall: true);

            // The image at its link address, section by section, with 4 KiB pages.
            ref ImageLayout image = ref ImageLayout.Current;
            MapImage(image.TextStart, image.TextEnd, 0);
            MapImage(image.RodataStart, image.RodataEnd, s_noExecute);
            MapImage(image.DataStart, image.ImageEnd, Writable | s_noExecute);
            Unmap(image.BootStackGuard);
            Unmap(image.DoubleFaultStackGuard);
            Unmap(image.NmiStackGuard);
            // User address spaces copy the upper half's PML4 entries when they are made, so every slot the kernel
            // can map into later exists now: the direct map's first 2 TiB, the VirtualWindow, the image.
            for (int slot = SharedSlotsFirst; slot < SharedSlotsFirst + 4; slot++)
                EnsureTopLevel(slot);
            EnsureTopLevel(384);
            EnsureTopLevel(385);
            EnsureTopLevel(511);

            if (s_pml4 == 0 || s_outOfMemory)
                return "out of memory building page tables";
            Cpu.WriteCr3(s_pml4);
            return null;
        }

        private static bool s_outOfMemory;

        // Device memory a driver found before the kernel tables exist (the framebuffer, used from the first line
        // of output): Initialize maps it, so there is no moment when the device is unreachable. Fixed-size
        // because registration runs before the heap and static data are ready.
        private const int MaxDevices = 8;
        private struct DeviceTable
        {
            public fixed ulong Ranges[MaxDevices * 3];   // physical, length, cache flags
        }
        private static DeviceTable s_devices;
        private static int s_deviceCount;

        /// <summary>
        /// Registers device memory for Initialize to map (direct map, writable, no-execute) with the given cache
        /// flags (WriteThrough and/or CacheDisable). Call before Initialize; returns false when the table is full.
        /// </summary>
        public static bool RegisterEarlyDevice(ulong physical, ulong length, ulong cacheFlags)
        {
            if (s_deviceCount == MaxDevices || length == 0)
                return false;
            fixed (ulong* d = s_devices.Ranges)
            {
                d[s_deviceCount * 3] = physical;
                d[s_deviceCount * 3 + 1] = length;
                d[s_deviceCount * 3 + 2] = cacheFlags;
            }
            s_deviceCount++;
            return true;
        }

        private static ulong NewTable()
        {
            ulong table = PhysicalMemory.AllocatePage();
            if (table == 0)
                s_outOfMemory = true;
            else
                TablePages++;
            return table;
        }

        /// <summary>Maps physical [start, end) into the direct map with the given rights, rounding outward to pages.</summary>
        public static void MapDirect(ulong start, ulong end, ulong flags, bool forceSmall = false)
        {
            ulong physical = start & ~(PhysicalMemory.PageSize - 1);
            end = (end + PhysicalMemory.PageSize - 1) & ~(PhysicalMemory.PageSize - 1);
            while (physical < end)
            {
                ulong at = DirectMap.Base + physical;
                if (!forceSmall && physical % HugeSize == 0 && end - physical >= HugeSize && !IsSplit(at))
                {
                    MapHuge(at, physical, flags);
                    physical += HugeSize;
                }
                else
                {
                    MapPage(at, physical, flags);
                    physical += PhysicalMemory.PageSize;
                }
            }
        }

        // Part of the image at its link address (virtual [start, end), rounded outward to pages).
        private static void MapImage(ulong start, ulong end, ulong flags)
        {
            for (ulong at = start & ~(PhysicalMemory.PageSize - 1); at < end; at += PhysicalMemory.PageSize)
                MapPage(at, KernelImage.ToPhysical(at), flags);
        }

        /// <summary>Maps device memory uncached in the direct map and returns its address as a pointer.</summary>
        public static void* MapDevice(ulong physical, ulong length)
        {
            MapDirect(physical, physical + length, Writable | CacheDisable | WriteThrough | s_noExecute, forceSmall: true);
            FlushAll();
            return DirectMap.Pointer(physical);
        }

        // A table is a physical page: reached through the direct map.
        private static ulong* Entry(ulong table, ulong address, int level)
            => (ulong*)DirectMap.Pointer(table) + ((address >> (12 + 9 * level)) & 511);

        // Walks to the table at `level` (0 = page table), creating tables and splitting large pages on the way.
        private static ulong* Walk(ulong address, int targetLevel)
        {
            ulong table = s_pml4;
            for (int level = 3; level > targetLevel; level--)
            {
                ulong* e = Entry(table, address, level);
                if ((*e & Present) == 0)
                {
                    ulong next = NewTable();
                    if (next == 0)
                        return null;
                    *e = next | Present | Writable;
                }
                else if ((*e & Huge) != 0)
                {
                    if (!Split(e))
                        return null;
                }
                table = *e & AddressMask;
            }
            return Entry(table, address, targetLevel);
        }

        // Replaces a 2 MiB entry with a table of 512 small pages carrying the same rights.
        private static bool Split(ulong* entry)
        {
            ulong table = NewTable();
            if (table == 0)
                return false;
            ulong physical = *entry & AddressMask & ~(HugeSize - 1);
            ulong rights = *entry & (Writable | User | WriteThrough | CacheDisable | NoExecute | Global);
            ulong* pages = (ulong*)DirectMap.Pointer(table);
            for (int i = 0; i < 512; i++)
                pages[i] = (physical + (ulong)i * PhysicalMemory.PageSize) | rights | Present;
            *entry = table | Present | Writable;
            return true;
        }

        private static bool IsSplit(ulong address)
        {
            ulong table = s_pml4;
            for (int level = 3; level > 1; level--)
            {
                ulong* e = Entry(table, address, level);
                if ((*e & Present) == 0)
                    return false;
                table = *e & AddressMask;
            }
            ulong* pd = Entry(table, address, 1);
            return (*pd & Present) != 0 && (*pd & Huge) == 0;
        }

        private static void MapHuge(ulong virtualAddress, ulong physical, ulong flags)
        {
            ulong* e = Walk(virtualAddress, 1);
            if (e == null)
                return;
            if ((*e & Present) == 0)
                MappedBytes += HugeSize;
            *e = physical | flags | Present | Huge;
        }

        public static void MapPage(ulong virtualAddress, ulong physical, ulong flags)
        {
            ulong* e = Walk(virtualAddress, 0);
            if (e == null)
                return;
            if ((*e & Present) == 0)
                MappedBytes += PhysicalMemory.PageSize;
            *e = (physical & AddressMask) | flags | Present;
        }

        public static void Unmap(ulong virtualAddress)
        {
            ulong* e = Walk(virtualAddress, 0);
            if (e != null && (*e & Present) != 0)
            {
                *e = 0;
                MappedBytes -= PhysicalMemory.PageSize;
            }
            Cpu.InvalidatePage(virtualAddress);
        }

        /// <summary>The page-table entry that maps an address (with Huge set for 2 MiB pages), or 0 if unmapped.</summary>
        public static ulong Query(ulong virtualAddress)
        {
            ulong table = s_pml4;
            for (int level = 3; level >= 0; level--)
            {
                ulong e = *Entry(table, virtualAddress, level);
                if ((e & Present) == 0)
                    return 0;
                if (level == 0 || (e & Huge) != 0)
                    return e;
                table = e & AddressMask;
            }
            return 0;
        }

        /// <summary>The first PML4 slot of the upper half, which every address space shares with the kernel.</summary>
        public const int SharedSlotsFirst = 256;

        private static void EnsureTopLevel(int slot)
        {
            ulong* e = (ulong*)DirectMap.Pointer(s_pml4) + slot;
            if ((*e & Present) != 0)
                return;
            ulong table = NewTable();
            if (table != 0)
                *e = table | Present | Writable;
        }

        /// <summary>A new address space: an empty lower half and the kernel's upper half (the same tables, shared).
        /// Returns its PML4's physical address, 0 when out of memory.</summary>
        public static ulong NewAddressSpace()
        {
            ulong root = PhysicalMemory.AllocatePage();
            if (root == 0)
                return 0;
            ulong* to = (ulong*)DirectMap.Pointer(root);
            ulong* from = (ulong*)DirectMap.Pointer(s_pml4);
            for (int slot = SharedSlotsFirst; slot < 512; slot++)
                to[slot] = from[slot];
            return root;
        }

        /// <summary>Maps one user page (User set on every level) in an address space; false when out of memory for a
        /// table. The address must be in the lower half.</summary>
        public static bool MapUserPage(ulong root, ulong virtualAddress, ulong physical, ulong flags)
        {
            if (virtualAddress >= UserSpaceEnd)
                return false;
            ulong table = root;
            for (int level = 3; level > 0; level--)
            {
                ulong* e = Entry(table, virtualAddress, level);
                if ((*e & Present) == 0)
                {
                    ulong next = PhysicalMemory.AllocatePage();
                    if (next == 0)
                        return false;
                    *e = next | Present | Writable | User;
                }
                table = *e & AddressMask;
            }
            *Entry(table, virtualAddress, 0) = (physical & AddressMask) | (flags & ~AddressMask & ~NoExecute) | Present | User | (flags & s_noExecute);
            return true;
        }

        /// <summary>The entry that maps a lower-half address in an address space (0 if none).</summary>
        public static ulong QueryUser(ulong root, ulong virtualAddress)
        {
            if (virtualAddress >= UserSpaceEnd)
                return 0;
            ulong table = root;
            for (int level = 3; level >= 0; level--)
            {
                ulong e = *Entry(table, virtualAddress, level);
                if ((e & Present) == 0)
                    return 0;
                if (level == 0)
                    return e;
                table = e & AddressMask;
            }
            return 0;
        }

        /// <summary>Removes one user page's mapping and returns the physical page it held (0 if none).</summary>
        public static ulong UnmapUserPage(ulong root, ulong virtualAddress)
        {
            ulong e = QueryUser(root, virtualAddress);
            if (e == 0)
                return 0;
            ulong table = root;
            for (int level = 3; level > 0; level--)
                table = *Entry(table, virtualAddress, level) & AddressMask;
            *Entry(table, virtualAddress, 0) = 0;
            TlbShootdown.UserRange(root, virtualAddress, virtualAddress + PhysicalMemory.PageSize);
            return e & AddressMask;
        }

        /// <summary>Frees an address space: every page its lower half maps (they all belong to it), its tables and its
        /// PML4. It must not be the loaded one.</summary>
        /// <summary>
        /// Visits every page mapped in an address space's lower half in address order: visit(context, virtual address,
        /// its page-table entry). A false return stops the walk, and this returns false. A table is followed only
        /// while the page allocator counts its page in use, so a space torn down meanwhile (a process exiting on
        /// another CPU) can make a reader's view stale but never lead the walk outside RAM.
        /// </summary>
        public static bool ForEachUserPage(ulong root, object context, delegate*<object, ulong, ulong, bool> visit)
        {
            ulong* pml4 = (ulong*)DirectMap.Pointer(root);
            for (int i = 0; i < SharedSlotsFirst; i++)
                if ((pml4[i] & Present) != 0 && !VisitUserTable(pml4[i] & AddressMask, 2, (ulong)i << 39, context, visit))
                    return false;
            return true;
        }

        // A table at `level` (2 = PDPT ... 0 = page table) mapping from `baseAddress`.
        private static bool VisitUserTable(ulong table, int level, ulong baseAddress, object context, delegate*<object, ulong, ulong, bool> visit)
        {
            if (!PhysicalMemory.IsAllocated(table))
                return true;
            ulong* entries = (ulong*)DirectMap.Pointer(table);
            int shift = 12 + 9 * level;
            for (int i = 0; i < 512; i++)
            {
                ulong entry = entries[i];
                if ((entry & Present) == 0)
                    continue;
                ulong address = baseAddress + ((ulong)i << shift);
                if (!(level > 0 ? VisitUserTable(entry & AddressMask, level - 1, address, context, visit) : visit(context, address, entry)))
                    return false;
            }
            return true;
        }

        /// <summary>The physical page a leaf entry maps.</summary>
        public static ulong FrameOf(ulong entry) => entry & AddressMask;

        public static void FreeAddressSpace(ulong root)
        {
            ulong* pml4 = (ulong*)DirectMap.Pointer(root);
            for (int i = 0; i < SharedSlotsFirst; i++)
                if ((pml4[i] & Present) != 0)
                    FreeUserTable(pml4[i] & AddressMask, 2);
            PhysicalMemory.FreePages(root, 1);
        }

        // A table at `level` (2 = PDPT ... 0 = page table) and everything below it.
        private static void FreeUserTable(ulong table, int level)
        {
            ulong* entries = (ulong*)DirectMap.Pointer(table);
            for (int i = 0; i < 512; i++)
            {
                if ((entries[i] & Present) == 0)
                    continue;
                if (level == 0)
                    PhysicalMemory.FreePages(entries[i] & AddressMask, 1);
                else
                    FreeUserTable(entries[i] & AddressMask, level - 1);
            }
            PhysicalMemory.FreePages(table, 1);
        }

        /// <summary>
        /// Takes back the tables a temporary kernel mapping in the lower half created (AP start-up identity-maps
        /// its trampoline page for a moment): the kernel's lower half must hold nothing, so the slot is emptied and
        /// its tables freed. The pages it mapped are the caller's (already unmapped); only tables are freed here.
        /// </summary>
        public static void ReleaseLowerHalfTables(ulong virtualAddress)
        {
            ulong* pml4 = (ulong*)DirectMap.Pointer(s_pml4);
            int slot = (int)((virtualAddress >> 39) & 511);
            if (slot >= SharedSlotsFirst || (pml4[slot] & Present) == 0)
                return;
            ulong table = pml4[slot] & AddressMask;
            pml4[slot] = 0;
            FlushAll();
            FreeTablesOnly(table, 2);
        }

        private static void FreeTablesOnly(ulong table, int level)
        {
            ulong* entries = (ulong*)DirectMap.Pointer(table);
            if (level > 0)
                for (int i = 0; i < 512; i++)
                    if ((entries[i] & Present) != 0 && (entries[i] & Huge) == 0)
                        FreeTablesOnly(entries[i] & AddressMask, level - 1);
            PhysicalMemory.FreePages(table, 1);
            TablePages--;
        }

        /// <summary>The end of the lower half: user addresses are below it (canonical, PML4 slots 0-255).</summary>
        public const ulong UserSpaceEnd = 0x0000_8000_0000_0000UL;

        /// <summary>The kernel PML4's entry for one slot (0-511): the lower half's must stay empty.</summary>
        public static ulong TopLevelEntry(int slot) => ((ulong*)DirectMap.Pointer(s_pml4))[slot & 511];

        public static void FlushAll() => Cpu.WriteCr3(Cpu.ReadCr3());
    }
}
