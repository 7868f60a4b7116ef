// BootInfo.cs -- what the boot loader told us (memory map, modules, command line, framebuffer, ACPI), kept in
// fixed-size static tables because it is read before the heap exists.
using System;

namespace Kernel.Boot
{
    public enum MemoryRegionType : uint
    {
        Available = 1,
        Reserved = 2,
        AcpiReclaimable = 3,
        AcpiNvs = 4,
        Bad = 5,
    }

    public struct MemoryRegion
    {
        public ulong Base;
        public ulong Length;
        public MemoryRegionType Type;
        public ulong End => Base + Length;
    }

    public struct BootModule
    {
        public ulong Start;
        public ulong End;
        public ulong CommandLine;   // physical address of a NUL-terminated string (0 if none)
    }

    public struct FramebufferInfo
    {
        public ulong Address;
        public uint Pitch, Width, Height;
        public byte BitsPerPixel, Type;   // type 1 = direct RGB, 2 = EGA text
        public byte RedShift, GreenShift, BlueShift;
        public bool IsPresent => Address != 0 && Type == 1 && BitsPerPixel == 32;
    }

    public static unsafe class BootInfo
    {
        public const int MaxRegions = 128;
        public const int MaxModules = 64;

        private struct Tables
        {
            public fixed ulong Regions[MaxRegions * 3];
            public fixed ulong Modules[MaxModules * 3];
            public fixed byte Released[MaxModules];
        }

        private static Tables s_tables;

        public static uint Magic;
        public static ulong InfoAddress, InfoEnd;
        public static int RegionCount;
        public static int ModuleCount;
        public static ulong CommandLine;          // physical address of the NUL-terminated command line, or 0
        public static ulong BootLoaderName;       // same
        public static FramebufferInfo Framebuffer;
        public static ulong AcpiRsdp;             // address of a copy of the RSDP the loader gave us, or 0
        public static bool HasMemoryMap => RegionCount > 0;
        public static bool IsMultiboot2 => Magic == Multiboot.Multiboot2Magic;

        public static MemoryRegion Region(int index)
        {
            fixed (ulong* t = s_tables.Regions)
            {
                ulong* e = t + index * 3;
                return new MemoryRegion { Base = e[0], Length = e[1], Type = (MemoryRegionType)e[2] };
            }
        }

        public static BootModule Module(int index)
        {
            fixed (ulong* t = s_tables.Modules)
            {
                ulong* e = t + index * 3;
                return new BootModule { Start = e[0], End = e[1], CommandLine = e[2] };
            }
        }

        internal static void AddRegion(ulong baseAddress, ulong length, uint type)
        {
            if (RegionCount == MaxRegions || length == 0)
                return;
            // Unknown types are reserved: never hand out memory the firmware did not call available.
            if (type < 1 || type > 5)
                type = (uint)MemoryRegionType.Reserved;
            fixed (ulong* t = s_tables.Regions)
            {
                ulong* e = t + RegionCount * 3;
                e[0] = baseAddress;
                e[1] = length;
                e[2] = type;
            }
            RegionCount++;
        }

        /// <summary>True once a module's boot memory went back to the page allocator (its contents were copied out).</summary>
        public static bool IsModuleReleased(int index)
        {
            fixed (byte* released = s_tables.Released)
                return released[index] != 0;
        }

        internal static void MarkModuleReleased(int index)
        {
            fixed (byte* released = s_tables.Released)
                released[index] = 1;
        }

        internal static void AddModule(ulong start, ulong end, ulong commandLine)
        {
            if (ModuleCount == MaxModules)
                return;
            fixed (ulong* t = s_tables.Modules)
            {
                ulong* e = t + ModuleCount * 3;
                e[0] = start;
                e[1] = end;
                e[2] = commandLine;
            }
            ModuleCount++;
        }

        /// <summary>Highest end address of available RAM.</summary>
        public static ulong AvailableTop
        {
            get
            {
                ulong top = 0;
                for (int i = 0; i < RegionCount; i++)
                {
                    MemoryRegion r = Region(i);
                    if (r.Type == MemoryRegionType.Available && r.End > top)
                        top = r.End;
                }
                return top;
            }
        }

        public static ulong AvailableBytes
        {
            get
            {
                ulong total = 0;
                for (int i = 0; i < RegionCount; i++)
                {
                    MemoryRegion r = Region(i);
                    if (r.Type == MemoryRegionType.Available)
                        total += r.Length;
                }
                return total;
            }
        }

        /// <summary>Length of a NUL-terminated string at a physical address (bounded).</summary>
        public static int CStringLength(ulong address, int max = 4096)
        {
            if (address == 0)
                return 0;
            byte* p = (byte*)Kernel.Memory.DirectMap.Pointer(address);
            int n = 0;
            while (n < max && p[n] != 0)
                n++;
            return n;
        }

        public static string CString(ulong address)
        {
            int n = CStringLength(address);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
                chars[i] = (char)((byte*)Kernel.Memory.DirectMap.Pointer(address))[i];
            return new string(chars, 0, n);
        }
    }
}
