// WorldsTests.cs -- worlds and resource groups end to end through the shell: a memory hog in a 16 MB group is
// refused and killed while the shell and other groups keep working (and its memory comes back), CPU shares split
// a CPU 2:1, a 25% CPU limit holds, and kill returns a world's memory.
using System.Globalization;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Worlds;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed partial class WorldsTests
{
    private const int TestTimeoutMs = 240_000;

    [GeneratedRegex(@"^\s*(\d+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex WorldStatLine();

    [GeneratedRegex(@"^\s*(\d+)\s+(\S+)\s+(-?\d+)\s+(\d+)(\s+-?\d+){9}\s*$", RegexOptions.Multiline)]
    private static partial Regex GroupStatLine();

    /// <summary>Run time in ms per world name+group from `sched-stats`.</summary>
    private static Dictionary<string, long> RunTimes(string schedStats)
    {
        var result = new Dictionary<string, long>();
        foreach (Match m in WorldStatLine().Matches(schedStats))
            result[$"{m.Groups[2].Value}@{m.Groups[3].Value}"] = long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        return result;
    }

    /// <summary>memSize (KB) of a group from `memstats -r group-stats`.</summary>
    private static long MemSizeKb(string memstats, string group)
    {
        foreach (string line in memstats.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 13 && f[1] == group)
                return long.Parse(f[10], CultureInfo.InvariantCulture);
        }
        return -1;
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task MemHog_In16MbGroup_IsRefusedAndKilled_OthersUnaffected_MemoryComesBack()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        string sleeper = await guest.RunAsync("run ++group=neighbour sleeper");
        guest.Check(sleeper.Contains("started world", StringComparison.Ordinal), $"sleeper did not start: {sleeper}");

        for (int round = 1; round <= 2; round++)
        {
            int logStart = guest.Session.Length;
            string started = await guest.RunAsync("run ++group=hog,max=16 memhog 64");
            guest.Check(started.Contains("started world", StringComparison.Ordinal), $"memhog did not start: {started}");
            await guest.ExpectAsync(new Regex(@"Admission failure in path: host/user/hog:memhog\.\d+"), TimeSpan.FromSeconds(30), logStart,
                "the admission-failure line for memhog");
            // Match through the end of the line: the next command must not start while the log line is half received.
            await guest.ExpectAsync(new Regex(@"Out of memory in host/user/hog: killing world \d+ \(memhog, \d+ KB\)\r?\n"), TimeSpan.FromSeconds(30), logStart,
                "the OOM kill of memhog");
            // The OOM line is logged just before the kill; the world may still be switched out in between, so wait
            // (bounded) until it is gone rather than racing it.
            string ps = await guest.RunAsync("ps");
            for (int attempt = 0; attempt < 20 && ps.Contains("memhog", StringComparison.Ordinal); attempt++)
            {
                await guest.RunAsync("sleep 100ms");
                ps = await guest.RunAsync("ps");
            }
            guest.Check(!ps.Contains("memhog", StringComparison.Ordinal), $"round {round}: memhog is still listed:\n{ps}");
            string memstats = await guest.RunAsync("memstats -r group-stats");
            guest.Check(MemSizeKb(memstats, "hog") == 0, $"round {round}: the hog group still holds memory:\n{memstats}");
            guest.Check(MemSizeKb(memstats, "neighbour") > 0, $"round {round}: the neighbour group lost its world:\n{memstats}");
            guest.Check(ps.Contains("sleeper", StringComparison.Ordinal), $"round {round}: the neighbour's sleeper died:\n{ps}");
        }
        string uname = await guest.RunAsync("uname -a");
        guest.Check(uname.Contains("VMkernel", StringComparison.Ordinal), "the shell stopped working");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task TwoSpinners_WithShares2To1_SplitTheCpu2To1()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("run ++group=a,cpushares=2000 spin");
        await guest.RunAsync("run ++group=b,cpushares=1000 spin");
        await guest.RunAsync("sleep 3", TimeSpan.FromSeconds(60));
        string stats = await guest.RunAsync("sched-stats");
        var times = RunTimes(stats);
        guest.Check(times.TryGetValue("spin@host/user/a", out long a) && times.TryGetValue("spin@host/user/b", out long b) && b > 0,
            $"no run times for the spinners:\n{stats}");
        double ratio = (double)times["spin@host/user/a"] / times["spin@host/user/b"];
        guest.Check(ratio > 1.8 && ratio < 2.2, $"shares 2:1 gave a split of {ratio:F2}:1 (want 2 within 10%)\n{stats}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CpuLimit25Percent_HoldsOnAnIdleMachine()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        string before = await guest.RunAsync("sched-stats");
        await guest.RunAsync("run ++group=capped,cpumax=25 spin");
        await guest.RunAsync("sleep 2", TimeSpan.FromSeconds(60));
        string after = await guest.RunAsync("sched-stats");
        long spin = RunTimes(after)["spin@host/user/capped"];
        long uptimeBefore = Uptime(before), uptimeAfter = Uptime(after);
        double percent = 100.0 * spin / (uptimeAfter - uptimeBefore);
        guest.Check(percent > 20 && percent < 30, $"a 25% cap gave {percent:F1}% over {uptimeAfter - uptimeBefore} ms\n{after}");
        await guest.PowerOffAsync();
    }

    private static long Uptime(string schedStats)
    {
        var m = Regex.Match(schedStats, @"uptime ms: (\d+)");
        return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Kill_EndsAWorld_AndItsMemoryReturns()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        string started = await guest.RunAsync("run ++group=kept memhog 8");
        var id = Regex.Match(started, @"started world (\d+)");
        guest.Check(id.Success, $"memhog did not start: {started}");
        await guest.ExpectAsync(new Regex(@"memhog: allocated 8 MB of 8 MB"), TimeSpan.FromSeconds(30), what: "memhog's report");
        string held = await guest.RunAsync("memstats -r group-stats");
        guest.Check(MemSizeKb(held, "kept") >= 8 * 1024, $"the group does not hold the 8 MB:\n{held}");
        string killed = await guest.RunAsync($"kill {id.Groups[1].Value}");
        guest.Check(killed.Contains("killed world", StringComparison.Ordinal), $"kill failed: {killed}");
        string after = await guest.RunAsync("memstats -r group-stats");
        guest.Check(MemSizeKb(after, "kept") == 0, $"memory did not come back:\n{after}");
        string bad = await guest.RunAsync("kill 99999");
        guest.Check(bad.Contains("no world", StringComparison.Ordinal), $"kill of a missing world: {bad}");
        string refused = await guest.RunAsync("group add greedy --min 999999");
        guest.Check(refused.Contains("reservation does not fit", StringComparison.Ordinal), $"admission control: {refused}");
        await guest.PowerOffAsync();
    }
}
