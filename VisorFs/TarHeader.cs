// TarHeader.cs -- the 512-byte tar header: field layout of V7/ustar/GNU/visor, numbers, checksum, magic.

using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VisorFs;

/// <summary>Which header flavour a block carries (from its magic field).</summary>
public enum TarFormat
{
    /// <summary>No magic: original Unix V7 tar.</summary>
    V7,
    /// <summary>POSIX ustar: magic "ustar\0", version "00"; has the 155-byte name prefix.</summary>
    Ustar,
    /// <summary>GNU: magic "ustar  \0"; offset 345 holds atime/ctime, not a prefix.</summary>
    Gnu,
    /// <summary>ustar headers with pax extended headers ('x') seen.</summary>
    Pax,
    /// <summary>ESXi visor-tar: magic "visor ", all headers first, absolute data offsets at 0x1F0.</summary>
    Visor,
}

/// <summary>
/// Field access for one 512-byte header block.
/// </summary>
/// <remarks>
/// <code>
/// offset size field            notes
///      0  100 name             NUL terminated unless exactly 100 bytes
///    100    8 mode             octal
///    108    8 uid              octal or base-256
///    116    8 gid              octal or base-256
///    124   12 size             octal or base-256 (GNU/star extension for sizes >= 8 GB)
///    136   12 mtime            octal or base-256 (may be negative)
///    148    8 chksum           octal; sum of all 512 bytes with this field taken as spaces
///    156    1 typeflag         '0'/NUL file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo,
///                              '7' contiguous (visor: shared) file, 'x'/'g' pax, 'K'/'L' GNU long link/name
///    157  100 linkname
///    257    6 magic            "ustar\0" POSIX, "ustar " GNU (version " \0"), "visor " ESXi
///    263    2 version
///    265   32 uname, 297 32 gname
///    329    8 devmajor, 337 8 devminor
///    345  155 prefix           POSIX ustar only (GNU keeps atime/ctime here); visor: 151 bytes
///  0x1F0    4 data offset      visor only, little endian, absolute; then text offset, text size, fixup pages
/// </code>
/// A numeric field is base-256 when its first byte has the top bit set: 0x80 is a positive big-endian number in
/// the remaining bytes, 0xFF a negative one in two's complement. Otherwise it is octal digits, with leading spaces
/// and a terminating space or NUL allowed.
/// </remarks>
public static class TarHeader
{
    public const int BlockSize = 512;
    public const int NameOffset = 0;
    public const int NameLength = 100;
    public const int ModeOffset = 100;
    public const int UidOffset = 108;
    public const int GidOffset = 116;
    public const int SizeOffset = 124;
    public const int MTimeOffset = 136;
    public const int ChecksumOffset = 148;
    public const int TypeOffset = 156;
    public const int LinkNameOffset = 157;
    public const int MagicOffset = 257;
    public const int DevMajorOffset = 329;
    public const int DevMinorOffset = 337;
    public const int PrefixOffset = 345;
    public const int PrefixLength = 155;
    public const int VisorPrefixLength = 151;
    public const int VisorDataOffset = 0x1F0;
    public const int VisorTextOffset = 0x1F4;
    public const int VisorTextSize = 0x1F8;
    public const int VisorFixupPages = 0x1FC;

    /// <summary>The flavour from the magic field.</summary>
    public static TarFormat GetFormat(ReadOnlySpan<byte> header)
    {
        if (IsVisor(header))
        {
            return TarFormat.Visor;
        }
        if (header[257] == (byte)'u' && header[258] == (byte)'s' && header[259] == (byte)'t' && header[260] == (byte)'a'
            && header[261] == (byte)'r')
        {
            return header[262] == 0 ? TarFormat.Ustar : TarFormat.Gnu;
        }
        return TarFormat.V7;
    }

    /// <summary>True if the block carries the visor-tar magic "visor ".</summary>
    public static bool IsVisor(ReadOnlySpan<byte> header)
    {
        return header.Length >= BlockSize && header[257] == (byte)'v' && header[258] == (byte)'i'
            && header[259] == (byte)'s' && header[260] == (byte)'o' && header[261] == (byte)'r' && header[262] == (byte)' ';
    }

    /// <summary>True for an all-zero block (end of a plain tar archive).</summary>
    public static unsafe bool IsZeroBlock(ReadOnlySpan<byte> header)
    {
        fixed (byte* p = header)
        {
            ulong* q = (ulong*)p;
            ulong acc = 0;
            for (int i = 0; i < BlockSize / 8; i++)
            {
                acc |= q[i];
            }
            return acc == 0;
        }
    }

    /// <summary>
    /// Verifies the header checksum. Historic tars summed signed chars, so either the unsigned or the signed sum
    /// is accepted, as GNU tar does.
    /// </summary>
    public static unsafe bool ChecksumMatches(ReadOnlySpan<byte> header)
    {
        if (header.Length < BlockSize || !TryParseNumber(header.Slice(ChecksumOffset, 8), out long stored))
        {
            return false;
        }
        long unsignedSum;
        fixed (byte* p = header)
        {
            unsignedSum = SumBlock(p);
            // The checksum field itself counts as eight spaces.
            for (int i = ChecksumOffset; i < ChecksumOffset + 8; i++)
            {
                unsignedSum -= p[i];
            }
            unsignedSum += 8 * ' ';
            if (stored == unsignedSum)
            {
                return true;
            }
            // Signed sum (historic tars): each byte >= 0x80 outside the checksum field counts 256 less. Only
            // computed when the unsigned sum fails, which a valid modern header never does.
            long high = 0;
            for (int i = 0; i < BlockSize; i++)
            {
                if (p[i] >= 0x80 && (i < ChecksumOffset || i >= ChecksumOffset + 8))
                {
                    high++;
                }
            }
            return high != 0 && stored == unsignedSum - 256 * high;
        }
    }

    // The unsigned sum of a block's 512 bytes. PSADBW against zero adds each 8-byte half into a 16-bit lane (at
    // most 2,040); 32 of them per lane stay below 65,536, so PADDW accumulates the block without widening.
    private static unsafe long SumBlockSse2(byte* p)
    {
        Vector128<byte> zero = default;
        Vector128<ushort> even = default;
        Vector128<ushort> odd = default;
        for (int i = 0; i < BlockSize; i += 32)
        {
            even = Sse2.Add(even, Sse2.SumAbsoluteDifferences(Sse2.LoadVector128(p + i), zero));
            odd = Sse2.Add(odd, Sse2.SumAbsoluteDifferences(Sse2.LoadVector128(p + i + 16), zero));
        }
        Vector128<ushort> sum = Sse2.Add(even, odd);
        return Sse2.Extract(sum, 0) + Sse2.Extract(sum, 4);
    }

    // The same sum without SIMD (hosts other than x86): eight bytes at a time, the even and odd bytes of each word
    // in 16-bit lanes of two accumulators (64 words * 255 < 65536, so no lane overflows); four words per step keep
    // the adds independent, and a moving pointer keeps the loads free of address arithmetic.
    internal static unsafe long SumBlockScalar(byte* p)
    {
        const ulong M = 0x00FF00FF00FF00FFUL;
        ulong* q = (ulong*)p;
        ulong* end = q + BlockSize / 8;
        ulong even = 0;
        ulong odd = 0;
        for (; q < end; q += 4)
        {
            ulong v0 = q[0];
            ulong v1 = q[1];
            ulong v2 = q[2];
            ulong v3 = q[3];
            even += ((v0 & M) + (v1 & M)) + ((v2 & M) + (v3 & M));
            odd += (((v0 >> 8) & M) + ((v1 >> 8) & M)) + (((v2 >> 8) & M) + ((v3 >> 8) & M));
        }
        ulong lanes = even + odd; // <= 2 * 64 * 255 per lane
        return (long)((lanes & 0xFFFF) + ((lanes >> 16) & 0xFFFF) + ((lanes >> 32) & 0xFFFF) + (lanes >> 48));
    }

    /// <summary>The unsigned sum of a 512-byte block, by whichever path this machine takes (for tests).</summary>
    internal static unsafe long SumBlock(ReadOnlySpan<byte> block)
    {
        fixed (byte* p = block)
        {
            return SumBlock(p);
        }
    }

    private static unsafe long SumBlock(byte* p) => Sse2.IsSupported ? SumBlockSse2(p) : SumBlockScalar(p);

    /// <summary>The checksum to store for a header whose checksum field is about to be written.</summary>
    public static int ComputeChecksum(ReadOnlySpan<byte> header)
    {
        int sum = 0;
        for (int i = 0; i < BlockSize; i++)
        {
            sum += i >= ChecksumOffset && i < ChecksumOffset + 8 ? ' ' : header[i];
        }
        return sum;
    }

    /// <summary>
    /// Parses an octal or base-256 numeric field. False for garbage or a value that does not fit in 63 bits.
    /// An empty (all NUL or all space) field is 0.
    /// </summary>
    public static unsafe bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length == 0)
        {
            return true;
        }
        if (field.Length == 8 || field.Length == 12)
        {
            // Fast path for what every writer emits: digits filling the field up to one or two terminators
            // ("0000644\0", "00000001750\0", the checksum's "012345\0 "). Anything else takes the general parser,
            // which gives the same value for these cases.
            fixed (byte* f = field)
            {
                if (TryParseCanonicalOctal(f, field.Length, out value))
                {
                    return true;
                }
            }
            value = 0;
        }
        byte first = field[0];
        if ((first & 0x80) != 0)
        {
            return TryParseBase256(field, out value);
        }
        int i = 0;
        while (i < field.Length && field[i] == (byte)' ')
        {
            i++;
        }
        long v = 0;
        for (; i < field.Length; i++)
        {
            byte c = field[i];
            if (c >= (byte)'0' && c <= (byte)'7')
            {
                if (v > (long.MaxValue >> 3))
                {
                    return false;
                }
                v = (v << 3) | (long)(c - '0');
                continue;
            }
            if (c == 0 || c == (byte)' ')
            {
                // Only terminators may follow the digits.
                for (int k = i + 1; k < field.Length; k++)
                {
                    if (field[k] != 0 && field[k] != (byte)' ')
                    {
                        return false;
                    }
                }
                break;
            }
            return false;
        }
        value = v;
        return true;
    }

    // Eight octal digits in the eight bytes of `w` (first digit in the lowest byte), or -1 if a byte is not '0'-'7'.
    // SWAR: every byte must look like 0b00110xxx; then adjacent digit groups are merged pairwise (3+3, 6+6, 12+12
    // bits) with multiplies that cannot carry across lanes.
    private static long Octal8(ulong w)
    {
        if ((w & 0xF8F8F8F8F8F8F8F8UL) != 0x3030303030303030UL)
        {
            return -1;
        }
        ulong v = w & 0x0707070707070707UL;
        v = ((v * 8) + (v >> 8)) & 0x00FF00FF00FF00FFUL;
        v = ((v * 64) + (v >> 16)) & 0x0000FFFF0000FFFFUL;
        v = ((v * 4096) + (v >> 32)) & 0xFFFFFFFFUL;
        return (long)v;
    }

    private static bool IsTerminator(byte b) => b == 0 || b == (byte)' ';

    // 8-byte field: 7 digits + terminator or 6 digits + 2 terminators. 12-byte field: 11 digits + terminator or
    // 10 digits + 2 terminators. Values fit easily (at most 33 bits).
    private static unsafe bool TryParseCanonicalOctal(byte* f, int length, out long value)
    {
        value = 0;
        int digits;
        if (!IsTerminator(f[length - 1]))
        {
            return false;
        }
        digits = IsTerminator(f[length - 2]) ? length - 2 : length - 1;
        // Shift the digits to the top of eight bytes, padding the front with '0's.
        ulong tail;
        long high = 0;
        if (length == 8)
        {
            ulong w = *(ulong*)f;
            tail = w << (8 * (8 - digits));
            tail |= 0x3030303030303030UL >> (8 * digits);
        }
        else
        {
            // 12 bytes: the last eight digits end at digits - 1; the first (digits - 8) come before them.
            ulong w = *(ulong*)(f + digits - 8);
            tail = w;
            for (int i = 0; i < digits - 8; i++)
            {
                byte c = f[i];
                if (c < (byte)'0' || c > (byte)'7')
                {
                    return false;
                }
                high = (high << 3) | (long)(c - '0');
            }
        }
        long low = Octal8(tail);
        if (low < 0)
        {
            return false;
        }
        value = (high << 24) | low;
        return true;
    }

    private static bool TryParseBase256(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        bool negative = field[0] == 0xFF;
        if (!negative && field[0] != 0x80)
        {
            return false;
        }
        // The value is big endian in the remaining bytes (the first byte's low bits are a sign extension in
        // practice); anything that needs more than 63 bits is rejected rather than wrapped.
        ulong v = 0;
        ulong fill = negative ? 0xFFUL : 0UL;
        int significant = 0;
        for (int i = 1; i < field.Length; i++)
        {
            ulong b = field[i];
            if (significant == 0 && b == fill)
            {
                continue;
            }
            significant++;
            if (significant > 8)
            {
                return false;
            }
            v = (v << 8) | b;
        }
        if (negative)
        {
            // Sign-extend from the significant bytes.
            if (significant < 8)
            {
                v |= ulong.MaxValue << (8 * significant);
            }
            long s = (long)v;
            if (s >= 0)
            {
                return false;
            }
            value = s;
            return true;
        }
        if (v > long.MaxValue)
        {
            return false;
        }
        value = (long)v;
        return true;
    }

    /// <summary>Little-endian u32 at <paramref name="offset"/>.</summary>
    public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> data, int offset)
    {
        return (uint)(data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24));
    }

    /// <summary>Writes a little-endian u32 at <paramref name="offset"/>.</summary>
    public static void WriteUInt32LittleEndian(Span<byte> data, int offset, uint value)
    {
        data[offset] = (byte)value;
        data[offset + 1] = (byte)(value >> 8);
        data[offset + 2] = (byte)(value >> 16);
        data[offset + 3] = (byte)(value >> 24);
    }

    /// <summary>Writes <paramref name="value"/> as zero-padded octal filling width-1 digits plus a NUL.</summary>
    public static bool TryWriteOctal(Span<byte> field, long value)
    {
        int digits = field.Length - 1;
        if (value < 0)
        {
            return false;
        }
        long v = value;
        for (int i = digits - 1; i >= 0; i--)
        {
            field[i] = (byte)('0' + (int)(v & 7));
            v >>= 3;
        }
        field[digits] = 0;
        return v == 0;
    }
}
