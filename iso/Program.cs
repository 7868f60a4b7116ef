// Program.cs -- entry point of the runner: `dotnet run --project iso -- --help`.
using System.CommandLine.Invocation;
using Vmk.Iso;
using Vmk.Iso.Runner;

var root = RunnerCli.Build((options, cancellationToken) =>
    new Runner(Console.Out, Console.Error).RunAsync(options, RunnerEnvironment.Current, cancellationToken));
var parse = root.Parse(args);
if (parse.Action is ParseErrorAction parseError)
{
    parseError.ShowHelp = false;
    Console.Error.WriteLine("iso: usage error (see --help); exit code " + ExitCodes.UsageOrBuildError);
}
return await parse.InvokeAsync();
