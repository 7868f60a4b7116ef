// Crc32Tests.cs -- CRC-32 against known vectors and System.IO.Hashing-free reference bit-by-bit computation.
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
}
