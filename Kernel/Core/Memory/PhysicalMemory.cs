// PhysicalMemory.cs -- the physical page allocator, built from the boot memory map.
//
// It never hands out: the first MiB (BIOS data, EBDA, VGA memory, real-mode structures), the kernel image, the
// boot loader's information block and strings, the boot modules, its own bitmap, and anything the firmware did
// not mark available. It deals in physical addresses; DirectMap turns one into a pointer.
using Kernel.Boot;

namespace Kernel.Memory
{
    public static unsafe class PhysicalMemory
    {
        public const ulong PageSize = 4096;
        public const ulong MinimumMemory = 48UL << 20;
        private const ulong LowMemoryEnd = 1UL << 20;

        private static PageBitmap s_bitmap;
        private static ulong s_reservedPages;

        public static ulong TotalPages => s_bitmap.PageCount;
        public static ulong FreePageCount => s_bitmap.FreePages;
        public static ulong ManagedBytes { get; private set; }
        public static ulong AllocatedPages { get; private set; }
        public static ulong ReservedPages => s_reservedPages;
        public static ulong BitmapAddress { get; private set; }

        private struct Range
        {
            public ulong Start, End;
        }

        private const int MaxReserved = BootInfo.MaxModules * 2 + 16;

        private struct ReservedTable
        {
            public fixed ulong Ranges[MaxReserved * 2];
        }

        private static ReservedTable s_reserved;
        private static int s_reservedCount;

        /// <summary>Builds the allocator. Returns an error message (a literal, no allocation) or null on success.</summary>
        public static string Initialize()
        {
            if (!BootInfo.HasMemoryMap)
                return "no memory map from the boot loader: cannot find RAM";
            if (InstalledBytes(BootInfo.AvailableTop) < MinimumMemory)
                return "not enough memory: vmk needs at least 48 MiB of RAM";

            CollectReservedRanges();
            ulong top = BootInfo.AvailableTop;
            ulong pageCount = top / PageSize;
            ulong bitmapBytes = PageBitmap.WordsFor(pageCount) * 8;
            ulong bitmap = FindHole((bitmapBytes + PageSize - 1) & ~(PageSize - 1));
            if (bitmap == 0)
                return "no room for the page bitmap below 4 GiB";
            BitmapAddress = bitmap;
            s_bitmap.Initialize((ulong*)DirectMap.Pointer(bitmap), pageCount);

            for (int i = 0; i < BootInfo.RegionCount; i++)
            {
                MemoryRegion r = BootInfo.Region(i);
                if (r.Type != MemoryRegionType.Available)
                    continue;
                ulong first = (r.Base + PageSize - 1) / PageSize;
                ulong last = r.End / PageSize;
                if (last > first)
                    s_bitmap.MarkFree(first, last - first);
            }
            ManagedBytes = s_bitmap.FreePages * PageSize;
            ulong before = s_bitmap.FreePages;
            Reserve(0, LowMemoryEnd);
            for (int i = 0; i < s_reservedCount; i++)
                Reserve(ReservedStart(i), ReservedEnd(i));
            Reserve(bitmap, bitmap + bitmapBytes);
            s_reservedPages = before - s_bitmap.FreePages;
            return null;
        }

        /// <summary>
        /// The RAM a machine was given, as its owner counts it (`-m 48M`), from the top of its usable memory: the
        /// firmware keeps holes below 1 MiB and a little at the top (ACPI tables), so the sum of usable ranges of a
        /// 48 MiB machine is about 47.5 MiB and comparing that with the minimum refused the minimum itself.
        /// </summary>
        public static ulong InstalledBytes(ulong availableTop) => (availableTop + (1UL << 20) - 1) & ~((1UL << 20) - 1);

        private static void Reserve(ulong start, ulong end)
        {
            ulong first = start / PageSize;
            ulong last = (end + PageSize - 1) / PageSize;
            if (last > first)
                s_bitmap.MarkUsed(first, last - first);
        }

        private static ulong ReservedStart(int i)
        {
            fixed (ulong* r = s_reserved.Ranges)
                return r[i * 2];
        }

        private static ulong ReservedEnd(int i)
        {
            fixed (ulong* r = s_reserved.Ranges)
                return r[i * 2 + 1];
        }

        private static void AddReserved(ulong start, ulong end)
        {
            if (end <= start || s_reservedCount == MaxReserved)
                return;
            fixed (ulong* r = s_reserved.Ranges)
            {
                r[s_reservedCount * 2] = start;
                r[s_reservedCount * 2 + 1] = end;
            }
            s_reservedCount++;
        }

        private static void AddReservedString(ulong address)
        {
            if (address != 0)
                AddReserved(address, address + (ulong)BootInfo.CStringLength(address) + 1);
        }

        private static void CollectReservedRanges()
        {
            AddReserved(KernelImage.PhysicalStart, KernelImage.PhysicalEnd);
            AddReserved(BootInfo.InfoAddress, BootInfo.InfoEnd);
            AddReservedString(BootInfo.CommandLine);
            AddReservedString(BootInfo.BootLoaderName);
            for (int i = 0; i < BootInfo.ModuleCount; i++)
            {
                BootModule m = BootInfo.Module(i);
                AddReserved(m.Start, m.End);
                AddReservedString(m.CommandLine);
            }
        }

        private static bool OverlapsReserved(ulong start, ulong end)
        {
            if (start < LowMemoryEnd)
                return true;
            for (int i = 0; i < s_reservedCount; i++)
                if (start < ReservedEnd(i) && ReservedStart(i) < end)
                    return true;
            return false;
        }

        // A page-aligned hole in available RAM below 4 GiB (the boot stub's direct map covers that much).
        private static ulong FindHole(ulong bytes)
        {
            for (int i = 0; i < BootInfo.RegionCount; i++)
            {
                MemoryRegion r = BootInfo.Region(i);
                if (r.Type != MemoryRegionType.Available)
                    continue;
                for (ulong start = (r.Base + PageSize - 1) & ~(PageSize - 1); start + bytes <= r.End && start + bytes <= (4UL << 30); start += PageSize)
                    if (!OverlapsReserved(start, start + bytes))
                        return start;
            }
            return 0;
        }

        public static ulong ReleasedBootBytes { get; private set; }

        /// <summary>
        /// Gives a boot module's memory to the allocator once its contents live elsewhere (inflated or copied): only
        /// the pages wholly inside the module, so a page shared with a neighbour's bytes stays reserved. ESXi frees the
        /// compressed modules the same way: after boot nothing reads them again.
        /// </summary>
        public static void ReleaseBootModule(int index)
        {
            if (index < 0 || index >= BootInfo.ModuleCount || BootInfo.IsModuleReleased(index))
                return;
            BootModule module = BootInfo.Module(index);
            ulong first = (module.Start + PageSize - 1) / PageSize;
            ulong last = module.End / PageSize;
            if (last <= first || first * PageSize < LowMemoryEnd)
                return;
            ulong flags = s_lock.AcquireIrqSave();
            s_bitmap.MarkFree(first, last - first);
            s_lock.ReleaseIrqRestore(flags);
            BootInfo.MarkModuleReleased(index);
            ReleasedBootBytes += (last - first) * PageSize;
        }

        /// <summary>Allocates <paramref name="count"/> contiguous zeroed pages aligned to <paramref name="alignPages"/> pages;
        /// their physical address, or 0 when out of memory.</summary>
        public static ulong AllocatePages(ulong count, ulong alignPages = 1)
        {
            ulong flags = s_lock.AcquireIrqSave();
            ulong page = s_bitmap.Allocate(count, alignPages);
            if (page != PageBitmap.NoPage)
                AllocatedPages += count;
            s_lock.ReleaseIrqRestore(flags);
            if (page == PageBitmap.NoPage)
                return 0;
            ulong address = page * PageSize;
            Arch.Cpu.SetMemory(DirectMap.Pointer(address), 0, count * PageSize);
            return address;
        }

        public static ulong AllocatePage() => AllocatePages(1);

        // The bitmap and AllocatedPages: every CPU allocates pages, and interrupt handlers may too. A leaf lock:
        // nothing inside it takes another lock or allocates.
        private static Internal.Runtime.TicketLock s_lock;

        /// <summary>Frees pages; false if they were not allocated (the caller's bug, reported rather than corrupting).</summary>
        public static bool FreePages(ulong address, ulong count)
        {
            if (address % PageSize != 0)
                return false;
            ulong flags = s_lock.AcquireIrqSave();
            bool ok = s_bitmap.Free(address / PageSize, count);
            if (ok)
                AllocatedPages -= count;
            s_lock.ReleaseIrqRestore(flags);
            return ok;
        }

        public static bool IsAllocated(ulong address) => s_bitmap.IsUsed(address / PageSize);
    }
}
