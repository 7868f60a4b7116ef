// Program.cs -- BenchmarkDotNet entry: `dotnet run -c Release --project bench/VisorFs.Benchmarks -- --filter '*'`.
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
