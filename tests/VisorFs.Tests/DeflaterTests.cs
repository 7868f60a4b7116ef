// DeflaterTests.cs -- the deflate encoder and gzip writer round-trip through the BCL's GZipStream/DeflateStream
// and our own Inflater, on text, binary, random, repetitive and edge-case inputs.
using System.IO.Compression;
using CsCheck;

namespace VisorFs.Tests;

public class DeflaterTests
{
    private static byte[] BclInflate(byte[] deflated)
    {
        using var input = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] BclGunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        var output = new byte[Deflater.MaxCompressedLength(data.Length)];
        int n = new Deflater().Deflate(data, output);
        Assert.True(n > 0);
        return output[..n];
    }

    public static TheoryData<string> Inputs => ["empty", "one", "text", "zeros", "random", "pattern", "window-edge", "long-run"];

    private static byte[] Make(string kind)
    {
        var random = new Random(42);
        switch (kind)
        {
            case "empty": return [];
            case "one": return [0x41];
            case "text": return System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 4000).Select(i => $"/net/vmnic{i % 8}/mac = \"00:50:56:{i % 256:x2}\"\n")));
            case "zeros": return new byte[300_000];
            case "random": { var b = new byte[200_000]; random.NextBytes(b); return b; }
            case "pattern": return Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251 ^ i / 7)).ToArray();
            case "window-edge":
            {
                // A block repeated at exactly 32768 bytes' distance, and just beyond it.
                var b = new byte[100_000];
                random.NextBytes(b.AsSpan(0, 1000));
                b.AsSpan(0, 1000).CopyTo(b.AsSpan(32768));
                b.AsSpan(0, 1000).CopyTo(b.AsSpan(65537 + 1000));
                return b;
            }
            default: return Enumerable.Repeat((byte)'a', 70_000).Concat(new byte[] { 1, 2, 3 }).ToArray();
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Deflate_RoundTripsThroughDeflateStream(string kind)
    {
        byte[] data = Make(kind);
        byte[] deflated = Deflate(data);
        Assert.Equal(data, BclInflate(deflated));
        Assert.True(deflated.Length <= Deflater.MaxCompressedLength(data.Length));
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Gzip_RoundTripsThroughGZipStreamAndOurGzip(string kind)
    {
        byte[] data = Make(kind);
        byte[] gz = GzipWriter.Compress(new Deflater(), data, 1764000000);
        Assert.Equal(data, BclGunzip(gz));
        Assert.Equal(GzipStatus.Ok, Gzip.DecompressToArray(gz, 1 << 24, out byte[] ours, out int length));
        Assert.Equal(data, ours[..length]);
    }

    [Fact]
    public void CompressesTextAndZeros_StoresRandom()
    {
        Assert.True(Deflate(Make("text")).Length < Make("text").Length / 4);
        Assert.True(Deflate(Make("zeros")).Length < 3_000);
        byte[] random = Make("random");
        Assert.True(Deflate(random).Length <= random.Length + 5 * (random.Length / 65535 + 1));
    }

    [Fact]
    public void ShortOutput_IsRefused()
    {
        byte[] data = Make("text");
        Assert.Equal(-1, new Deflater().Deflate(data, new byte[Deflater.MaxCompressedLength(data.Length) - 9]));
        Assert.Equal(-1, GzipWriter.Compress(new Deflater(), data, new byte[10]));
    }

    [Fact]
    public void RandomInputs_RoundTrip()
    {
        // CsCheck samples in parallel and a Deflater is not thread safe: one per thread.
        using var deflaters = new ThreadLocal<Deflater>(() => new Deflater());
        Gen.Byte[0, 4].Array[0, 20_000].Select(Gen.Byte.Array[0, 3000], (small, any) => small.Concat(any).Concat(small).ToArray())
            .Sample(data =>
            {
                var output = new byte[Deflater.MaxCompressedLength(data.Length)];
                int n = deflaters.Value!.Deflate(data, output);
                Assert.Equal(data, BclInflate(output[..n]));
            }, iter: 200);
    }
}
