// Program.cs -- entry point of the runner: `dotnet run --project iso -- --help`.
using Vmk.Iso;
using Vmk.Iso.Runner;

var root = RunnerCli.Build((options, cancellationToken) =>
    new Runner(Console.Out, Console.Error).RunAsync(options, RunnerEnvironment.Current, cancellationToken));
return await root.Parse(args).InvokeAsync();
