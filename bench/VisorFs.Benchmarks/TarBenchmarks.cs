// TarBenchmarks.cs -- mounting (indexing) a 100,000-member tar vs TarReader enumeration vs a bare header walk.
using System.Formats.Tar;
using BenchmarkDotNet.Attributes;

namespace VisorFs.Benchmarks;

[MemoryDiagnoser]
public class TarBenchmarks
{
    public const int Members = 100_000;
    private byte[] _archive = [];

    [Params(TarEntryFormat.Ustar, TarEntryFormat.Pax)]
    public TarEntryFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _archive = BenchData.Tar(Format, Members, out _);
        var index = TarIndex.Build(_archive);
        if (index.Diagnostics.Count != 0 || index.Count != Members + 3)
        {
            throw new InvalidOperationException("index disagrees: " + index.Count);
        }
    }

    [Benchmark(Baseline = true, Description = "TarReader GetNextEntry(copyData: false)")]
    public int TarReaderEnumerate()
    {
        using var reader = new TarReader(new MemoryStream(_archive, writable: false));
        int n = 0;
        while (reader.GetNextEntry(copyData: false) != null)
        {
            n++;
        }
        return n;
    }

    [Benchmark(Description = "VisorFs TarIndex.Build")]
    public int VisorIndex() => TarIndex.Build(_archive).Count;

    [Benchmark(Description = "bare header walk (name+size)")]
    public int BareWalk() => BareHeaderWalk.Walk(_archive);
}

/// <summary>The least a tar reader can do: decode each header's name into a string and parse its size.</summary>
public static class BareHeaderWalk
{
    public static int Walk(byte[] a)
    {
        int pos = 0;
        int n = 0;
        Span<char> chars = stackalloc char[100];
        while (pos + 512 <= a.Length && a[pos] != 0)
        {
            int len = 0;
            while (len < 100 && a[pos + len] != 0)
            {
                chars[len] = (char)a[pos + len];
                len++;
            }
            string name = new string(chars.Slice(0, len));
            long size = 0;
            for (int i = 124; i < 135 && a[pos + i] >= '0'; i++)
            {
                size = (size << 3) | (uint)(a[pos + i] - '0');
            }
            n += name.Length > 0 ? 1 : 0;
            pos += 512 + (int)((size + 511) & ~511L);
        }
        return n;
    }
}

[MemoryDiagnoser]
public class TarLookupBenchmarks
{
    private TarIndex _index = null!;
    private string[] _probe = [];
    private string[] _missing = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] archive = BenchData.Tar(TarEntryFormat.Ustar, TarBenchmarks.Members, out List<string> paths);
        _index = TarIndex.Build(archive);
        var rng = new Random(3);
        _probe = Enumerable.Range(0, 1024).Select(_ => paths[rng.Next(paths.Count)]).ToArray();
        _missing = _probe.Select(p => p + "x").ToArray();
    }

    [Benchmark(OperationsPerInvoke = 1024, Description = "TarIndex.TryFind (100k entries, hit)")]
    public int Lookup()
    {
        int found = 0;
        foreach (string p in _probe)
        {
            if (_index.TryFind(p, out _)) found++;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = 1024, Description = "TarIndex.TryFind (100k entries, miss)")]
    public int LookupMiss()
    {
        int found = 0;
        foreach (string p in _missing)
        {
            if (_index.TryFind(p, out _)) found++;
        }
        return found;
    }
}
