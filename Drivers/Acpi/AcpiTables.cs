// AcpiTables.cs -- finds the ACPI tables: the RSDP (the boot loader's copy, else the EBDA and the BIOS area), the
// RSDT or XSDT, and from them any table by signature, mapped read-only and checksum-verified.
//
// Formats (ACPI 6.x, 5.2): RSDP = "RSD PTR " [0..8), checksum [8] over the first 20 bytes, OEM ID [9..15),
// revision [15] (0 = ACPI 1.0, 2+ = has the extended part), RSDT address u32 [16], then for revision 2+ length
// u32 [20], XSDT address u64 [24], extended checksum [32] over `length` bytes. Every other table starts with a
// 36-byte header: signature [0..4), length u32 [4], revision [8], checksum [9] (all `length` bytes sum to 0),
// OEM ID [10..16), OEM table ID [16..24), ... The RSDT body is u32 table addresses, the XSDT body u64 ones.
// Firmware tables are hostile input: every length is bounded, every table checksum-verified, and a table that
// fails is treated as absent (one warning per table). Tables are named by their physical address (Find's result)
// and read through the direct map (Pointer).
using Kernel.Boot;
using Kernel.Logging;
using Kernel.Memory;

namespace Drivers.Acpi
{
    public static unsafe class AcpiTables
    {
        public const int HeaderLength = 36;
        private const uint MaxTableLength = 4u << 20;   // a real DSDT is a few hundred KiB at most
        public const ulong MaxPhysical = DirectMap.Size;     // what the direct map can show
        private const int MaxRootEntries = 256;
        private const ushort EBDA_SEGMENT_POINTER = 0x40E;
        private const ulong BIOS_AREA_START = 0xE0000, BIOS_AREA_END = 0x100000;

        private static ulong s_root;        // RSDT or XSDT, verified
        private static int s_rootEntrySize; // 4 (RSDT) or 8 (XSDT)
        private static int s_rootEntries;

        public static bool IsAvailable => s_root != 0;
        public static ulong RsdpAddress { get; private set; }
        public static byte RsdpRevision { get; private set; }
        public static bool UsesXsdt => s_rootEntrySize == 8;
        public static string OemId { get; private set; }

        private static bool s_initialized;

        /// <summary>Finds the RSDP and the root table (once; later calls return the first answer). Needs the heap
        /// (it logs) and the kernel page tables.</summary>
        public static bool Initialize()
        {
            if (s_initialized)
                return s_root != 0;
            s_initialized = true;
            ulong rsdp = 0;
            if (BootInfo.AcpiRsdp != 0 && IsValidRsdp(Pointer(BootInfo.AcpiRsdp)))
                rsdp = BootInfo.AcpiRsdp;
            if (rsdp == 0)
                rsdp = ScanForRsdp();
            if (rsdp == 0)
            {
                Log.Warning("ACPI", "No valid RSDP (boot loader copy, EBDA, 0xE0000-0xFFFFF): ACPI power control unavailable");
                return false;
            }
            byte* r = Pointer(rsdp);
            RsdpAddress = rsdp;
            RsdpRevision = r[15];
            OemId = Text(r + 9, 6);

            // ACPI 2.0+: the XSDT (64-bit entries) supersedes the RSDT; fall back to the RSDT if it is broken.
            // A broken extended checksum (seen on real firmware) demotes the RSDP to 1.0 instead of rejecting it.
            if (RsdpRevision >= 2 && (*(uint*)(r + 20) < 36 || Checksum(r, 36) != 0))
                Log.Warning("ACPI", "RSDP extended checksum is wrong; ignoring the XSDT and using the RSDT");
            else if (RsdpRevision >= 2)
            {
                ulong xsdt = *(ulong*)(r + 24);
                if (xsdt != 0 && MapTable(xsdt, "XSDT") != 0)
                    UseRoot(xsdt, 8);
            }
            if (s_root == 0)
            {
                ulong rsdt = *(uint*)(r + 16);
                if (rsdt != 0 && MapTable(rsdt, "RSDT") != 0)
                    UseRoot(rsdt, 4);
            }
            if (s_root == 0)
                Log.Warning("ACPI", "RSDP found but neither the XSDT nor the RSDT is valid");
            return s_root != 0;
        }

        /// <summary>The address of the `instance`-th verified table with this signature ("FACP", "SSDT"), or 0.</summary>
        public static ulong Find(string signature, int instance = 0)
        {
            for (int i = 0; i < s_rootEntries; i++)
            {
                byte* entry = Pointer(s_root) + HeaderLength + i * s_rootEntrySize;
                ulong table = s_rootEntrySize == 8 ? *(ulong*)entry : *(uint*)entry;
                if (table == 0 || !MapHeader(table) || !HasSignature(Pointer(table), signature))
                    continue;
                if (instance-- > 0)
                    continue;
                return MapTable(table, signature) != 0 ? table : 0;
            }
            return 0;
        }

        /// <summary>Length of a table at an address already returned by Find or MapTable.</summary>
        public static uint Length(ulong table) => *(uint*)(Pointer(table) + 4);

        /// <summary>A table (or any firmware structure) at a physical address, through the direct map.</summary>
        public static byte* Pointer(ulong physical) => (byte*)DirectMap.Pointer(physical);

        /// <summary>
        /// Maps a table (header, then its full length) and verifies length and checksum. Returns its length, or 0
        /// (with one warning naming `what`) when it is out of range, truncated or corrupt.
        /// </summary>
        public static uint MapTable(ulong table, string what)
        {
            if (!MapHeader(table))
            {
                Log.Warning("ACPI", string.Concat(what, " at 0x", table.ToString("X"), " is outside addressable memory; ignored"));
                return 0;
            }
            uint length = Length(table);
            if (length < HeaderLength || length > MaxTableLength || table + length > MaxPhysical)
            {
                Log.Warning("ACPI", string.Concat(what, " at 0x", table.ToString("X"), " has a bad length (", length.ToString(), "); ignored"));
                return 0;
            }
            MapReadOnly(table, table + length);
            if (Checksum(Pointer(table), length) != 0)
            {
                Log.Warning("ACPI", string.Concat(what, " at 0x", table.ToString("X"), " fails its checksum; ignored"));
                return 0;
            }
            return length;
        }

        public static bool HasSignature(byte* table, string signature)
            => signature.Length == 4 && table[0] == signature[0] && table[1] == signature[1] && table[2] == signature[2] && table[3] == signature[3];

        public static byte Checksum(byte* p, uint length)
        {
            byte sum = 0;
            for (uint i = 0; i < length; i++)
                sum += p[i];
            return sum;
        }

        /// <summary>A fixed-width ASCII field as a string, trailing spaces and NULs dropped, non-printables as '?'.</summary>
        public static string Text(byte* p, int length)
        {
            while (length > 0 && (p[length - 1] == ' ' || p[length - 1] == 0))
                length--;
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
                chars[i] = p[i] >= 32 && p[i] < 127 ? (char)p[i] : '?';
            return new string(chars, 0, length);
        }

        private static void UseRoot(ulong root, int entrySize)
        {
            uint length = Length(root);
            int entries = (int)((length - HeaderLength) / (uint)entrySize);
            s_root = root;
            s_rootEntrySize = entrySize;
            s_rootEntries = entries < MaxRootEntries ? entries : MaxRootEntries;
        }

        private static bool MapHeader(ulong table)
        {
            if (table < 0x1000 || table + HeaderLength > MaxPhysical)
                return false;
            MapReadOnly(table, table + HeaderLength);
            return true;
        }

        // Tables often sit in memory the firmware marked reserved, which the kernel does not map. Pages that are
        // already mapped keep their rights (they may share a page with RAM the kernel writes).
        private static void MapReadOnly(ulong start, ulong end)
        {
            for (ulong page = start & ~0xFFFUL; page < end; page += 0x1000)
            {
                ulong at = DirectMap.ToVirtual(page);
                if (page == 0 || Paging.Query(at) != 0)
                    continue;
                Paging.MapPage(at, page, Paging.NoExecuteEnabled ? Paging.NoExecute : 0);
                Kernel.Arch.Cpu.InvalidatePage(at);
            }
        }

        // Only the ACPI 1.0 part is required; the extended part is checked where the XSDT address is read.
        private static bool IsValidRsdp(byte* p)
            => HasSignature(p, "RSD ") && HasSignature(p + 4, "PTR ") && Checksum(p, 20) == 0;

        private static ulong ScanForRsdp()
        {
            // The EBDA segment lives at 0x40E in physical page 0 (the direct map shows all of the first MiB).
            ulong ebda = (ulong)*(ushort*)Pointer(EBDA_SEGMENT_POINTER) << 4;
            ulong found = 0;
            if (ebda >= 0x80000 && ebda < 0xA0000)
                found = Scan(ebda, ebda + 1024);
            if (found == 0)
                found = Scan(BIOS_AREA_START, BIOS_AREA_END);
            return found;
        }

        private static ulong Scan(ulong start, ulong end)
        {
            MapReadOnly(start, end);
            for (ulong p = start; p + 36 <= end; p += 16)
                if (IsValidRsdp(Pointer(p)))
                    return p;
            return 0;
        }
    }
}
