// Inflater.cs -- DEFLATE (RFC 1951) decoder: one shot from a span into a preallocated span, errors as values.

using System;

namespace VisorFs;

/// <summary>Outcome of <see cref="Inflater.Inflate"/>.</summary>
public enum InflateStatus
{
    /// <summary>The final block was decoded.</summary>
    Ok,
    /// <summary>The input ended before the final block did.</summary>
    Truncated,
    /// <summary>The stream is not valid DEFLATE (bad block type, bad code lengths, distance too far back, ...).</summary>
    InvalidData,
    /// <summary>The output span is full but the stream has more to produce.</summary>
    OutputTooSmall,
}

/// <summary>
/// DEFLATE decoder. The whole output is one span the caller has reserved, so the output itself is the sliding
/// window: no 32 KB window copy, matches copy straight from what was already produced.
/// </summary>
/// <remarks>
/// Stream format (RFC 1951), bits are packed LSB first:
/// <code>
/// block   := BFINAL:1 BTYPE:2 body          BTYPE 0 stored, 1 fixed Huffman, 2 dynamic Huffman, 3 invalid
/// stored  := pad to byte, LEN:16 NLEN:16 (NLEN == ~LEN), LEN raw bytes
/// fixed   := symbols coded with the fixed code (lit 0-143: 8 bits, 144-255: 9, 256-279: 7, 280-287: 8; dist: 5)
/// dynamic := HLIT:5 (+257) HDIST:5 (+1) HCLEN:4 (+4), HCLEN x 3-bit code-length-code lengths in the order
///            16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15, then HLIT+HDIST code lengths coded with that code
///            (16: repeat previous 3-6 times, 17: 3-10 zeros, 18: 11-138 zeros), then the symbols.
/// symbol  := 0-255 literal, 256 end of block, 257-285 length (+extra bits) followed by a distance code (+extra).
/// </code>
/// Huffman codes are decoded with lookup tables in the style of zlib: a primary table indexed by the next
/// <see cref="LitLenRootBits"/> (or <see cref="DistRootBits"/>) bits of input, whose entries either decode a symbol
/// directly or point to a secondary table for the rare longer codes. The hot loop keeps a 64-bit bit buffer
/// refilled with one unaligned 8-byte load, and copies matches eight bytes at a time; it runs while at least
/// 16 input bytes and <see cref="FastOutputMargin"/> output bytes remain, and a careful loop with full bounds
/// checks finishes the stream. One instance owns its tables (about 14 KB) and may be reused; it is not thread safe.
/// </remarks>
public sealed unsafe class Inflater
{
    private const int LitLenRootBits = 10;
    private const int DistRootBits = 8;
    private const int CodeLenRootBits = 7;
    // zlib's "enough" bounds for these root sizes are 1332 and 402 entries; round up, and the builder still checks.
    private const int LitLenTableSize = 2048;
    private const int DistTableSize = 1024;
    private const int CodeLenTableSize = 128;
    // One fast-loop iteration writes at most two literals, or one 258-byte match plus 7 bytes of over-copy.
    private const int FastOutputMargin = 258 + 8 + 8;
    private const int FastInputMargin = 16;

    // Table entry layout (uint):
    //   bits 0-7   bits of input this entry consumes (for a subtable pointer: the root bits)
    //   bits 8-11  extra bits that follow the code (length/distance), or the subtable's index bits
    //   bits 12-15 kind: literal, length/distance, end of block, subtable pointer, or 0 = invalid code
    //   bits 16-31 literal byte, length or distance base, or subtable offset from the table start
    private const uint KindLiteral = 0x8000;
    private const uint KindLength = 0x4000; // also "distance" in the distance table
    private const uint KindEnd = 0x2000;
    private const uint KindSubtable = 0x1000;
    private const uint KindMask = 0xF000;

    private const int TableLitLen = 0;
    private const int TableDist = 1;
    private const int TableCodeLen = 2;

    private static readonly byte[] s_codeLenOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    private readonly uint[] _litLen = new uint[LitLenTableSize];
    private readonly uint[] _dist = new uint[DistTableSize];
    private readonly uint[] _codeLen = new uint[CodeLenTableSize];
    private readonly byte[] _lengths = new byte[288 + 32];
    private readonly ushort[] _work = new ushort[288];
    private readonly ushort[] _count = new ushort[16];
    private readonly ushort[] _offsets = new ushort[16];
    private uint[]? _fixedLitLen;
    private uint[]? _fixedDist;

    // Bit reader state shared by the block-level code; the Huffman loop copies it into locals so the JIT keeps it
    // in registers, and writes it back when the block ends.
    private struct BitState
    {
        public byte* In;
        public byte* InEnd;
        public ulong Buffer;
        public int Count;
        public byte* Out;
    }

    /// <summary>
    /// Decodes one complete DEFLATE stream from <paramref name="input"/> into <paramref name="output"/>.
    /// <paramref name="consumed"/> is the number of input bytes up to the end of the final block (so a gzip trailer
    /// follows at that offset); <paramref name="produced"/> the bytes written. Never throws on bad data and never
    /// touches memory outside the two spans.
    /// </summary>
    public InflateStatus Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        consumed = 0;
        produced = 0;
        // Pinning an empty span gives a null pointer; a one-byte dummy keeps the pointer arithmetic well defined.
        byte dummyIn = 0;
        byte dummyOut = 0;
        fixed (byte* inPinned = input)
        fixed (byte* outPinned = output)
        {
            byte* inBase = input.Length == 0 ? &dummyIn : inPinned;
            byte* outBase = output.Length == 0 ? &dummyOut : outPinned;
            BitState s;
            s.In = inBase;
            s.InEnd = inBase + input.Length;
            s.Buffer = 0;
            s.Count = 0;
            s.Out = outBase;
            byte* outEnd = outBase + output.Length;
            InflateStatus status = InflateBlocks(ref s, outBase, outEnd);
            produced = (int)(s.Out - outBase);
            // Whole bytes still in the bit buffer were read ahead but not used; the partial byte is padding.
            long used = (s.In - inBase) - (s.Count >> 3);
            consumed = (int)(used < 0 ? 0 : used);
            return status;
        }
    }

    private InflateStatus InflateBlocks(ref BitState s, byte* outBase, byte* outEnd)
    {
        while (true)
        {
            if (!Need(ref s, 3))
            {
                return InflateStatus.Truncated;
            }
            bool final = (s.Buffer & 1) != 0;
            int type = (int)(s.Buffer >> 1) & 3;
            Drop(ref s, 3);
            InflateStatus status;
            if (type == 0)
            {
                status = Stored(ref s, outEnd);
            }
            else if (type == 1)
            {
                if (_fixedLitLen == null || _fixedDist == null)
                {
                    BuildFixedTables();
                }
                status = DecodeHuffman(ref s, outBase, outEnd, _fixedLitLen!, _fixedDist!);
            }
            else if (type == 2)
            {
                status = ReadDynamicHeader(ref s);
                if (status == InflateStatus.Ok)
                {
                    status = DecodeHuffman(ref s, outBase, outEnd, _litLen, _dist);
                }
            }
            else
            {
                return InflateStatus.InvalidData;
            }
            if (status != InflateStatus.Ok)
            {
                return status;
            }
            if (final)
            {
                return InflateStatus.Ok;
            }
        }
    }

    // Ensures at least n (<= 57) bits are buffered, reading byte by byte; false when the input runs out first.
    private static bool Need(ref BitState s, int n)
    {
        while (s.Count < n)
        {
            if (s.In >= s.InEnd)
            {
                return false;
            }
            s.Buffer |= (ulong)(*s.In) << s.Count;
            s.In++;
            s.Count += 8;
        }
        return true;
    }

    private static void Drop(ref BitState s, int n)
    {
        s.Buffer >>= n;
        s.Count -= n;
    }

    private static InflateStatus Stored(ref BitState s, byte* outEnd)
    {
        // Skip to a byte boundary, then give back the whole bytes the bit buffer read ahead so LEN/NLEN and the
        // payload can be read straight from the input.
        Drop(ref s, s.Count & 7);
        s.In -= s.Count >> 3;
        s.Buffer = 0;
        s.Count = 0;
        if (s.InEnd - s.In < 4)
        {
            return InflateStatus.Truncated;
        }
        int len = s.In[0] | (s.In[1] << 8);
        int nlen = s.In[2] | (s.In[3] << 8);
        if ((len ^ 0xFFFF) != nlen)
        {
            return InflateStatus.InvalidData;
        }
        s.In += 4;
        long inLeft = s.InEnd - s.In;
        long outLeft = outEnd - s.Out;
        int n = len;
        InflateStatus status = InflateStatus.Ok;
        if (n > outLeft)
        {
            n = (int)outLeft;
            status = InflateStatus.OutputTooSmall;
        }
        if (n > inLeft)
        {
            n = (int)inLeft;
            status = InflateStatus.Truncated;
        }
        new ReadOnlySpan<byte>(s.In, n).CopyTo(new Span<byte>(s.Out, n));
        s.In += n;
        s.Out += n;
        return status;
    }

    private void BuildFixedTables()
    {
        uint[] lit = new uint[LitLenTableSize];
        uint[] dist = new uint[DistTableSize];
        Span<byte> lens = _lengths;
        for (int i = 0; i < 144; i++) lens[i] = 8;
        for (int i = 144; i < 256; i++) lens[i] = 9;
        for (int i = 256; i < 280; i++) lens[i] = 7;
        for (int i = 280; i < 288; i++) lens[i] = 8;
        BuildTable(lens.Slice(0, 288), TableLitLen, lit, LitLenRootBits);
        for (int i = 0; i < 32; i++) lens[i] = 5;
        BuildTable(lens.Slice(0, 32), TableDist, dist, DistRootBits);
        _fixedLitLen = lit;
        _fixedDist = dist;
    }

    private InflateStatus ReadDynamicHeader(ref BitState s)
    {
        if (!Need(ref s, 14))
        {
            return InflateStatus.Truncated;
        }
        int hlit = (int)(s.Buffer & 31) + 257;
        int hdist = (int)((s.Buffer >> 5) & 31) + 1;
        int hclen = (int)((s.Buffer >> 10) & 15) + 4;
        Drop(ref s, 14);
        // 286/287 and 30/31 exist in the fixed code only as filler; a header announcing them is corrupt.
        if (hlit > 286 || hdist > 30)
        {
            return InflateStatus.InvalidData;
        }
        byte[] lens = _lengths;
        for (int i = 0; i < 19; i++)
        {
            lens[i] = 0;
        }
        for (int i = 0; i < hclen; i++)
        {
            if (!Need(ref s, 3))
            {
                return InflateStatus.Truncated;
            }
            lens[s_codeLenOrder[i]] = (byte)(s.Buffer & 7);
            Drop(ref s, 3);
        }
        if (!BuildTable(new ReadOnlySpan<byte>(lens, 0, 19), TableCodeLen, _codeLen, CodeLenRootBits))
        {
            return InflateStatus.InvalidData;
        }
        // The literal/length and distance lengths form one sequence: a repeat may run from one into the other.
        int total = hlit + hdist;
        int n = 0;
        uint[] codeLen = _codeLen;
        while (n < total)
        {
            // Longest code-length code is 7 bits plus 7 extra bits for symbol 18.
            Need(ref s, 14);
            uint e = codeLen[s.Buffer & ((1u << CodeLenRootBits) - 1)];
            int bits = (int)(e & 0xFF);
            if ((e & KindMask) == 0)
            {
                return InflateStatus.InvalidData;
            }
            if (bits > s.Count)
            {
                return InflateStatus.Truncated;
            }
            Drop(ref s, bits);
            int sym = (int)(e >> 16);
            if (sym < 16)
            {
                lens[n++] = (byte)sym;
                continue;
            }
            int repeat;
            byte value = 0;
            if (sym == 16)
            {
                if (n == 0)
                {
                    return InflateStatus.InvalidData;
                }
                if (s.Count < 2)
                {
                    return InflateStatus.Truncated;
                }
                value = lens[n - 1];
                repeat = 3 + (int)(s.Buffer & 3);
                Drop(ref s, 2);
            }
            else if (sym == 17)
            {
                if (s.Count < 3)
                {
                    return InflateStatus.Truncated;
                }
                repeat = 3 + (int)(s.Buffer & 7);
                Drop(ref s, 3);
            }
            else
            {
                if (s.Count < 7)
                {
                    return InflateStatus.Truncated;
                }
                repeat = 11 + (int)(s.Buffer & 127);
                Drop(ref s, 7);
            }
            if (n + repeat > total)
            {
                return InflateStatus.InvalidData;
            }
            while (repeat-- > 0)
            {
                lens[n++] = value;
            }
        }
        // Without a code for end-of-block the block could never end.
        if (lens[256] == 0)
        {
            return InflateStatus.InvalidData;
        }
        if (!BuildTable(new ReadOnlySpan<byte>(lens, 0, hlit), TableLitLen, _litLen, LitLenRootBits))
        {
            return InflateStatus.InvalidData;
        }
        if (!BuildTable(new ReadOnlySpan<byte>(lens, hlit, hdist), TableDist, _dist, DistRootBits))
        {
            return InflateStatus.InvalidData;
        }
        return InflateStatus.Ok;
    }

    // The entry for a symbol, without its bit count.
    private static uint SymbolEntry(int tableKind, int sym)
    {
        if (tableKind == TableCodeLen)
        {
            return ((uint)sym << 16) | KindLiteral;
        }
        if (tableKind == TableDist)
        {
            if (sym >= 30)
            {
                return 0;
            }
            return ((uint)DeflateTables.DistanceBase[sym] << 16) | KindLength | ((uint)DeflateTables.DistanceExtra[sym] << 8);
        }
        if (sym < 256)
        {
            return ((uint)sym << 16) | KindLiteral;
        }
        if (sym == 256)
        {
            return KindEnd;
        }
        if (sym >= 286)
        {
            return 0;
        }
        return ((uint)DeflateTables.LengthBase[sym - 257] << 16) | KindLength | ((uint)DeflateTables.LengthExtra[sym - 257] << 8);
    }

    /// <summary>
    /// Builds a decoding table for canonical Huffman code lengths (zlib's inflate_table algorithm). Rejects
    /// over-subscribed codes, and incomplete ones except a single 1-bit code (RFC 1951 allows one distance code).
    /// Entries no code reaches stay invalid.
    /// </summary>
    private bool BuildTable(ReadOnlySpan<byte> lens, int tableKind, uint[] table, int root)
    {
        ushort[] count = _count;
        ushort[] offs = _offsets;
        ushort[] work = _work;
        for (int i = 0; i < 16; i++)
        {
            count[i] = 0;
        }
        for (int sym = 0; sym < lens.Length; sym++)
        {
            count[lens[sym]]++;
        }
        int rootSize = 1 << root;
        for (int i = 0; i < rootSize; i++)
        {
            table[i] = 0;
        }
        int max = 15;
        while (max >= 1 && count[max] == 0)
        {
            max--;
        }
        if (max == 0)
        {
            // No codes at all: legal for distances (a block of literals only); every lookup is invalid.
            return tableKind == TableDist;
        }
        int min = 1;
        while (min < max && count[min] == 0)
        {
            min++;
        }
        int left = 1;
        for (int len = 1; len <= 15; len++)
        {
            left <<= 1;
            left -= count[len];
            if (left < 0)
            {
                return false;
            }
        }
        if (left > 0 && (tableKind == TableCodeLen || max != 1))
        {
            return false;
        }
        offs[1] = 0;
        for (int len = 1; len < 15; len++)
        {
            offs[len + 1] = (ushort)(offs[len] + count[len]);
        }
        for (int sym = 0; sym < lens.Length; sym++)
        {
            if (lens[sym] != 0)
            {
                work[offs[lens[sym]]++] = (ushort)sym;
            }
        }

        uint huff = 0;          // current code, bit-reversed, as it appears in the input
        int symIndex = 0;
        int codeLen = min;
        int next = 0;           // start of the table being filled (0 = primary)
        int curr = root;        // index bits of that table
        int drop = 0;           // bits already consumed by the primary table
        uint low = uint.MaxValue;
        int used = 1 << root;
        uint mask = (uint)used - 1;
        int tableSize = table.Length;
        while (true)
        {
            uint here = SymbolEntry(tableKind, work[symIndex]) | (uint)(codeLen - drop);
            int incr = 1 << (codeLen - drop);
            int fill = 1 << curr;
            int lastFill = fill;
            do
            {
                fill -= incr;
                table[next + (int)(huff >> drop) + fill] = here;
            }
            while (fill != 0);

            // Next code in bit-reversed order.
            uint inc = 1u << (codeLen - 1);
            while ((huff & inc) != 0)
            {
                inc >>= 1;
            }
            if (inc != 0)
            {
                huff &= inc - 1;
                huff += inc;
            }
            else
            {
                huff = 0;
            }

            symIndex++;
            if (--count[codeLen] == 0)
            {
                if (codeLen == max)
                {
                    break;
                }
                codeLen = lens[work[symIndex]];
            }

            if (codeLen > root && (huff & mask) != low)
            {
                if (drop == 0)
                {
                    drop = root;
                }
                next += lastFill;
                // Size the subtable to cover every remaining code that shares this root prefix.
                curr = codeLen - drop;
                int remaining = 1 << curr;
                while (curr + drop < max)
                {
                    remaining -= count[curr + drop];
                    if (remaining <= 0)
                    {
                        break;
                    }
                    curr++;
                    remaining <<= 1;
                }
                used += 1 << curr;
                if (used > tableSize)
                {
                    return false;
                }
                low = huff & mask;
                table[low] = ((uint)next << 16) | KindSubtable | ((uint)curr << 8) | (uint)root;
            }
        }
        return true;
    }

    private static InflateStatus DecodeHuffman(ref BitState s, byte* outStart, byte* outEnd, uint[] litTable, uint[] distTable)
    {
        byte* inp = s.In;
        byte* inEnd = s.InEnd;
        ulong buf = s.Buffer;
        int cnt = s.Count;
        byte* outp = s.Out;
        InflateStatus status;
        const ulong litMask = (1u << LitLenRootBits) - 1;
        const ulong distMask = (1u << DistRootBits) - 1;
        fixed (uint* lit = litTable)
        fixed (uint* dist = distTable)
        {
            // Fast loop: enough input for two 8-byte refills and enough output for the longest match, so neither
            // needs a bounds check. Bits above cnt in buf may hold the next input bits already (the refill reads a
            // whole word but only counts whole bytes that fit); a later refill ORs in the same values.
            while (inEnd - inp >= FastInputMargin && outEnd - outp >= FastOutputMargin)
            {
                buf |= *(ulong*)inp << cnt;
                inp += (63 - cnt) >> 3;
                cnt |= 56;

                uint e = lit[buf & litMask];
                if ((e & KindLiteral) != 0)
                {
                    // A literal costs at most 15 bits, so a second symbol can be decoded without a refill.
                    buf >>= (int)(e & 0xFF);
                    cnt -= (int)(e & 0xFF);
                    *outp++ = (byte)(e >> 16);
                    e = lit[buf & litMask];
                    if ((e & KindLiteral) != 0)
                    {
                        buf >>= (int)(e & 0xFF);
                        cnt -= (int)(e & 0xFF);
                        *outp++ = (byte)(e >> 16);
                        continue;
                    }
                    // Refilling does not change the low bits that selected e.
                    buf |= *(ulong*)inp << cnt;
                    inp += (63 - cnt) >> 3;
                    cnt |= 56;
                }
                if ((e & KindSubtable) != 0)
                {
                    int rootBits = (int)(e & 0xFF);
                    buf >>= rootBits;
                    cnt -= rootBits;
                    e = lit[(e >> 16) + (uint)(buf & ((1UL << (int)((e >> 8) & 0xF)) - 1))];
                    if ((e & KindLiteral) != 0)
                    {
                        buf >>= (int)(e & 0xFF);
                        cnt -= (int)(e & 0xFF);
                        *outp++ = (byte)(e >> 16);
                        continue;
                    }
                }
                buf >>= (int)(e & 0xFF);
                cnt -= (int)(e & 0xFF);
                if ((e & KindLength) == 0)
                {
                    if ((e & KindEnd) != 0)
                    {
                        status = InflateStatus.Ok;
                        goto Done;
                    }
                    status = InflateStatus.InvalidData;
                    goto Done;
                }
                int extra = (int)((e >> 8) & 0xF);
                int length = (int)(e >> 16) + (int)(buf & ((1UL << extra) - 1));
                buf >>= extra;
                cnt -= extra;

                uint d = dist[buf & distMask];
                if ((d & KindSubtable) != 0)
                {
                    int rootBits = (int)(d & 0xFF);
                    buf >>= rootBits;
                    cnt -= rootBits;
                    d = dist[(d >> 16) + (uint)(buf & ((1UL << (int)((d >> 8) & 0xF)) - 1))];
                }
                if ((d & KindLength) == 0)
                {
                    status = InflateStatus.InvalidData;
                    goto Done;
                }
                buf >>= (int)(d & 0xFF);
                cnt -= (int)(d & 0xFF);
                extra = (int)((d >> 8) & 0xF);
                int distance = (int)(d >> 16) + (int)(buf & ((1UL << extra) - 1));
                buf >>= extra;
                cnt -= extra;

                if (distance > outp - outStart)
                {
                    status = InflateStatus.InvalidData;
                    goto Done;
                }
                byte* src = outp - distance;
                byte* end = outp + length;
                if (distance >= 8)
                {
                    // Overlapping is fine: every 8-byte load reads bytes already written. May write up to 7 bytes
                    // past end, inside the fast-loop margin; later output overwrites them.
                    do
                    {
                        *(ulong*)outp = *(ulong*)src;
                        outp += 8;
                        src += 8;
                    }
                    while (outp < end);
                }
                else if (distance == 1)
                {
                    ulong v = *src * 0x0101010101010101UL;
                    do
                    {
                        *(ulong*)outp = v;
                        outp += 8;
                    }
                    while (outp < end);
                }
                else
                {
                    do
                    {
                        *outp++ = *src++;
                    }
                    while (outp < end);
                }
                outp = end;
            }

            // Careful loop: byte-wise refill, every access checked. After the input ends, bits above cnt are
            // zero, so a lookup still works; a code longer than the real bits left means the input was cut short.
            while (true)
            {
                while (cnt <= 56 && inp < inEnd)
                {
                    buf |= (ulong)(*inp++) << cnt;
                    cnt += 8;
                }
                uint e = lit[buf & litMask];
                if ((e & KindSubtable) != 0)
                {
                    int rootBits = (int)(e & 0xFF);
                    if (rootBits > cnt)
                    {
                        status = InflateStatus.Truncated;
                        goto Done;
                    }
                    buf >>= rootBits;
                    cnt -= rootBits;
                    e = lit[(e >> 16) + (uint)(buf & ((1UL << (int)((e >> 8) & 0xF)) - 1))];
                }
                if ((e & KindMask) == 0)
                {
                    status = InflateStatus.InvalidData;
                    goto Done;
                }
                int bits = (int)(e & 0xFF);
                if (bits > cnt)
                {
                    status = InflateStatus.Truncated;
                    goto Done;
                }
                buf >>= bits;
                cnt -= bits;
                if ((e & KindLiteral) != 0)
                {
                    if (outp >= outEnd)
                    {
                        status = InflateStatus.OutputTooSmall;
                        goto Done;
                    }
                    *outp++ = (byte)(e >> 16);
                    continue;
                }
                if ((e & KindEnd) != 0)
                {
                    status = InflateStatus.Ok;
                    goto Done;
                }
                int extra = (int)((e >> 8) & 0xF);
                if (extra > cnt)
                {
                    status = InflateStatus.Truncated;
                    goto Done;
                }
                int length = (int)(e >> 16) + (int)(buf & ((1UL << extra) - 1));
                buf >>= extra;
                cnt -= extra;

                while (cnt <= 56 && inp < inEnd)
                {
                    buf |= (ulong)(*inp++) << cnt;
                    cnt += 8;
                }
                uint d = dist[buf & distMask];
                if ((d & KindSubtable) != 0)
                {
                    int rootBits = (int)(d & 0xFF);
                    if (rootBits > cnt)
                    {
                        status = InflateStatus.Truncated;
                        goto Done;
                    }
                    buf >>= rootBits;
                    cnt -= rootBits;
                    d = dist[(d >> 16) + (uint)(buf & ((1UL << (int)((d >> 8) & 0xF)) - 1))];
                }
                if ((d & KindLength) == 0)
                {
                    status = InflateStatus.InvalidData;
                    goto Done;
                }
                bits = (int)(d & 0xFF);
                extra = (int)((d >> 8) & 0xF);
                if (bits + extra > cnt)
                {
                    status = InflateStatus.Truncated;
                    goto Done;
                }
                buf >>= bits;
                cnt -= bits;
                int distance = (int)(d >> 16) + (int)(buf & ((1UL << extra) - 1));
                buf >>= extra;
                cnt -= extra;
                if (distance > outp - outStart)
                {
                    status = InflateStatus.InvalidData;
                    goto Done;
                }
                if (length > outEnd - outp)
                {
                    status = InflateStatus.OutputTooSmall;
                    goto Done;
                }
                byte* src = outp - distance;
                for (int i = 0; i < length; i++)
                {
                    outp[i] = src[i];
                }
                outp += length;
            }
        }
    Done:
        s.In = inp;
        s.Buffer = buf;
        s.Count = cnt;
        s.Out = outp;
        return status;
    }
}
