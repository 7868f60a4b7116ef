// GcInfoBitReader.cs -- the bit stream GC info is written in: bits packed least significant first, byte after byte
// (dotnet/runtime's BitStreamWriter/BitStreamReader), and its two variable-length number forms.
//
// A variable-length number with base b is a chain of (b + 1)-bit chunks, lowest first: b value bits and, above them,
// a flag that says another chunk follows. A signed number is sign-extended from the last chunk's top value bit.
// The reader only ever reads inside one method's GC info, which sits in the image; positions are bit offsets from
// the info's first byte, so a position can be saved and restored (the decoder jumps between tables).
namespace Internal.Runtime.GcInfo
{
    public unsafe struct GcInfoBitReader
    {
        private readonly byte* _start;
        private ulong _position;

        public GcInfoBitReader(byte* start)
        {
            _start = start;
            _position = 0;
        }

        /// <summary>The bit offset of the next read from the start of the info.</summary>
        public ulong Position
        {
            get => _position;
            set => _position = value;
        }

        public byte* Start => _start;

        /// <summary>Reads <paramref name="count"/> (0 to 57) bits as an unsigned number.</summary>
        public ulong Read(int count)
        {
            if (count == 0)
                return 0;
            // One unaligned 8-byte load covers any 57 bits starting anywhere in its first byte. Unaligned loads are
            // fine on x86-64; the few bytes past the end of the last method's info are still inside the image.
            ulong word = *(ulong*)(_start + (_position >> 3));
            ulong value = (word >> (int)(_position & 7)) & ((1UL << count) - 1);
            _position += (ulong)count;
            return value;
        }

        public bool ReadBit() => Read(1) != 0;

        public void Skip(ulong bits) => _position += bits;

        public ulong DecodeVarLengthUnsigned(int encodingBase)
        {
            ulong valueMask = (1UL << encodingBase) - 1;
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += encodingBase)
            {
                ulong chunk = Read(encodingBase + 1);
                result |= (chunk & valueMask) << shift;
                if ((chunk >> encodingBase) == 0)
                    return result;
            }
            return result;       // a chain longer than 64 bits is malformed; the caller's range checks catch it
        }

        public long DecodeVarLengthSigned(int encodingBase)
        {
            ulong valueMask = (1UL << encodingBase) - 1;
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += encodingBase)
            {
                ulong chunk = Read(encodingBase + 1);
                result |= (chunk & valueMask) << shift;
                if ((chunk >> encodingBase) == 0)
                {
                    int unused = 64 - (shift + encodingBase);
                    return unused > 0 ? (long)(result << unused) >> unused : (long)result;
                }
            }
            return (long)result;
        }

        /// <summary>ceil(log2(x)) for x >= 1 (the width of a code offset field for code of length x).</summary>
        public static int CeilOfLog2(ulong x)
        {
            ulong v = (x << 1) - 1;
            int bit = -1;
            while (v != 0)
            {
                v >>= 1;
                bit++;
            }
            return bit;
        }
    }
}
