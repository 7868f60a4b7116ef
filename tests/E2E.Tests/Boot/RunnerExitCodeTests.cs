// RunnerExitCodeTests.cs -- the runner's exit codes match the README for the ways a guest ends on purpose or by
// accident: a panic with panic=halt is 4 (not a timeout), and `--exec reboot` / `--exec poweroff` are 0.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class RunnerExitCodeTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(RunnerOptions options)
    {
        using var slot = await QemuGate.EnterAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await new Runner(output, error).RunAsync(options with { Boot = BootKind.Direct, Headless = true },
            new RunnerEnvironment(StdinIsTerminal: false, HasDisplay: false), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact(Timeout = 120_000)]
    public async Task PanicWithPanicHalt_ExitsWithThePanicCode()
    {
        var (code, output, error) = await RunAsync(new RunnerOptions
        {
            Exec = ["crash"],
            KernelOptions = ["panic=halt"],
            Timeout = TimeSpan.FromSeconds(90),
        });
        Assert.True(code == ExitCodes.KernelPanic, $"exit {code}\n{output}\n{error}");
    }

    [Theory(Timeout = 120_000)]
    [InlineData("reboot")]
    [InlineData("poweroff")]
    public async Task EndingTheGuestOnPurpose_ExitsZero(string command)
    {
        var (code, output, error) = await RunAsync(new RunnerOptions { Exec = ["uname -a", command], Timeout = TimeSpan.FromSeconds(90) });
        Assert.True(code == ExitCodes.Success, $"exit {code}\n{output}\n{error}");
    }
}
