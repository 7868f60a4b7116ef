// TarBenchmarks.cs -- mounting (indexing) a 100,000-member tar vs TarReader enumeration vs a bare header walk, and
// lookups of cold, random names in the mounted index.
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

/// <summary>
/// Lookups as a mounted tardisk sees them: every member name once per invocation, in random order, so successive
/// probes land on unrelated hash slots, entries and name strings, and nothing is reused while it is still hot; and as
/// many names that are not there. The probe strings are made in archive order and then shuffled, so walking the
/// probe array does not walk memory in order either. 100,000 entries with their names and hash table are far more
/// than the L1 and L2 caches hold; the figure per lookup is the cost of a cold, random probe.
/// </summary>
[MemoryDiagnoser]
public class TarLookupBenchmarks
{
    private const int Probes = TarBenchmarks.Members;
    private TarIndex _index = null!;
    private string[] _hits = [];
    private string[] _misses = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] archive = BenchData.Tar(TarEntryFormat.Ustar, TarBenchmarks.Members, out List<string> paths);
        _index = TarIndex.Build(archive);
        var rng = new Random(3);
        // Fresh strings (not the ones the index might hold), a random permutation of all member names.
        _hits = paths.Select(p => new string(p.AsSpan())).ToArray();
        rng.Shuffle(_hits);
        // Misses that look like members: file N in the directory after its own (each file lives in exactly one
        // pkgN/), and file names at the directory members' numbers, which no file has.
        _misses = Enumerable.Range(0, TarBenchmarks.Members)
            .Select(i => $"usr/lib/pkg{(i / 100 + 1) % (TarBenchmarks.Members / 100)}/file{i}.so").ToArray();
        rng.Shuffle(_misses);
        if (_hits.Length != Probes || _misses.Length != Probes || Lookup() != Probes || LookupMiss() != 0)
        {
            throw new InvalidOperationException("the probes do not hit and miss as intended");
        }
    }

    [Benchmark(OperationsPerInvoke = Probes, Description = "TarIndex.TryFind (100k entries, hit, all names in random order)")]
    public int Lookup()
    {
        int found = 0;
        foreach (string p in _hits)
        {
            if (_index.TryFind(p, out _)) found++;
        }
        return found;
    }

    [Benchmark(OperationsPerInvoke = Probes, Description = "TarIndex.TryFind (100k entries, miss, 100k names in random order)")]
    public int LookupMiss()
    {
        int found = 0;
        foreach (string p in _misses)
        {
            if (_index.TryFind(p, out _)) found++;
        }
        return found;
    }
}
