// HarnessTests.cs -- QemuSession and ExecScript against real QEMU, with FakeKernel/fakekernel.asm as the guest.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Harness)]
[Trait("Category", "QEMU")]
public sealed class HarnessTests(FakeKernelFixture fake)
{
    private QemuConfig Config(params string[] options) =>
        new() { Boot = BootKind.Direct, KernelPath = fake.KernelPath, KernelOptions = options };

    [Fact(Timeout = 60_000)]
    public async Task ExecScript_ProducesTranscript_AndPowersOff()
    {
        await using var guest = await Guest.StartAsync(Config(), nameof(HarnessTests));
        var result = await new ExecScript(["uname -a", "nosuchcmd"]) { Timeout = TimeSpan.FromSeconds(30) }.RunAsync(guest.Session);
        guest.Check(result.Outcome == ExecOutcome.Success, result.Detail);
        Assert.Equal("VMkernel localhost 0.1-fake x86_64", result.Transcript.OutputOf("uname -a"));
        Assert.Equal("sh: nosuchcmd: not found", result.Transcript.OutputOf("nosuchcmd"));
        Assert.Equal(0, result.QemuExitCode);
        Assert.StartsWith("[root@localhost:~] uname -a\nVMkernel", result.Transcript.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task KernelOptions_ReachTheGuestThroughFwCfg()
    {
        await using var guest = await Guest.StartAsync(Config("bogusopt=1", "a=b,c"), nameof(HarnessTests));
        await guest.ExpectPromptAsync();
        string expected = string.Join(' ', ["kernelopt: bogusopt=1 a=b,c", .. Guest.ExtraKernelOptions, "panic=exit"]);
        guest.Check(guest.Session.Text.Contains(expected, StringComparison.Ordinal), "options not passed");
        guest.Check(guest.Session.Text.Contains("WARNING:", StringComparison.Ordinal), "no warning");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Panic_IsRecognized()
    {
        await using var guest = await Guest.StartAsync(Config(), nameof(HarnessTests));
        var result = await new ExecScript(["crash"]) { Timeout = TimeSpan.FromSeconds(30) }.RunAsync(guest.Session);
        Assert.Equal(ExecOutcome.Panic, result.Outcome);
        Assert.Equal(ExitCodes.KernelPanic, result.ExitCode);
        Assert.Equal(ExitCodes.QemuPanicExit, result.QemuExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task SelfTest_ExitCode33_MapsToSuccess()
    {
        await using var guest = await Guest.StartAsync(Config("selftest"), nameof(HarnessTests));
        await guest.ExpectAsync(ShellPrompt.SelfTestSummary(), TimeSpan.FromSeconds(30));
        int code = await guest.ExpectExitAsync();
        Assert.Equal(ExitCodes.QemuSelfTestsPassed, code);
        Assert.Equal(ExitCodes.Success, ExitCodes.FromQemuExit(code, panicSeen: false));
    }

    [Fact(Timeout = 60_000)]
    public async Task Timeout_KillsQemu()
    {
        await using var guest = await Guest.StartAsync(Config(), nameof(HarnessTests));
        var result = await guest.Session.WaitForAsync(new System.Text.RegularExpressions.Regex("never printed"), TimeSpan.FromSeconds(2));
        Assert.Equal(WaitStatus.TimedOut, result.Status);
        int? code = await guest.Session.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(code);
        Assert.True(guest.Session.HasExited);
    }

    [Fact(Timeout = 60_000)]
    public async Task BootComplete_TscIsParsed()
    {
        await using var guest = await Guest.StartAsync(Config(), nameof(HarnessTests));
        var line = await guest.ExpectAsync(ShellPrompt.BootComplete(), TimeSpan.FromSeconds(30));
        Assert.True(ShellPrompt.TryParseBootTsc(line.Value, out ulong tsc));
        Assert.True(tsc > 0);
        await guest.ExpectPromptAsync();
        await guest.PowerOffAsync();
    }
}
