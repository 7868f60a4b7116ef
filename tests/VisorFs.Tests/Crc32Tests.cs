// Crc32Tests.cs -- CRC-32 against known vectors, a bit-by-bit reference and System.IO.Hashing (PCLMUL/table).
using CsCheck;

namespace VisorFs.Tests;

public class Crc32Tests
{
    private static uint Reference(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    [Fact]
    public void KnownVectors()
    {
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0x414FA339u, Crc32.Compute("The quick brown fox jumps over the lazy dog"u8));
    }

    [Fact]
    public void MatchesReferenceAndIsIncremental()
    {
        Gen.Select(Gen.Byte.Array[0, 2000], Gen.Int[0, 2000]).Sample((data, cut) =>
        {
            cut = Math.Min(cut, data.Length);
            uint whole = Crc32.Compute(data);
            Assert.Equal(Reference(data), whole);
            Assert.Equal(whole, Crc32.Append(Crc32.Compute(data.AsSpan(0, cut)), data.AsSpan(cut)));
        }, iter: 300);
    }

    [Fact]
    public void MatchesSystemIoHashingAtEveryAlignmentAndSplit()
    {
        // The 16-byte loop, the byte tail, unaligned starts and incremental chunks against an independent
        // implementation.
        Gen.Select(Gen.Byte.Array[0, 5000], Gen.Int[0, 15], Gen.Int[1, 97]).Sample((data, skew, chunk) =>
        {
            skew = Math.Min(skew, data.Length);
            ReadOnlySpan<byte> span = data.AsSpan(skew);
            uint expected = System.IO.Hashing.Crc32.HashToUInt32(span);
            Assert.Equal(expected, Crc32.Compute(span));
            uint crc = 0;
            for (int i = 0; i < span.Length; i += chunk)
            {
                crc = Crc32.Append(crc, span.Slice(i, Math.Min(chunk, span.Length - i)));
            }
            Assert.Equal(expected, crc);
        }, iter: 500);
    }

    [Fact]
    public void LargeBufferMatchesSystemIoHashing()
    {
        var data = new byte[(4 << 20) + 13];
        new Random(7).NextBytes(data);
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), Crc32.Compute(data));
        Array.Clear(data);
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(data), Crc32.Compute(data));
    }
}
