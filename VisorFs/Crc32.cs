// Crc32.cs -- CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as used by gzip, table driven, incremental.

using System;

namespace VisorFs;

/// <summary>
/// CRC-32 of gzip (RFC 1952 section 8). Incremental: <c>crc = Crc32.Append(crc, chunk)</c> starting from 0 gives the
/// same value as one call over the concatenation.
/// </summary>
public static unsafe class Crc32
{
    // Slice-by-8: table k maps a byte that is k positions further along to its contribution, so eight table
    // lookups fold eight input bytes per step instead of one. 8 KB of tables, built once.
    private static readonly uint[] s_table = BuildTable();

    private static uint[] BuildTable()
    {
        uint[] t = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            t[i] = c;
        }
        for (int i = 0; i < 256; i++)
        {
            for (int k = 1; k < 8; k++)
            {
                uint prev = t[(k - 1) * 256 + i];
                t[k * 256 + i] = (prev >> 8) ^ t[prev & 0xFF];
            }
        }
        return t;
    }

    /// <summary>Returns the CRC of everything seen so far followed by <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        int n = data.Length;
        if (n == 0)
        {
            return crc;
        }
        fixed (uint* t = s_table)
        fixed (byte* start = data)
        {
            byte* p = start;
            byte* end = start + n;
            // x86 is little endian and tolerates unaligned loads, so two 32-bit reads take eight bytes at once.
            while (end - p >= 8)
            {
                uint lo = *(uint*)p ^ c;
                uint hi = *(uint*)(p + 4);
                c = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >> 8) & 0xFF)]
                  ^ t[5 * 256 + ((lo >> 16) & 0xFF)] ^ t[4 * 256 + (lo >> 24)]
                  ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >> 8) & 0xFF)]
                  ^ t[1 * 256 + ((hi >> 16) & 0xFF)] ^ t[hi >> 24];
                p += 8;
            }
            while (p < end)
            {
                c = t[(c ^ *p) & 0xFF] ^ (c >> 8);
                p++;
            }
        }
        return ~c;
    }

    /// <summary>CRC-32 of one buffer.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);
}
