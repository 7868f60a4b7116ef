// InflateBenchmarks.cs -- gzip/inflate throughput: VisorFs vs System.IO.Compression (zlib-ng) vs SharpZipLib.
using System.IO.Compression;
using BenchmarkDotNet.Attributes;

namespace VisorFs.Benchmarks;

[MemoryDiagnoser]
public class InflateBenchmarks
{
    private byte[] _gzip = [];
    private byte[] _deflate = [];
    private byte[] _output = [];
    private readonly Inflater _inflater = new();

    [Params("text", "binary", "random")]
    public string Data { get; set; } = "text";

    [GlobalSetup]
    public void Setup()
    {
        byte[] data = BenchData.Get(Data);
        _gzip = BenchData.Gzip(data);
        Gzip.TryParseHeader(_gzip, out int header);
        _deflate = _gzip.AsSpan(header, _gzip.Length - header - 8).ToArray();
        _output = new byte[data.Length];
        if (Gzip.Decompress(_inflater, _gzip, _output, out int n) != GzipStatus.Ok || n != data.Length || !_output.AsSpan().SequenceEqual(data))
        {
            throw new InvalidOperationException("VisorFs gzip disagrees with the input");
        }
    }

    [Benchmark(Baseline = true, Description = "GZipStream")]
    public int BclGzip()
    {
        using var gs = new GZipStream(new MemoryStream(_gzip), CompressionMode.Decompress);
        return ReadAll(gs);
    }

    [Benchmark(Description = "VisorFs Gzip (CRC checked)")]
    public int VisorGzip()
    {
        Gzip.Decompress(_inflater, _gzip, _output, out int produced);
        return produced;
    }

    [Benchmark(Description = "DeflateStream (raw)")]
    public int BclDeflate()
    {
        using var ds = new DeflateStream(new MemoryStream(_deflate), CompressionMode.Decompress);
        return ReadAll(ds);
    }

    [Benchmark(Description = "VisorFs Inflater (raw)")]
    public int VisorInflate()
    {
        _inflater.Inflate(_deflate, _output, out _, out int produced);
        return produced;
    }

    [Benchmark(Description = "SharpZipLib GZipInputStream")]
    public int SharpZipLibGzip()
    {
        using var gs = new ICSharpCode.SharpZipLib.GZip.GZipInputStream(new MemoryStream(_gzip));
        return ReadAll(gs);
    }

    private int ReadAll(Stream s)
    {
        int total = 0;
        int n;
        while ((n = s.Read(_output, total, _output.Length - total)) > 0)
        {
            total += n;
        }
        return total;
    }
}
