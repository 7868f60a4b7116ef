// SerialConsoleTests.cs -- waiting and matching on the received text (SerialConsole, SerialText, ShellPrompt).
using System.Text.RegularExpressions;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Unit;

public sealed class SerialConsoleTests
{
    [Fact]
    public void EscapeSequences_AndCarriageReturns_AreRemoved()
    {
        Assert.Equal("Booting `vmk'\nok\n", SerialText.Strip("\x1b[H\x1b[J\x1b[1;1H\x1b(B\x1b]0;title\aBooting `vmk'\r\nok\r\n"));
    }

    [Fact]
    public void EscapeSequence_SplitAcrossChunks_IsRemoved()
    {
        var text = new SerialText();
        text.Append("ab\x1b["u8);
        text.Append("1;"u8);
        text.Append("1Hcd"u8);
        Assert.Equal("abcd", text.Clean);
        Assert.Equal("ab\x1b[1;1Hcd", text.Raw);
    }

    [Fact]
    public void Utf8_SplitAcrossChunks_IsDecoded()
    {
        var text = new SerialText();
        byte[] bytes = "é"u8.ToArray();
        text.Append(bytes.AsSpan(0, 1));
        text.Append(bytes.AsSpan(1));
        Assert.Equal("é", text.Clean);
    }

    [Theory]
    [InlineData("[root@localhost:~] ", true)]
    [InlineData("log\n[root@esx-01:/var/log] ", true)]
    [InlineData("[root@localhost:~] \n", false)]
    [InlineData("[root@localhost:~]", false)]
    [InlineData("[root@localhost:~] x", false)]
    [InlineData("[user@localhost:~] ", false)]
    public void Prompt_IsRecognizedOnlyAtTheEnd(string text, bool expected)
    {
        Assert.Equal(expected, ShellPrompt.AtEnd().IsMatch(text));
    }

    [Fact]
    public async Task Wait_MatchesWhenPatternArrivesLater_FromStartPosition()
    {
        var shell = new FakeShell();
        shell.Emit("[root@localhost:~] ");
        int start = shell.Length;
        var wait = shell.WaitForPromptAsync(TimeSpan.FromSeconds(5), start);
        Assert.False(wait.IsCompleted);
        shell.Emit("output\r\n[root@local");
        Assert.False(wait.IsCompleted);
        shell.Emit("host:~] ");
        var result = await wait;
        Assert.True(result.IsMatch);
        Assert.Equal(start + "output\n".Length, result.Match!.Index);
    }

    [Fact]
    public async Task Wait_EndsWhenGuestExits()
    {
        var shell = new FakeShell();
        var wait = shell.WaitForAsync(new Regex("never"), TimeSpan.FromSeconds(5));
        shell.Exit(33);
        var result = await wait;
        Assert.Equal(WaitStatus.Exited, result.Status);
        Assert.Equal(33, result.ExitCode);
        Assert.False(shell.Killed);
    }

    [Fact]
    public async Task Wait_TimesOut_AndKills()
    {
        var shell = new FakeShell();
        var result = await shell.WaitForAsync(new Regex("never"), TimeSpan.FromMilliseconds(50));
        Assert.Equal(WaitStatus.TimedOut, result.Status);
        Assert.True(shell.Killed);
    }

    [Fact]
    public async Task Wait_TimesOut_WithoutKill_WhenDisabled()
    {
        var shell = new FakeShell { KillOnTimeout = false };
        var result = await shell.WaitForAsync(new Regex("never"), TimeSpan.FromMilliseconds(50));
        Assert.Equal(WaitStatus.TimedOut, result.Status);
        Assert.False(shell.Killed);
        Assert.Null(await shell.WaitForExitAsync(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void PanicMarker_IsSeen()
    {
        var shell = new FakeShell();
        shell.Emit("\x1b[35m@BlueScreen: PANIC\r\n");
        Assert.True(shell.PanicSeen);
        Assert.Single(ShellPrompt.PanicLine().Matches(shell.Text));
    }

    [Theory]
    [InlineData("vmk: Boot complete tsc=123456", 123456UL)]
    [InlineData("Boot complete TSC: 0x1F", 31UL)]
    [InlineData("0:00:01.234 cpu0: Boot complete in 1234 ms, 98765 cycles", 98765UL)]
    public void BootTsc_IsParsed(string line, ulong expected)
    {
        Assert.True(ShellPrompt.TryParseBootTsc(line, out ulong tsc));
        Assert.Equal(expected, tsc);
    }
}

public sealed class StreamingPatternTests
{
    [Fact]
    public async Task BootComplete_MatchesOnlyTheWholeLine()
    {
        var shell = new FakeShell();
        var wait = shell.WaitForAsync(ShellPrompt.BootComplete(), TimeSpan.FromSeconds(5));
        shell.Emit("vmk: Boot complete tsc=0x12");
        Assert.False(wait.IsCompleted);
        shell.Emit("34\r\n");
        var result = await wait;
        Assert.True(ShellPrompt.TryParseBootTsc(result.Match!.Value, out ulong tsc));
        Assert.Equal(0x1234UL, tsc);
    }
}
