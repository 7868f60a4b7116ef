// ExecScriptTests.cs -- the --exec logic (prompt waits, transcript, outcomes) against FakeShell.
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Unit;

public sealed class ExecScriptTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Commands_AreTyped_InOrder_AndTranscriptIsClean(bool split)
    {
        var shell = new FakeShell(splitChunks: split);
        shell.Boot();
        var result = await new ExecScript(["uname -a", "nosuchcmd", ""]) { Timeout = Short }.RunAsync(shell);

        Assert.Equal(ExecOutcome.Success, result.Outcome);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(0, result.QemuExitCode);
        Assert.Equal("VMkernel fake", result.Transcript.OutputOf("uname -a"));
        Assert.Equal("sh: nosuchcmd: not found", result.Transcript.OutputOf("nosuchcmd"));
        Assert.Equal(
            "[root@localhost:~] uname -a\nVMkernel fake\n"
            + "[root@localhost:~] nosuchcmd\nsh: nosuchcmd: not found\n"
            + "[root@localhost:~] \n"
            + "[root@localhost:~] poweroff\nPowering off\n",
            result.Transcript.ToString());
    }

    [Fact]
    public async Task PromptNeverComes_IsTimeout_AndGuestIsKilled()
    {
        var shell = new FakeShell();
        var result = await new ExecScript(["uname -a"]) { Timeout = TimeSpan.FromMilliseconds(200) }.RunAsync(shell);
        Assert.Equal(ExecOutcome.Timeout, result.Outcome);
        Assert.Equal(ExitCodes.Timeout, result.ExitCode);
        Assert.True(shell.Killed);
    }

    [Fact]
    public async Task CommandThatHangs_IsTimeout()
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["hang", "uname -a"]) { Timeout = TimeSpan.FromMilliseconds(300) }.RunAsync(shell);
        Assert.Equal(ExecOutcome.Timeout, result.Outcome);
        Assert.Single(result.Transcript.Entries);
        Assert.False(result.Transcript.Entries[0].Completed);
    }

    [Fact]
    public async Task HaltedPanic_IsPanic_NotATimeout_AndTheGuestIsKilled()
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["crash-halt", "uname -a"]) { Timeout = TimeSpan.FromSeconds(30) }.RunAsync(shell);
        Assert.Equal(ExecOutcome.Panic, result.Outcome);
        Assert.Equal(ExitCodes.KernelPanic, result.ExitCode);
        Assert.True(shell.Killed);
    }

    [Theory]
    [InlineData("reboot")]
    [InlineData("poweroff")]
    public async Task EndingTheGuestAsTheLastCommand_IsSuccess(string command)
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["uname -a", command]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.Success, result.Outcome);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
    }

    [Fact]
    public async Task CommandsAfterAReboot_AreReportedNotRun()
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["reboot", "uname -a"]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.EarlyExit, result.Outcome);
        Assert.Contains("1 command(s) not run", result.Detail);
    }

    [Fact]
    public async Task Panic_DuringCommand_IsPanic()
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["uname -a", "crash", "uname -a"]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.Panic, result.Outcome);
        Assert.Equal(ExitCodes.KernelPanic, result.ExitCode);
        Assert.Contains("@BlueScreen: #0 Shell.Crash", result.Transcript.OutputOf("crash"));
    }

    [Fact]
    public async Task GuestExits_DuringCommand_IsCommandDidNotReturn()
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["quit"]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.CommandDidNotReturn, result.Outcome);
        Assert.Equal(ExitCodes.NoPromptOrEarlyExit, result.ExitCode);
    }

    [Fact]
    public async Task GuestExits_BeforePrompt_WithSelfTestFailure_IsSelfTestsFailed()
    {
        var shell = new FakeShell();
        shell.Emit("1 passed, 2 failed\r\n");
        shell.Exit(ExitCodes.QemuSelfTestsFailed);
        var result = await new ExecScript(["uname -a"]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.SelfTestsFailed, result.Outcome);
        Assert.Equal(ExitCodes.SelfTestsFailed, result.ExitCode);
    }

    [Fact]
    public async Task GuestExits_BeforePrompt_IsPromptNotReached()
    {
        var shell = new FakeShell();
        shell.Exit(1);
        var result = await new ExecScript(["uname -a"]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.PromptNotReached, result.Outcome);
        Assert.Equal(ExitCodes.NoPromptOrEarlyExit, result.ExitCode);
    }

    [Fact]
    public async Task LogLine_AfterPrompt_DoesNotHideIt()
    {
        var shell = new FakeShell();
        shell.Boot();
        var result = await new ExecScript(["logafter", "uname -a"]) { Timeout = Short }.RunAsync(shell);
        Assert.Equal(ExecOutcome.Success, result.Outcome);
        Assert.Equal("sh: logafter: not found", result.Transcript.OutputOf("logafter"));
    }
}
