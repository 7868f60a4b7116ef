// Crc32.cs -- CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as used by gzip, table driven, incremental.

using System;

namespace VisorFs;

/// <summary>
/// CRC-32 of gzip (RFC 1952 section 8). Incremental: <c>crc = Crc32.Append(crc, chunk)</c> starting from 0 gives the
/// same value as one call over the concatenation.
/// </summary>
public static unsafe class Crc32
{
    // Slice-by-16: table k maps a byte that is k positions further along to its contribution, so sixteen
    // independent table lookups fold sixteen input bytes per step instead of one. 16 KB of tables, built once.
    private const int Slices = 16;
    private static readonly uint[] s_table = BuildTable();

    private static uint[] BuildTable()
    {
        uint[] t = new uint[Slices * 256];
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
            for (int k = 1; k < Slices; k++)
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
            // x86 is little endian and tolerates unaligned loads, so 32-bit reads take four bytes at once.
            while (end - p >= 16)
            {
                uint a = *(uint*)p ^ c;
                uint b = *(uint*)(p + 4);
                uint e = *(uint*)(p + 8);
                uint d = *(uint*)(p + 12);
                c = t[15 * 256 + (a & 0xFF)] ^ t[14 * 256 + ((a >> 8) & 0xFF)]
                  ^ t[13 * 256 + ((a >> 16) & 0xFF)] ^ t[12 * 256 + (a >> 24)]
                  ^ t[11 * 256 + (b & 0xFF)] ^ t[10 * 256 + ((b >> 8) & 0xFF)]
                  ^ t[9 * 256 + ((b >> 16) & 0xFF)] ^ t[8 * 256 + (b >> 24)]
                  ^ t[7 * 256 + (e & 0xFF)] ^ t[6 * 256 + ((e >> 8) & 0xFF)]
                  ^ t[5 * 256 + ((e >> 16) & 0xFF)] ^ t[4 * 256 + (e >> 24)]
                  ^ t[3 * 256 + (d & 0xFF)] ^ t[2 * 256 + ((d >> 8) & 0xFF)]
                  ^ t[1 * 256 + ((d >> 16) & 0xFF)] ^ t[d >> 24];
                p += 16;
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
