// QuickTarTiming.cs -- a fast Stopwatch check of the tar-index mount (minimum of 30 runs per method, three
// rounds), for iterating on the walk; BenchmarkDotNet's TarBenchmarks stay the figures of record.
// `dotnet run -c Release --project bench/VisorFs.Benchmarks -- --quick-tar`
using System.Diagnostics;
using System.Formats.Tar;

namespace VisorFs.Benchmarks;

public static class QuickTarTiming
{
    public static void Run()
    {
        foreach (TarEntryFormat format in new[] { TarEntryFormat.Ustar, TarEntryFormat.Pax })
        {
            byte[] archive = BenchData.Tar(format, TarBenchmarks.Members, out _);
            Console.WriteLine($"{format}: {archive.Length / 1e6:F1} MB, {TarBenchmarks.Members:N0} members (minimum of 30 runs, ms)");
            for (int round = 0; round < 3; round++)
            {
                double reader = Best(() =>
                {
                    using var r = new TarReader(new MemoryStream(archive, writable: false));
                    int n = 0;
                    while (r.GetNextEntry(copyData: false) != null)
                    {
                        n++;
                    }
                    return n;
                });
                double index = Best(() => TarIndex.Build(archive).Count);
                double bare = Best(() => BareHeaderWalk.Walk(archive));
                Console.WriteLine($"  TarReader {reader,6:F1}  TarIndex {index,6:F1}  bare walk {bare,6:F1}"
                    + $"   index is {reader / index:F2}x TarReader, {index / bare:F2}x the bare walk");
            }
        }
    }

    private static double Best(Func<int> run)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 30; i++)
        {
            var watch = Stopwatch.StartNew();
            run();
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
        }
        return best;
    }
}
