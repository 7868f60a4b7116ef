// Program.cs -- BenchmarkDotNet entry: `dotnet run -c Release --project bench/VisorFs.Benchmarks -- --filter '*'`;
// `-- --quick-tar` runs the Stopwatch check of the tar-index mount instead (QuickTarTiming.cs).
using BenchmarkDotNet.Running;
using VisorFs.Benchmarks;

if (args.Length == 1 && args[0] == "--quick-tar")
{
    QuickTarTiming.Run();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
