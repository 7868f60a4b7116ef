// SystemCommandsTests.cs -- the shell's system commands against independent evidence: `cpuinfo` against the CPU
// QEMU was told to emulate, `interrupts` against the timer's tick count, `dmesg` against the log lines that went
// out on serial, and `reboot` by the machine booting a second time (or, unattended, QEMU ending on the reset).
using System.Globalization;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed partial class SystemCommandsTests
{
    private const int TestTimeoutMs = 180_000;

    // A vmkernel log line as it appears on serial and in dmesg: "2026-11-26T07:10:20.018Z cpu0:1)Memory: ...".
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z cpu\d+:\d+\).*?(?=\r?$)", RegexOptions.Multiline)]
    private static partial Regex LogLine();

    [GeneratedRegex(@"\)Init: VMkernel-CS \S+ \[build-[^\]]+\] x86_64 starting")]
    private static partial Regex Banner();

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CpuInfo_ReportsTheCpuQemuEmulates()
    {
        // Not QEMU's default qemu64 (AuthenticAMD, family 15): every field differs from it, and one feature is
        // taken away and another added, so a hard-coded or misdecoded field shows.
        var config = Guest.Config(BootKind.Direct) with
        {
            ExtraArguments = ["-cpu", "qemu64,vendor=GenuineIntel,family=6,model=85,stepping=7,model-id=VMK Test CPU,-sse3,+ssse3"],
        };
        await using var guest = await Guest.StartAsync(config, nameof(SystemCommandsTests));
        await guest.ExpectPromptAsync();
        string info = await guest.RunAsync("cpuinfo");
        string Field(string name)
        {
            Match m = Regex.Match(info, $@"^{name} +: (.*?)\r?$", RegexOptions.Multiline);
            guest.Check(m.Success, $"cpuinfo has no '{name}' line:\n{info}");
            return m.Groups[1].Value;
        }
        guest.Check(Field("vendor") == "GenuineIntel", $"vendor:\n{info}");
        guest.Check(Field("model") == "VMK Test CPU", $"model (brand string):\n{info}");
        guest.Check(Field("family") == "6  model: 85  stepping: 7", $"family/model/stepping:\n{info}");
        var features = Field("features").Split(' ');
        foreach (string needed in new[] { "fpu", "tsc", "pae", "apic", "cmov", "sse", "sse2", "ssse3", "nx", "lm" })
            guest.Check(features.Contains(needed), $"feature '{needed}' missing:\n{info}");
        guest.Check(!features.Contains("sse3"), $"sse3 listed although QEMU was told -sse3:\n{info}");
        Match boot = Regex.Match(guest.Session.Text, @"Timer: TSC (\d+) MHz");
        guest.Check(boot.Success, "no 'Timer: TSC N MHz' line in the boot log");
        int mhz = int.Parse(boot.Groups[1].Value, CultureInfo.InvariantCulture);
        guest.Check(Field("tsc") == $"{mhz} MHz" && mhz is > 100 and < 20_000, $"tsc: want the calibrated {mhz} MHz:\n{info}");
        guest.Check(Field("cpus") == $"{config.Cpus} online", $"cpus (QEMU was given {config.Cpus}):\n{info}");
        await guest.PowerOffAsync();
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Interrupts_TimerCountsUp_InStepWithTheTicks(bool noApic)
    {
        // With the APICs (the default on QEMU's PC) the local APIC timer is the tick and the ISA IRQs come through
        // the IOAPIC; with `noapic` the PIT and the 8259 do it. Either way the vectors of the ISA IRQs are 32 + IRQ.
        var config = Guest.Config(BootKind.Direct) with { KernelOptions = noApic ? ["noapic"] : [] };
        await using var guest = await Guest.StartAsync(config, nameof(SystemCommandsTests));
        await guest.ExpectPromptAsync();
        string tick = noApic ? "PIT" : "local APIC";
        var before = KernelInfo.ParseUptime(guest, await guest.RunAsync("uptime"));
        long first = TimerCount(guest, await guest.RunAsync("interrupts"), tick);
        await guest.RunAsync("sleep 1");
        string table = await guest.RunAsync("interrupts");
        long second = TimerCount(guest, table, tick);
        var after = KernelInfo.ParseUptime(guest, await guest.RunAsync("uptime"));

        // One timer interrupt per tick: the counts lie between the tick counts read before and after them.
        guest.Check(before.Ticks <= first && first <= second && second <= after.Ticks,
            $"ticks {before.Ticks} <= timer {first} <= timer {second} <= ticks {after.Ticks} does not hold");
        // The count climbs while the shell sleeps. How far depends on the clock (a thousand per second at 1000 Hz,
        // fewer when TCG on a busy host delivers late), which DirectBootTests.Uptime_AndFree_... checks against the
        // host's; here a stale or barely moving counter is the failure.
        guest.Check(second - first >= 10, $"the timer count went from {first} to {second} across 'sleep 1'");
        guest.Check(Regex.IsMatch(table, @"^ +36 +4 +[1-9]\d* +serial \(COM1\)\r?$", RegexOptions.Multiline),
            $"the serial line (IRQ 4) took no interrupts although commands arrived on it:\n{table}");
        string log = guest.Session.Text;
        if (noApic)
        {
            guest.Check(log.Contains("Hz (PIT)", StringComparison.Ordinal) && !log.Contains("APIC: xAPIC", StringComparison.Ordinal),
                "noapic: the PIT should give the tick and the APICs stay unused");
            await guest.PowerOffAsync();
            return;
        }
        // QEMU's PC wires the PIT to the IOAPIC's input 2, which the MADT's override says: the PIT's interrupts
        // arriving at all (the routing check at boot) proves the override was honoured.
        guest.Check(log.Contains("APIC: ISA IRQ 0 -> GSI 2 (interrupt source override)", StringComparison.Ordinal), "no override line for IRQ 0");
        guest.Check(Regex.IsMatch(table, @"^ +32 +0 +[2-9]\d* +PIT \(routing check\)\r?$", RegexOptions.Multiline),
            $"the PIT's interrupts did not come through the IOAPIC:\n{table}");
        guest.Check(!log.Contains("WARNING: APIC", StringComparison.Ordinal), "an APIC warning at boot");
        Match rate = Regex.Match(log, @"tick 1000 Hz \(local APIC timer at (\d+) kHz\)");
        guest.Check(rate.Success, "no 'local APIC timer at N kHz' in the Timer line");
        // QEMU's APIC timer counts nanoseconds: 62,500 kHz after the divide-by-16.
        long khz = long.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
        guest.Check(khz is > 59_000 and < 66_000, $"the local APIC timer was calibrated to {khz} kHz, QEMU's is 62,500");
        await guest.PowerOffAsync();
    }

    private static long TimerCount(Guest guest, string interrupts, string tick)
    {
        guest.Check(interrupts.StartsWith("vector  irq        count  device", StringComparison.Ordinal), $"interrupts header:\n{interrupts}");
        Match m = Regex.Match(interrupts, $@"^ +\d+ +\S+ +(\d+) +timer \({tick}\)\r?$", RegexOptions.Multiline);
        guest.Check(m.Success, $"no '{tick}' timer line:\n{interrupts}");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Dmesg_HoldsEveryLogLineTheConsoleShowed()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(SystemCommandsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("ramdisk add -M 1 -m 0 -n dm -t /dm -p 0755");   // a log line after boot
        string serial = guest.Session.Text;
        var shown = LogLine().Matches(serial).Select(m => m.Value).ToList();
        guest.Check(shown.Count >= 10 && shown.Any(l => l.Contains("Ramdisk dm mounted on /dm", StringComparison.Ordinal)),
            $"expected the boot's log lines and the ramdisk's on serial, found {shown.Count}");
        var kept = LogLine().Matches(await guest.RunAsync("dmesg")).Select(m => m.Value).ToList();
        // dmesg may hold more (levels the console does not show), but every shown line, in the same order.
        int at = 0;
        foreach (string line in shown)
        {
            int found = kept.IndexOf(line, at);
            guest.Check(found >= 0, $"dmesg lacks (or reorders) the console's line:\n{line}\n--- dmesg ---\n{string.Join('\n', kept)}");
            at = found + 1;
        }
        guest.Check(kept.Count(l => l.Contains("Init: VMkernel-CS", StringComparison.Ordinal)) == 1
            && kept.Any(l => l.Contains("Init: Boot complete in", StringComparison.Ordinal)), "dmesg: the boot banner once and 'Boot complete'");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Reboot_BootsTheMachineAgain()
    {
        // QEMU's default on a guest reset is to reset the machine: -kernel and -initrd are loaded again.
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(SystemCommandsTests), allowReboot: true);
        await guest.ExpectPromptAsync();
        await guest.RunAsync("echo before the reboot > /tmp/marker");
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("reboot");
        await guest.ExpectAsync(new Regex(@"Power: Rebooting"), Guest.CommandTimeout, start, "the 'Power: Rebooting' log line");
        await guest.ExpectAsync(Banner(), Guest.BootTimeout, start, "the boot banner a second time");
        await guest.ExpectPromptAsync(startAt: start);
        guest.Check(Banner().Matches(guest.Session.Text).Count == 2, "expected exactly two boots");
        guest.Check(!guest.Session.Text[start..].Contains("reboot: the machine did not restart", StringComparison.Ordinal), "reboot reported a failure");
        string marker = await guest.RunAsync("cat /tmp/marker");
        guest.Check(marker.Contains("No such file or directory", StringComparison.Ordinal), $"/tmp survived the reboot: {marker}");
        var uptime = KernelInfo.ParseUptime(guest, await guest.RunAsync("uptime"));
        guest.Check(uptime.UptimeMs < 30_000, $"uptime after the reboot is {uptime.UptimeMs} ms: the clock did not start again");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Reboot_Unattended_EndsQemuCleanly()
    {
        // The runner's --exec and the tests run QEMU with -no-reboot: the reset ends QEMU with 0, as a poweroff does
        // (iso/README.md), and the log tells the two apart.
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(SystemCommandsTests));
        await guest.ExpectPromptAsync();
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("reboot");
        int code = await guest.ExpectExitAsync();
        string after = guest.Session.Text[start..];
        guest.Check(code == 0, $"QEMU exit code {code} after reboot, expected 0");
        guest.Check(after.Contains("Power: Rebooting", StringComparison.Ordinal) && !after.Contains("Powering off", StringComparison.Ordinal),
            $"expected the reboot's log line, not the poweroff's:\n{after}");
        guest.Check(ExitCodes.FromQemuExit(code, guest.Session.PanicSeen) == ExitCodes.Success, "the runner would not report success");
        guest.CheckNoPanic();
    }
}
