// Deflater.cs -- DEFLATE encoder (RFC 1951): LZ77 with hash chains and one fixed-Huffman block, or stored blocks
// when that is smaller. Simple and bounded rather than tight: it writes the kernel's state.tgz.

using System;

namespace VisorFs;

/// <summary>
/// Compresses a whole buffer in one call. Matching: a 3-byte hash (15 bits) with chains over a 32 KB window,
/// at most <see cref="MaxChain"/> candidates, greedy, lengths 3-258. Coding: one final block with the fixed
/// Huffman code (BTYPE 01); if that would be larger than the input stored (BTYPE 00, 65,535-byte blocks), stored
/// blocks are written instead, so the output never exceeds <see cref="MaxCompressedLength"/>. One instance owns
/// 192 KB of tables and is not thread safe.
/// </summary>
public sealed class Deflater
{
    public const int MaxChain = 32;
    private const int WindowSize = 32768;
    private const int HashBits = 15;
    private const int MinMatch = 3;
    private const int MaxMatch = 258;
    private const int StoredBlock = 65535;

    private readonly int[] _head = new int[1 << HashBits];
    private readonly int[] _prev = new int[WindowSize];

    /// <summary>An output size that always suffices: the stored form of <paramref name="length"/> bytes.</summary>
    public static int MaxCompressedLength(int length) => length + 5 * (length / StoredBlock + 1) + 8;

    /// <summary>
    /// Compresses <paramref name="input"/> into <paramref name="output"/>; returns the bytes written, or -1 if the
    /// output is shorter than <see cref="MaxCompressedLength"/> would need.
    /// </summary>
    public int Deflate(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int stored = MaxCompressedLength(input.Length) - 8;
        if (output.Length < stored)
        {
            return -1;
        }
        var w = new BitWriter(output);
        if (TryFixed(input, ref w) && w.Position < StoredSize(input.Length))
        {
            return w.Position;
        }
        return WriteStored(input, output);
    }

    private static int StoredSize(int length) => length + 5 * (length == 0 ? 1 : (length + StoredBlock - 1) / StoredBlock);

    private static int WriteStored(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int pos = 0, done = 0;
        do
        {
            int n = input.Length - done > StoredBlock ? StoredBlock : input.Length - done;
            bool last = done + n == input.Length;
            output[pos++] = (byte)(last ? 1 : 0);   // BFINAL, BTYPE 00, padded to the byte
            output[pos++] = (byte)n;
            output[pos++] = (byte)(n >> 8);
            output[pos++] = (byte)~n;
            output[pos++] = (byte)(~n >> 8);
            input.Slice(done, n).CopyTo(output.Slice(pos, n));
            pos += n;
            done += n;
        }
        while (done < input.Length);
        return pos;
    }

    // One fixed-Huffman block; false if the output ran out (the caller then stores).
    private bool TryFixed(ReadOnlySpan<byte> input, ref BitWriter w)
    {
        for (int i = 0; i < _head.Length; i++)
        {
            _head[i] = -1;
        }
        w.Write(1, 1);   // BFINAL
        w.Write(1, 2);   // BTYPE 01
        int pos = 0;
        int n = input.Length;
        while (pos < n)
        {
            if (w.Overflow)
            {
                return false;
            }
            int bestLength = 0, bestDistance = 0;
            if (pos + MinMatch <= n)
            {
                int h = Hash(input, pos);
                int candidate = _head[h];
                int chain = MaxChain;
                int limit = n - pos < MaxMatch ? n - pos : MaxMatch;
                while (candidate >= 0 && pos - candidate <= WindowSize && chain-- > 0)
                {
                    int length = 0;
                    while (length < limit && input[candidate + length] == input[pos + length])
                    {
                        length++;
                    }
                    if (length > bestLength)
                    {
                        bestLength = length;
                        bestDistance = pos - candidate;
                        if (length == limit)
                        {
                            break;
                        }
                    }
                    int next = _prev[candidate & (WindowSize - 1)];
                    if (next >= candidate)
                    {
                        break;
                    }
                    candidate = next;
                }
                _prev[pos & (WindowSize - 1)] = _head[h];
                _head[h] = pos;
            }
            if (bestLength >= MinMatch)
            {
                WriteLength(ref w, bestLength);
                WriteDistance(ref w, bestDistance);
                // Index the positions inside the match so later data can refer to them.
                for (int k = 1; k < bestLength; k++)
                {
                    int p = pos + k;
                    if (p + MinMatch <= n)
                    {
                        int h = Hash(input, p);
                        _prev[p & (WindowSize - 1)] = _head[h];
                        _head[h] = p;
                    }
                }
                pos += bestLength;
            }
            else
            {
                WriteLiteral(ref w, input[pos]);
                pos++;
            }
        }
        WriteSymbol(ref w, 256);   // end of block
        w.Flush();
        return !w.Overflow;
    }

    private static int Hash(ReadOnlySpan<byte> data, int pos)
        => (int)(((uint)(data[pos] | (data[pos + 1] << 8) | (data[pos + 2] << 16)) * 2654435761u) >> (32 - HashBits));

    private static void WriteLiteral(ref BitWriter w, int value) => WriteSymbol(ref w, value);

    // Fixed code (RFC 1951 3.2.6): 0-143 8 bits from 0x30, 144-255 9 bits from 0x190, 256-279 7 bits from 0,
    // 280-287 8 bits from 0xC0. Huffman codes go out most significant bit first.
    private static void WriteSymbol(ref BitWriter w, int symbol)
    {
        if (symbol < 144)
        {
            w.WriteReversed(0x30 + symbol, 8);
        }
        else if (symbol < 256)
        {
            w.WriteReversed(0x190 + symbol - 144, 9);
        }
        else if (symbol < 280)
        {
            w.WriteReversed(symbol - 256, 7);
        }
        else
        {
            w.WriteReversed(0xC0 + symbol - 280, 8);
        }
    }

    private static void WriteLength(ref BitWriter w, int length)
    {
        int code = 28;
        while (DeflateTables.LengthBase[code] > length)
        {
            code--;
        }
        WriteSymbol(ref w, 257 + code);
        if (DeflateTables.LengthExtra[code] > 0)
        {
            w.Write((uint)(length - DeflateTables.LengthBase[code]), DeflateTables.LengthExtra[code]);
        }
    }

    private static void WriteDistance(ref BitWriter w, int distance)
    {
        int code = 29;
        while (DeflateTables.DistanceBase[code] > distance)
        {
            code--;
        }
        w.WriteReversed(code, 5);
        if (DeflateTables.DistanceExtra[code] > 0)
        {
            w.Write((uint)(distance - DeflateTables.DistanceBase[code]), DeflateTables.DistanceExtra[code]);
        }
    }

    /// <summary>LSB-first bit packing into a span; sets <see cref="Overflow"/> instead of writing past the end.</summary>
    private ref struct BitWriter
    {
        private readonly Span<byte> _out;
        private ulong _bits;
        private int _count;
        public int Position;
        public bool Overflow;

        public BitWriter(Span<byte> output)
        {
            _out = output;
            _bits = 0;
            _count = 0;
            Position = 0;
            Overflow = false;
        }

        public void Write(uint value, int bits)
        {
            _bits |= (ulong)value << _count;
            _count += bits;
            while (_count >= 8)
            {
                Put((byte)_bits);
                _bits >>= 8;
                _count -= 8;
            }
        }

        public void WriteReversed(int code, int bits)
        {
            uint r = 0;
            for (int i = 0; i < bits; i++)
            {
                r = (r << 1) | (uint)((code >> i) & 1);
            }
            Write(r, bits);
        }

        public void Flush()
        {
            if (_count > 0)
            {
                Put((byte)_bits);
                _bits = 0;
                _count = 0;
            }
        }

        private void Put(byte b)
        {
            if (Position >= _out.Length)
            {
                Overflow = true;
                return;
            }
            _out[Position++] = b;
        }
    }
}
