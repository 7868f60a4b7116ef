// InflaterTests.cs -- differential and edge-case tests of the DEFLATE decoder against System.IO.Compression.
using System.IO.Compression;
using CsCheck;

namespace VisorFs.Tests;

public class InflaterTests
{
    private static byte[] InflateAll(byte[] compressed, int expectedLength, out int consumed)
    {
        var output = new byte[expectedLength];
        var status = new Inflater().Inflate(compressed, output, out consumed, out int produced);
        Assert.Equal(InflateStatus.Ok, status);
        Assert.Equal(expectedLength, produced);
        return output;
    }

    private static byte[] BclInflate(byte[] compressed)
    {
        using var ds = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress);
        var ms = new MemoryStream();
        ds.CopyTo(ms);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Fastest)]
    [InlineData(CompressionLevel.Optimal)]
    [InlineData(CompressionLevel.SmallestSize)]
    public void MatchesDeflateStreamOnRandomData(CompressionLevel level)
    {
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 150_000], Gen.Int)
            .Sample((kind, size, seed) =>
            {
                byte[] data = kind switch
                {
                    0 => TestData.Text(size, seed),
                    1 => TestData.Binary(size, seed),
                    2 => TestData.Random(size, seed),
                    _ => new byte[size],
                };
                byte[] compressed = TestData.Deflate(data, level);
                if (compressed.Length == 0)
                {
                    // DeflateStream writes nothing at all for empty data (see EmptyAndOneByteInputs): no stream to
                    // match, and no input is a truncated stream for us.
                    Assert.Empty(data);
                    Assert.Equal(InflateStatus.Truncated, new Inflater().Inflate([], [], out _, out _));
                    return;
                }
                byte[] ours = InflateAll(compressed, data.Length, out int consumed);
                Assert.Equal(compressed.Length, consumed);
                Assert.True(ours.AsSpan().SequenceEqual(data));
            }, iter: 60);
    }

    [Fact]
    public void EmptyAndOneByteInputs()
    {
        foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Optimal })
        {
            byte[] one = TestData.Deflate([0x5A], level);
            Assert.Equal(new byte[] { 0x5A }, InflateAll(one, 1, out _));
        }
        // DeflateStream writes nothing for empty data, so the empty streams are built by hand: a fixed block
        // holding only end-of-block, and an empty final stored block.
        Assert.Empty(InflateAll([0x03, 0x00], 0, out int c1));
        Assert.Equal(2, c1);
        Assert.Empty(InflateAll([0x01, 0x00, 0x00, 0xFF, 0xFF], 0, out int c2));
        Assert.Equal(5, c2);
        // No input at all is a truncated stream, not a crash.
        Assert.Equal(InflateStatus.Truncated, new Inflater().Inflate([], new byte[10], out _, out _));
        Assert.Equal(InflateStatus.Truncated, new Inflater().Inflate([], [], out _, out _));
    }

    [Fact]
    public void RealFiles()
    {
        byte[] assembly = File.ReadAllBytes(typeof(Inflater).Assembly.Location);
        byte[] self = File.ReadAllBytes(typeof(InflaterTests).Assembly.Location);
        byte[] text = TestData.RepoText();
        Assert.NotEmpty(text);
        foreach (byte[] data in new[] { assembly, self, text })
        {
            foreach (var level in new[] { CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize })
            {
                byte[] compressed = TestData.Deflate(data, level);
                Assert.True(InflateAll(compressed, data.Length, out _).AsSpan().SequenceEqual(data));
            }
        }
    }

    [Fact]
    public void StoredBlocksHandBuilt()
    {
        var w = new BitWriter();
        byte[] a = TestData.Random(1000, 1);
        byte[] b = TestData.Random(65535, 2);
        w.StoredBlock(a, final: false);
        w.StoredBlock([], final: false);
        w.StoredBlock(b, final: true);
        byte[] stream = w.ToArray();
        byte[] expected = [.. a, .. b];
        Assert.Equal(expected, InflateAll(stream, expected.Length, out int consumed));
        Assert.Equal(stream.Length, consumed);
        Assert.Equal(expected, BclInflate(stream));
    }

    [Fact]
    public void StoredBlockWithBadNlenIsInvalid()
    {
        byte[] stream = [0x01, 0x05, 0x00, 0xFA, 0xFE, 1, 2, 3, 4, 5];
        Assert.Equal(InflateStatus.InvalidData, new Inflater().Inflate(stream, new byte[5], out _, out _));
    }

    [Fact]
    public void FixedBlocksCoverEveryLengthAndDistance()
    {
        // A 33 KB literal prefix, then one match of every length 3..258 and distances spanning every distance code
        // class, including the window edge 32768.
        var rng = new Random(7);
        var w = new BitWriter();
        var expected = new List<byte>();
        w.Bits(1, 1);
        w.Bits(1, 2);
        for (int i = 0; i < 33_000; i++)
        {
            byte lit = (byte)rng.Next(256);
            w.FixedLiteral(lit);
            expected.Add(lit);
        }
        int[] distances = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24, 25, 32, 33, 48, 49, 64, 65, 96, 97, 128, 129, 192,
            193, 256, 257, 384, 385, 512, 513, 768, 769, 1024, 1025, 1536, 1537, 2048, 2049, 3072, 3073, 4096, 4097,
            6144, 6145, 8192, 8193, 12288, 12289, 16384, 16385, 24576, 24577, 32767, 32768];
        int di = 0;
        for (int length = 3; length <= 258; length++)
        {
            int distance = distances[di++ % distances.Length];
            w.FixedMatch(length, distance);
            int start = expected.Count - distance;
            for (int k = 0; k < length; k++)
            {
                expected.Add(expected[start + k]);
            }
        }
        foreach (int distance in distances)
        {
            w.FixedMatch(258, distance);
            int start = expected.Count - distance;
            for (int k = 0; k < 258; k++)
            {
                expected.Add(expected[start + k]);
            }
        }
        w.FixedEnd();
        byte[] stream = w.ToArray();
        byte[] want = expected.ToArray();
        Assert.Equal(want, BclInflate(stream));
        Assert.Equal(want, InflateAll(stream, want.Length, out _));
    }

    [Fact]
    public void DistanceBeyondOutputIsInvalid()
    {
        var w = new BitWriter();
        w.Bits(1, 1);
        w.Bits(1, 2);
        w.FixedLiteral(65);
        w.FixedMatch(3, 2);
        w.FixedEnd();
        Assert.Equal(InflateStatus.InvalidData, new Inflater().Inflate(w.ToArray(), new byte[100], out _, out _));
    }

    [Fact]
    public void ReservedBlockTypeIsInvalid()
    {
        Assert.Equal(InflateStatus.InvalidData, new Inflater().Inflate([0x07, 0, 0, 0], new byte[8], out _, out _));
    }

    [Fact]
    public void EveryTruncationIsAnError()
    {
        byte[] data = TestData.Text(3000, 3);
        byte[] compressed = TestData.Deflate(data, CompressionLevel.Optimal);
        var inflater = new Inflater();
        var output = new byte[data.Length];
        for (int cut = 0; cut < compressed.Length; cut++)
        {
            var status = inflater.Inflate(compressed.AsSpan(0, cut), output, out int consumed, out int produced);
            Assert.NotEqual(InflateStatus.Ok, status);
            Assert.True(consumed <= cut && produced <= data.Length);
            Assert.True(output.AsSpan(0, produced).SequenceEqual(data.AsSpan(0, produced)));
        }
    }

    [Fact]
    public void EveryShortOutputReportsOutputTooSmall()
    {
        byte[] data = TestData.Binary(4000, 4);
        byte[] compressed = TestData.Deflate(data, CompressionLevel.Optimal);
        var inflater = new Inflater();
        for (int size = 0; size < data.Length; size += 1 + size / 16)
        {
            // Guard bytes after the span prove nothing is written past it.
            var buffer = new byte[size + 16];
            Array.Fill(buffer, (byte)0xCC);
            var status = inflater.Inflate(compressed, buffer.AsSpan(0, size), out _, out int produced);
            Assert.Equal(InflateStatus.OutputTooSmall, status);
            Assert.True(produced <= size);
            Assert.True(buffer.AsSpan(0, produced).SequenceEqual(data.AsSpan(0, produced)));
            Assert.All(buffer.AsSpan(size).ToArray(), b => Assert.Equal(0xCC, b));
        }
    }

    [Fact]
    public void GarbageNeverThrows()
    {
        // CsCheck samples in parallel and an Inflater (like its output buffer) is not thread safe: one per thread.
        using var inflaters = new ThreadLocal<Inflater>(() => new Inflater());
        using var outputs = new ThreadLocal<byte[]>(() => new byte[1 << 16]);
        Gen.Byte.Array[0, 3000].Sample(garbage =>
        {
            byte[] output = outputs.Value!;
            var status = inflaters.Value!.Inflate(garbage, output, out int consumed, out int produced);
            Assert.True(consumed <= garbage.Length && produced <= output.Length);
            _ = status;
        }, iter: 3000);
    }

    [Fact]
    public void MutatedStreamsNeverThrowAndAgreeWithZlibWhenValid()
    {
        byte[] data = TestData.Text(20_000, 5);
        byte[] compressed = TestData.Deflate(data, CompressionLevel.Optimal);
        var inflater = new Inflater();
        var output = new byte[200_000];
        var rng = new Random(11);
        for (int iter = 0; iter < 2000; iter++)
        {
            byte[] m = (byte[])compressed.Clone();
            int flips = 1 + rng.Next(4);
            for (int f = 0; f < flips; f++)
            {
                m[rng.Next(m.Length)] ^= (byte)(1 << rng.Next(8));
            }
            var status = inflater.Inflate(m, output, out _, out int produced);
            if (status == InflateStatus.Ok)
            {
                byte[]? bcl = null;
                try
                {
                    bcl = BclInflate(m);
                }
                catch (InvalidDataException)
                {
                }
                if (bcl != null && bcl.Length == produced)
                {
                    Assert.True(output.AsSpan(0, produced).SequenceEqual(bcl));
                }
            }
        }
    }

    /// <summary>Writes DEFLATE bit streams by hand: stored blocks and fixed-Huffman symbols.</summary>
    internal sealed class BitWriter
    {
        private readonly List<byte> _bytes = new();
        private ulong _buffer;
        private int _count;

        public void Bits(uint value, int n)
        {
            _buffer |= (ulong)value << _count;
            _count += n;
            while (_count >= 8)
            {
                _bytes.Add((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        // Huffman codes are sent most significant bit first.
        public void Code(uint code, int n)
        {
            uint reversed = 0;
            for (int i = 0; i < n; i++)
            {
                reversed |= ((code >> i) & 1) << (n - 1 - i);
            }
            Bits(reversed, n);
        }

        public void Align()
        {
            if (_count > 0)
            {
                Bits(0, 8 - _count);
            }
        }

        public void StoredBlock(byte[] data, bool final)
        {
            Bits(final ? 1u : 0u, 1);
            Bits(0, 2);
            Align();
            Bits((uint)data.Length, 16);
            Bits((uint)data.Length ^ 0xFFFF, 16);
            _bytes.AddRange(data);
        }

        public void FixedSymbol(int sym)
        {
            if (sym < 144) Code((uint)(0x30 + sym), 8);
            else if (sym < 256) Code((uint)(0x190 + sym - 144), 9);
            else if (sym < 280) Code((uint)(sym - 256), 7);
            else Code((uint)(0xC0 + sym - 280), 8);
        }

        public void FixedLiteral(byte b) => FixedSymbol(b);

        public void FixedEnd()
        {
            FixedSymbol(256);
            Align();
        }

        private static readonly int[] s_lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
        private static readonly int[] s_lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
        private static readonly int[] s_distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
        private static readonly int[] s_distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

        public void FixedMatch(int length, int distance)
        {
            int lc = 28;
            while (s_lengthBase[lc] > length) lc--;
            if (length == 258) lc = 28;
            else if (lc == 28) lc = 27;
            FixedSymbol(257 + lc);
            Bits((uint)(length - s_lengthBase[lc]), s_lengthExtra[lc]);
            int dc = 29;
            while (s_distBase[dc] > distance) dc--;
            Code((uint)dc, 5);
            Bits((uint)(distance - s_distBase[dc]), s_distExtra[dc]);
        }

        public byte[] ToArray()
        {
            var copy = new List<byte>(_bytes);
            if (_count > 0)
            {
                copy.Add((byte)_buffer);
            }
            return copy.ToArray();
        }
    }
}
