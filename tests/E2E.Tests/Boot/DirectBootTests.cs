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
        KernelInfo.ParseUptime(guest, result.Transcript.OutputOf("uptime")!);   // the formats; the values: Uptime_AndFree_...
        KernelInfo.ParseFree(guest, result.Transcript.OutputOf("free")!);
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
    public async Task SelfTest_EveryRegisteredTestPasses_Exits33()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct, "selftest"), nameof(DirectBootTests));
        var registered = await guest.ExpectAsync(new Regex(@"Self-tests: (\d+) registered"), Guest.BootTimeout, what: "the 'Self-tests: N registered' line");
        var summary = await guest.ExpectAsync(ShellPrompt.SelfTestSummary(), Guest.BootTimeout, what: "the 'N passed, N failed' line");
        int code = await guest.ExpectExitAsync();
        int count = int.Parse(registered.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int passed = int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var passLines = Regex.Matches(guest.Session.Text, @"^\[PASS\] (.+?)\r?$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        guest.Check(summary.Groups[2].Value == "0", $"self-tests failed: {summary.Value}");
        guest.Check(count > 0 && passed == count, $"{passed} passed of {count} registered");
        guest.Check(passLines.Count == count && passLines.Distinct().Count() == count,
            $"{passLines.Count} [PASS] lines ({passLines.Distinct().Count()} distinct names) for {count} registered tests");
        guest.Check(code == ExitCodes.QemuSelfTestsPassed, $"expected QEMU exit 33, got {code}");
        guest.CheckNoPanic();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ExtraModules_AndState_AreMountedAndRestored()
    {
        using var files = new TestModules();
        await using var guest = await Guest.StartAsync(ModulesAndState.Config(BootKind.Direct, files), nameof(DirectBootTests));
        string initrd = guest.Session.CommandLine.Arguments.SkipWhile(a => a != "-initrd").Skip(1).FirstOrDefault() ?? "";
        guest.Check(initrd.Contains("/s.v00,", StringComparison.Ordinal) && initrd.EndsWith("/state.tgz", StringComparison.Ordinal),
            $"-initrd '{initrd}': expected s.v00 first and state.tgz last");
        await guest.ExpectPromptAsync();
        await ModulesAndState.CheckAsync(guest);
        await guest.PowerOffAsync();
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData("128M")]
    [InlineData("4G")]   // above QEMU's PCI hole: 3 GiB below 4 GiB, 1 GiB above it
    public async Task Memory_Size_IsWhatTheKernelSees(string memory)
    {
        Assert.True(MemorySize.TryParse(memory, out var size, out _));
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = size },
            nameof(DirectBootTests), $"{nameof(Memory_Size_IsWhatTheKernelSees)}_{memory}");
        await guest.ExpectPromptAsync();
        long requestedMib = size.Bytes >> 20;
        long usableMib = KernelInfo.UsableMib(guest);
        // The firmware keeps the VGA hole, its ROMs and ACPI tables: a few hundred KiB, never whole MiBs more.
        guest.Check(usableMib <= requestedMib && usableMib >= requestedMib - 2,
            $"QEMU -m {memory}: the kernel saw {usableMib} MiB usable (want {requestedMib - 2}..{requestedMib})");
        var free = KernelInfo.ParseFree(guest, await guest.RunAsync("free"));
        guest.Check(free.MemTotalKb / 1024 == usableMib, $"free's Mem total {free.MemTotalKb} KiB disagrees with the boot log's {usableMib} MiB");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Uptime_AndFree_AreWellFormedAndPlausible()
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(DirectBootTests));
        await guest.ExpectPromptAsync();
        var first = KernelInfo.ParseUptime(guest, await guest.RunAsync("uptime"));
        DateTime hostUtc = DateTime.UtcNow;
        await guest.RunAsync("sleep 1");
        var second = KernelInfo.ParseUptime(guest, await guest.RunAsync("uptime"));
        long hostMs = wall.ElapsedMilliseconds;

        // The guest's RTC is the host's UTC clock (QEMU's default -rtc base=utc): the wall time agrees within a minute.
        double skew = Math.Abs((first.TimeOfDay - hostUtc.TimeOfDay).TotalSeconds);
        skew = Math.Min(skew, 86400 - skew);
        guest.Check(skew < 60, $"uptime's wall clock {first.TimeOfDay} is {skew:F0} s away from the host's UTC {hostUtc.TimeOfDay:hh\\:mm\\:ss}");
        // The guest's clock is the TSC at its calibrated rate: a rate calibrated too low makes uptime outrun the host.
        string tsc = Regex.Match(guest.Session.Text, @"Timer: TSC \d+ MHz").Value;
        guest.Check(first.UptimeMs > 0 && second.UptimeMs <= hostMs,
            $"uptime {first.UptimeMs} ms, then {second.UptimeMs} ms, within a {hostMs} ms QEMU run ({tsc})");
        long slept = second.UptimeMs - first.UptimeMs;
        guest.Check(slept >= 1000 && slept < 1000 + 10_000, $"'sleep 1' between two uptimes took {slept} ms of uptime");
        // 1000 Hz by default: at most one tick per millisecond, and the timer keeps running (TCG on a busy host
        // delivers late: a fifth of the nominal rate is the floor).
        guest.Check(first.Ticks > 0 && first.Ticks <= first.UptimeMs + 5, $"{first.Ticks} ticks in {first.UptimeMs} ms at 1000 Hz");
        long ticked = second.Ticks - first.Ticks;
        guest.Check(ticked >= 200 && ticked <= slept + 5, $"{ticked} ticks during {slept} ms at 1000 Hz");

        long usableMib = KernelInfo.UsableMib(guest);
        var free = KernelInfo.ParseFree(guest, await guest.RunAsync("free"));
        guest.Check(free.MemTotalKb / 1024 == usableMib && usableMib >= 508 && usableMib <= 512,
            $"free's Mem total {free.MemTotalKb} KiB: want the boot log's {usableMib} MiB of QEMU's 512 MiB");
        guest.Check(free.MemUsedKb + free.MemFreeKb == free.MemTotalKb && free.MemUsedKb > 0, "free's Mem line: used + free != total");
        // Each heap column is rounded down to KiB on its own: used + free is total or one less.
        guest.Check(free.HeapTotalKb > 0 && free.HeapTotalKb - (free.HeapUsedKb + free.HeapFreeKb) is 0 or 1,
            $"free's Heap line: used {free.HeapUsedKb} + free {free.HeapFreeKb} != total {free.HeapTotalKb}");
        guest.Check(free.HeapTotalKb < free.MemUsedKb, "the heap is larger than all memory in use");
        guest.Check(free.LiveObjects > 0 && free.LiveObjects == free.Allocations - free.Frees,
            $"heap objects live {free.LiveObjects} != allocations {free.Allocations} - frees {free.Frees}");
        guest.Check(free.PageTablesKb > 0 && free.PageTablesKb % 4 == 0 && free.ReservedKb % 4 == 0, "page tables or reserved memory are not whole pages");
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
