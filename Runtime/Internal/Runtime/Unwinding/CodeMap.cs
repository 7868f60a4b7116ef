// CodeMap.cs -- which code is managed, and its unwind data: PC -> FDE through the binary-search table of
// .eh_frame_hdr that ld builds at link time (--eh-frame-hdr), so a lookup is O(log n) and needs no memory.
//
// .eh_frame_hdr (LSB Core, "The .eh_frame_hdr section"): u8 version (1), u8 eh_frame_ptr encoding, u8 fde_count
// encoding, u8 table encoding, the encoded eh_frame_ptr and fde_count, then fde_count pairs (initial location,
// FDE address) sorted by location, in the table encoding (ld uses DW_EH_PE_datarel|sdata4: 4-byte offsets from
// the header's start). Only ILC's code has FDEs: assembly (boot, interrupt stubs, thunks) has none, which is how
// the unwinder knows it reached native code.
namespace Internal.Runtime.Unwinding
{
    public static unsafe class CodeMap
    {
        private const byte TableEncodingDataRelSdata4 = 0x3B;

        private static byte* s_header;
        private static int* s_table;        // pairs of int32 offsets from s_header
        private static ulong s_count;

        public static bool IsRegistered => s_table != null;

        public static ulong FdeCount => s_count;

        /// <summary>Changes with every registration: caches of lookups compare it to know they are still valid.</summary>
        public static uint Generation { get; private set; }

        /// <summary>Registers the image's .eh_frame_hdr. False (and nothing registered) if its format is not the one ld writes.</summary>
        public static bool Register(ulong headerStart, ulong headerEnd)
        {
            if (headerEnd - headerStart < 12)
                return false;
            byte* header = (byte*)headerStart;
            if (header[0] != 1 || header[3] != TableEncodingDataRelSdata4)
                return false;
            var r = new DwarfReader(header + 4);
            if (!r.TryReadEncodedPointer(header[1], headerStart, out _) || !r.TryReadEncodedPointer(header[2], headerStart, out ulong count))
                return false;
            if ((ulong)r.Position + count * 8 > headerEnd)
                return false;
            s_header = header;
            s_count = count;
            s_table = (int*)r.Position;
            Generation++;
            return true;
        }

        /// <summary>Finds the FDE covering <paramref name="pc"/> (a code address, not a return address).</summary>
        internal static bool TryFind(ulong pc, out FrameDescription fde)
        {
            fde = default;
            if (s_table == null)
                return false;
            ulong header = (ulong)s_header;
            // The last entry whose initial location is <= pc.
            long low = 0, high = (long)s_count - 1, found = -1;
            while (low <= high)
            {
                long mid = (low + high) >> 1;
                ulong start = header + (ulong)(long)s_table[mid * 2];
                if (start <= pc)
                {
                    found = mid;
                    low = mid + 1;
                }
                else
                {
                    high = mid - 1;
                }
            }
            if (found < 0)
                return false;
            byte* entry = (byte*)(header + (ulong)(long)s_table[found * 2 + 1]);
            return FrameDescription.TryParse(entry, out fde) && fde.Contains(pc);
        }

        /// <summary>True if <paramref name="pc"/> lies in compiled managed code (it has unwind data).</summary>
        public static bool IsManagedCode(ulong pc) => TryFind(pc, out _);
    }
}
