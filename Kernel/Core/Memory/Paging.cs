// Paging.cs -- the kernel's own 4-level page tables, replacing the boot stub's temporary 4 GiB identity map.
//
// Layout: physical memory is identity-mapped (virtual == physical) in the lower half, so page tables, the heap and
// boot modules are reached through plain pointers. Rights follow the image's sections: text read+execute, rodata
// read-only, data/bss read+write, everything that is not text no-execute when the CPU has NX. The first 64 KiB are
// left unmapped (null dereferences fault and become NullReferenceException, as on .NET, whose bound this is), except
// pages the boot loader put its information in (QEMU's multiboot loader uses 0x9000); page 0 is always unmapped.
// So is the guard page below every stack (overflows fault instead of corrupting). Device memory (LAPIC, ...) is mapped on request, uncached; device memory found before these tables
// exist (the framebuffer) is registered early and mapped by Initialize. User address spaces will
// share the kernel's upper-level entries and take PML4 slots 128-255, which this map never uses.
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

        /// <summary>Addresses below this are never mapped unless the boot information lives there: a fault here is
        /// a null dereference (a field or element at that offset from null).</summary>
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

            // RAM: every available region, large pages where alignment allows. Also low memory (BIOS areas, VGA)
            // except page 0, and the firmware's ACPI regions, read/write, no-execute.
            for (int i = 0; i < BootInfo.RegionCount; i++)
            {
                MemoryRegion region = BootInfo.Region(i);
                if (region.Type == MemoryRegionType.Available || region.Type == MemoryRegionType.AcpiReclaimable || region.Type == MemoryRegionType.AcpiNvs)
                    MapRange(region.Base, region.End, Writable | s_noExecute);
            }
            MapRange(PhysicalMemory.PageSize, 1UL << 20, Writable | s_noExecute);
            for (int i = 0; i < BootInfo.ModuleCount; i++)
                MapRange(BootInfo.Module(i).Start, BootInfo.Module(i).End, Writable | s_noExecute);
            MapRange(BootInfo.InfoAddress, BootInfo.InfoEnd, Writable | s_noExecute);
            for (int i = 0; i < s_deviceCount; i++)
                fixed (ulong* d = s_devices.Ranges)
                    MapRange(d[i * 3], d[i * 3] + d[i * 3 + 1], Writable | s_noExecute | (d[i * 3 + 2] & (WriteThrough | CacheDisable)), forceSmall: true);

            // The image, section by section, with 4 KiB pages (this splits any large page covering it).
            ref ImageLayout image = ref ImageLayout.Current;
            MapRange(image.TextStart, image.TextEnd, 0, forceSmall: true);
            MapRange(image.RodataStart, image.RodataEnd, s_noExecute, forceSmall: true);
            MapRange(image.DataStart, image.ImageEnd, Writable | s_noExecute, forceSmall: true);
            UnmapNullGuard();
            Unmap(image.BootStackGuard);
            Unmap(image.DoubleFaultStackGuard);
            Unmap(image.NmiStackGuard);

            if (s_pml4 == 0 || s_outOfMemory)
                return "out of memory building page tables";
            Cpu.WriteCr3(s_pml4);
            return null;
        }

        private static bool s_outOfMemory;

        private static void UnmapNullGuard()
        {
            Unmap(0);
            for (ulong page = PhysicalMemory.PageSize; page < NullGuardBytes; page += PhysicalMemory.PageSize)
                if (!HoldsBootInformation(page))
                    Unmap(page);
        }

        // The boot loader's structures stay readable for the whole boot (command lines, module names); a string
        // counts with the bytes it may span.
        private const ulong MaxBootString = 4096;

        private static bool HoldsBootInformation(ulong page)
        {
            ulong end = page + PhysicalMemory.PageSize;
            if (Overlaps(page, end, BootInfo.InfoAddress, BootInfo.InfoEnd))
                return true;
            if (Overlaps(page, end, BootInfo.CommandLine, BootInfo.CommandLine + MaxBootString) || Overlaps(page, end, BootInfo.BootLoaderName, BootInfo.BootLoaderName + MaxBootString))
                return true;
            for (int i = 0; i < BootInfo.ModuleCount; i++)
            {
                BootModule module = BootInfo.Module(i);
                if (Overlaps(page, end, module.Start, module.End) || Overlaps(page, end, module.CommandLine, module.CommandLine + MaxBootString))
                    return true;
            }
            return false;
        }

        private static bool Overlaps(ulong start, ulong end, ulong otherStart, ulong otherEnd)
            => otherStart != 0 && otherStart < end && otherEnd > start;

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
        /// Registers device memory for Initialize to map (identity, writable, no-execute) with the given cache
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

        /// <summary>Identity-maps [start, end) with the given rights, rounding outward to pages.</summary>
        public static void MapRange(ulong start, ulong end, ulong flags, bool forceSmall = false)
        {
            ulong address = start & ~(PhysicalMemory.PageSize - 1);
            end = (end + PhysicalMemory.PageSize - 1) & ~(PhysicalMemory.PageSize - 1);
            if (address == 0)
                address = PhysicalMemory.PageSize;
            while (address < end)
            {
                if (!forceSmall && address % HugeSize == 0 && end - address >= HugeSize && !IsSplit(address))
                {
                    MapHuge(address, flags);
                    address += HugeSize;
                }
                else
                {
                    MapPage(address, address, flags);
                    address += PhysicalMemory.PageSize;
                }
            }
        }

        /// <summary>Maps device memory uncached (identity) and returns its address as a pointer.</summary>
        public static void* MapDevice(ulong physical, ulong length)
        {
            MapRange(physical, physical + length, Writable | CacheDisable | WriteThrough | s_noExecute, forceSmall: true);
            FlushAll();
            return (void*)physical;
        }

        private static ulong* Entry(ulong table, ulong address, int level)
            => (ulong*)table + ((address >> (12 + 9 * level)) & 511);

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
            ulong* pages = (ulong*)table;
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

        private static void MapHuge(ulong address, ulong flags)
        {
            ulong* e = Walk(address, 1);
            if (e == null)
                return;
            if ((*e & Present) == 0)
                MappedBytes += HugeSize;
            *e = address | flags | Present | Huge;
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

        public static void FlushAll() => Cpu.WriteCr3(Cpu.ReadCr3());
    }
}
