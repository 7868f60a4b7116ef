// NativeFormat.cs -- reads ILC's NativeFormat blobs: variable-length integers and the hashtables the runtime's
// lookup tables are made of (facts from dotnet/runtime's NativeFormat reader; the code is ours).
namespace Internal.Runtime.TypeLoader
{
    public static unsafe class NativeFormat
    {
        // Unsigned: the low bits of the first byte say how many bytes follow (x0: 1 byte, value >> 1; x01: 2 bytes;
        // x011: 3; x0111: 4; x01111: the 4 bytes after it).
        public static uint DecodeUnsigned(ref byte* p)
        {
            uint b = p[0];
            if ((b & 1) == 0)
            {
                p += 1;
                return b >> 1;
            }
            if ((b & 2) == 0)
            {
                uint v = (b >> 2) | ((uint)p[1] << 6);
                p += 2;
                return v;
            }
            if ((b & 4) == 0)
            {
                uint v = (b >> 3) | ((uint)p[1] << 5) | ((uint)p[2] << 13);
                p += 3;
                return v;
            }
            if ((b & 8) == 0)
            {
                uint v = (b >> 4) | ((uint)p[1] << 4) | ((uint)p[2] << 12) | ((uint)p[3] << 20);
                p += 4;
                return v;
            }
            uint w = *(uint*)(p + 1);
            p += 5;
            return w;
        }

        // Signed: the same lengths, the value sign-extended from its top bit.
        public static int DecodeSigned(ref byte* p)
        {
            uint b = p[0];
            if ((b & 1) == 0)
            {
                p += 1;
                return (sbyte)(byte)b >> 1;
            }
            if ((b & 2) == 0)
            {
                int v = (int)(b >> 2) | ((sbyte)p[1] << 6);
                p += 2;
                return v;
            }
            if ((b & 4) == 0)
            {
                int v = (int)(b >> 3) | (p[1] << 5) | ((sbyte)p[2] << 13);
                p += 3;
                return v;
            }
            if ((b & 8) == 0)
            {
                int v = (int)(b >> 4) | (p[1] << 4) | (p[2] << 12) | ((sbyte)p[3] << 20);
                p += 4;
                return v;
            }
            int w = *(int*)(p + 1);
            p += 5;
            return w;
        }

        /// <summary>
        /// Every entry of a NativeFormat hashtable, as a pointer to the entry's data. Layout: one header byte (bucket
        /// count shift in bits 2..7, bucket offset width in bits 0..1: 1, 2 or 4 bytes), then bucket count + 1 offsets
        /// from just after the header; a bucket is a run of { u8 low hash byte, signed offset to the entry relative to
        /// where the offset starts }. The lookups here scan every entry: they run once per call site and receiver
        /// type (the cache keeps the answer), and the tables are small.
        /// </summary>
        public ref struct HashtableEntries
        {
            private readonly byte* _base;
            private readonly int _width;
            private readonly int _buckets;
            private int _bucket;
            private byte* _cursor;
            private byte* _bucketEnd;

            public HashtableEntries(byte* table)
            {
                uint header = table[0];
                _base = table + 1;
                _width = (int)(header & 3) == 0 ? 1 : (int)(header & 3) == 1 ? 2 : 4;
                _buckets = 1 << (int)(header >> 2);
                _bucket = -1;
                _cursor = null;
                _bucketEnd = null;
            }

            private uint BucketOffset(int index)
                => _width == 1 ? _base[index] : _width == 2 ? ((ushort*)_base)[index] : ((uint*)_base)[index];

            public bool Next(out byte* entry)
            {
                while (_cursor >= _bucketEnd)
                {
                    if (++_bucket >= _buckets)
                    {
                        entry = null;
                        return false;
                    }
                    _cursor = _base + BucketOffset(_bucket);
                    _bucketEnd = _base + BucketOffset(_bucket + 1);
                }
                _cursor++;                          // the low hash byte
                byte* at = _cursor;
                int delta = DecodeSigned(ref _cursor);
                entry = at + delta;
                return true;
            }
        }
    }
}
