// DirectBootTests.cs -- boots artifacts/kernel/kernel.elf with qemu -kernel (the fastest path) and drives the shell.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class DirectBootTests
{
    private const int TestTimeoutMs = 180_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DirectBoot_ReachesPrompt()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(DirectBootTests));
        await guest.ExpectPromptAsync();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Exec_Transcript_OfBasicCommands()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(DirectBootTests));
        var script = new ExecScript(["uname -a", "uptime", "free", "help", "nosuchcmd"]) { Timeout = TimeSpan.FromSeconds(120) };
        var result = await script.RunAsync(guest.Session);
        string transcript = result.Transcript.ToString();
        guest.Check(result.Outcome == ExecOutcome.Success, $"exec outcome {result.Outcome}: {result.Detail}\n--- transcript ---\n{transcript}");
        foreach (var command in new[] { "uname -a", "uptime", "free", "help" })
        {
            string? output = result.Transcript.OutputOf(command);
            guest.Check(!string.IsNullOrWhiteSpace(output), $"'{command}' printed nothing\n--- transcript ---\n{transcript}");
            guest.Check(!output!.Contains("not found", StringComparison.Ordinal), $"'{command}' is not a shell command\n{transcript}");
        }
        guest.Check(result.Transcript.OutputOf("help")!.Contains("uname", StringComparison.Ordinal), "help does not list uname");
        guest.Check(result.Transcript.OutputOf("nosuchcmd")!.Contains("sh: nosuchcmd: not found", StringComparison.Ordinal),
            $"expected 'sh: nosuchcmd: not found'\n{transcript}");
        guest.Check(result.QemuExitCode == 0, $"expected QEMU exit 0 after poweroff, got {result.QemuExitCode}");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Crash_ShowsBlueScreenWithBacktrace_AndExits37()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(DirectBootTests));
        await guest.ExpectPromptAsync();
        await guest.Session.SendLineAsync("crash");
        int code = await guest.ExpectExitAsync();
        guest.Check(code == ExitCodes.QemuPanicExit, $"expected QEMU exit {ExitCodes.QemuPanicExit} (panic=exit), got {code}");
        var lines = ShellPrompt.PanicLine().Matches(guest.Session.Text).Select(m => m.Value).ToList();
        guest.Check(lines.Count >= 2, "expected @BlueScreen: lines on serial");
        guest.Check(lines.Any(l => l.Contains("Crash", StringComparison.Ordinal)),
            "expected a @BlueScreen: backtrace line naming the managed method (containing 'Crash')");
        guest.Check(ExitCodes.FromQemuExit(code, guest.Session.PanicSeen) == ExitCodes.KernelPanic, "runner would not report a panic");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task SelfTest_AllPass_Exits33()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct, "selftest"), nameof(DirectBootTests));
        var summary = await guest.ExpectAsync(ShellPrompt.SelfTestSummary(), Guest.BootTimeout, what: "the 'N passed, N failed' line");
        int code = await guest.ExpectExitAsync();
        guest.Check(summary.Groups[2].Value == "0", $"self-tests failed: {summary.Value}");
        guest.Check(int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, "no self-test ran");
        guest.Check(code == ExitCodes.QemuSelfTestsPassed, $"expected QEMU exit 33, got {code}");
        guest.CheckNoPanic();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ExtraModules_AndState_ReachThePrompt()
    {
        using var files = new TestModules();
        var config = Guest.Config(BootKind.Direct) with
        {
            ExtraModules =
            [
                files.VisorTgz("extra.v00", ("etc/motd", "from extra.v00\n"), ("opt/extra/README", "extra\n")),
                files.Tar("plain.tar", gzip: false, ("opt/plain/a", "a\n")),
                files.Tar("bundle.tgz", gzip: true, ("opt/tgz/b", "b\n")),
            ],
            StateFile = files.State("saved.tgz", ("/etc/vmware/esx.conf", 0x3A4, "/adv/Misc/HostName = \"saved\"\n")),
        };
        await using var guest = await Guest.StartAsync(config, nameof(DirectBootTests));
        string initrd = guest.Session.CommandLine.Arguments.SkipWhile(a => a != "-initrd").Skip(1).FirstOrDefault() ?? "";
        guest.Check(initrd.Contains("/s.v00,", StringComparison.Ordinal) && initrd.EndsWith("/state.tgz", StringComparison.Ordinal),
            $"-initrd '{initrd}': expected s.v00 first and state.tgz last");
        await guest.ExpectPromptAsync();
        await guest.PowerOffAsync();
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData("128M")]
    [InlineData("4G")]
    public async Task Memory_Size_ReachesPrompt(string memory)
    {
        Assert.True(MemorySize.TryParse(memory, out var size, out _));
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = size },
            nameof(DirectBootTests), $"{nameof(Memory_Size_ReachesPrompt)}_{memory}");
        await guest.ExpectPromptAsync();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task UnknownKernelOption_IsLoggedAsWarning_AndBootContinues()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct, "bogusopt=1"), nameof(DirectBootTests));
        await guest.ExpectPromptAsync();
        bool warned = guest.Session.Text.Split('\n')
            .Any(l => l.Contains("WARNING:", StringComparison.Ordinal) && l.Contains("bogusopt", StringComparison.Ordinal));
        guest.Check(warned, "expected a log line with 'WARNING:' and 'bogusopt'");
        await guest.PowerOffAsync();
    }
}
