// WorldsTests.cs -- worlds and resource groups end to end through the shell: a memory hog in a 16 MB group is
// refused and killed while the shell and other groups keep working (and its memory comes back), CPU shares split
// a CPU 2:1, a 25% CPU limit holds, a 50% CPU reservation is honoured, group set/rm change the tree and refuse bad
// input, and kill returns a world's memory.
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

    /// <summary>
    /// For the tests that measure CPU time: guest time follows the instructions executed (-icount shift=2, 250 M
    /// instructions per virtual second), so a host busy with other work (CI, parallel tests, builds) cannot steal
    /// ticks from one world and give them to another. On real time, a starved QEMU delivered its timer ticks late
    /// and a 50% reservation measured 44.5%.
    /// </summary>
    private static QemuConfig CpuTimeConfig() =>
        Guest.Config(BootKind.Direct) with { InstructionCount = true, InstructionCountShift = 2 };

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
        await using var guest = await Guest.StartAsync(CpuTimeConfig(), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("run ++group=a,cpushares=2000 spin");
        await guest.RunAsync("run ++group=b,cpushares=1000 spin");
        // Measured from the moment both run: until the second `run` is typed, the first spinner has the CPU alone
        // for as long as the host takes to send the line (host load stretches that, even under -icount).
        string start = await guest.RunAsync("sched-stats");
        await guest.RunAsync("sleep 3", TimeSpan.FromSeconds(60));
        string stats = await guest.RunAsync("sched-stats");
        var before = RunTimes(start);
        var times = RunTimes(stats);
        guest.Check(before.ContainsKey("spin@host/user/a") && before.ContainsKey("spin@host/user/b")
            && times.TryGetValue("spin@host/user/a", out long a) && times.TryGetValue("spin@host/user/b", out long b) && b > before["spin@host/user/b"],
            $"no run times for the spinners:\n{start}\n{stats}");
        double ratio = (double)(times["spin@host/user/a"] - before["spin@host/user/a"]) / (times["spin@host/user/b"] - before["spin@host/user/b"]);
        guest.Check(ratio > 1.8 && ratio < 2.2, $"shares 2:1 gave a split of {ratio:F2}:1 (want 2 within 10%)\n{stats}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ShellAnswers_NextToAHighShareSpinnerAndAReservedSpinner()
    {
        // The starved-shell report: with these two spinners the shell never showed its prompt again (a group picked
        // for its reservation dragged the scheduler's virtual-time floor past the woken shell).
        await using var guest = await Guest.StartAsync(CpuTimeConfig(), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("run ++group=a,cpushares=9000 spin");
        await guest.RunAsync("run ++group=b,cpumin=50 spin", TimeSpan.FromSeconds(20));
        for (int i = 0; i < 5; i++)
        {
            string echoed = await guest.RunAsync($"echo still-here-{i}", TimeSpan.FromSeconds(20));
            guest.Check(echoed.Contains($"still-here-{i}"), $"the shell did not answer command {i}:\n{echoed}");
        }
        string before = await guest.RunAsync("sched-stats", TimeSpan.FromSeconds(20));
        await guest.RunAsync("sleep 2", TimeSpan.FromSeconds(60));
        string after = await guest.RunAsync("sched-stats", TimeSpan.FromSeconds(20));
        long reserved = RunTimes(after)["spin@host/user/b"] - RunTimes(before)["spin@host/user/b"];
        long elapsed = Uptime(guest, after) - Uptime(guest, before);
        double percent = 100.0 * reserved / elapsed;
        guest.Check(percent > 40, $"the 50% reservation got {percent:F1}% over {elapsed} ms\n{after}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task MemoryShares_DecideWhichGroupGivesMemoryBack()
    {
        // Two memory hogs share a 32 MB pool. The one with 16x the shares asks last and hits the pool's limit, yet the
        // one holding more memory per share (the smaller, poorer one) is killed and the rich one keeps its memory.
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("group add host/user/pool --max 32");
        await guest.RunAsync("run ++group=pool/poor,shares=500 memhog 12");
        await guest.ExpectAsync(new Regex(@"memhog: allocated 12 MB of 12 MB in host/user/pool/poor"), TimeSpan.FromSeconds(30), what: "the poor hog's report");
        await guest.RunAsync("run ++group=pool/rich,shares=8000 memhog 30");
        await guest.ExpectAsync(new Regex(@"Out of memory in host/user/pool/poor: killing world \d+ \(memhog"), TimeSpan.FromSeconds(30), what: "the poor hog killed");
        // The policy logs before it kills (it may be killing the world it runs in), so the shell can list the worlds
        // in between: give the kill a moment to land.
        string ps = await guest.RunAsync("ps");
        for (int i = 0; i < 10 && ps.Contains("host/user/pool/poor", StringComparison.Ordinal); i++)
        {
            await guest.RunAsync("sleep 100ms");
            ps = await guest.RunAsync("ps");
        }
        guest.Check(ps.Contains("host/user/pool/rich", StringComparison.Ordinal) && !ps.Contains("host/user/pool/poor", StringComparison.Ordinal),
            $"the wrong hog died:\n{ps}");
        string memstats = await guest.RunAsync("memstats -r group-stats");
        guest.Check(MemSizeKb(memstats, "poor") == 0 && MemSizeKb(memstats, "rich") > 12 * 1024, $"memory did not move to the rich group:\n{memstats}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CpuLimit25Percent_HoldsOnAnIdleMachine()
    {
        await using var guest = await Guest.StartAsync(CpuTimeConfig(), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        string before = await guest.RunAsync("sched-stats");
        await guest.RunAsync("run ++group=capped,cpumax=25 spin");
        await guest.RunAsync("sleep 2", TimeSpan.FromSeconds(60));
        string after = await guest.RunAsync("sched-stats");
        long spin = RunTimes(after)["spin@host/user/capped"];
        long uptimeBefore = Uptime(guest, before), uptimeAfter = Uptime(guest, after);
        double percent = 100.0 * spin / (uptimeAfter - uptimeBefore);
        guest.Check(percent > 20 && percent < 30, $"a 25% cap gave {percent:F1}% over {uptimeAfter - uptimeBefore} ms\n{after}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CpuReservation_GetsItsShare_AgainstTwoEqualSpinners()
    {
        // Three spinners with equal shares split the CPU in thirds; a 50% reservation for one of them must lift it to
        // half. The shell gets a small reservation of its own (ESXi reserves CPU for its management groups too), so
        // its response time does not depend on how the scheduler treats a woken world next to a reserved group:
        // that is the scheduler tests' subject; this one is the reservation.
        await using var guest = await Guest.StartAsync(CpuTimeConfig(), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        string shell = await guest.RunAsync("group set host/vim/vmvisor/shell --cpu-min 5");
        guest.Check(shell.Trim() == "updated host/vim/vmvisor/shell", $"group set of the shell's group: {shell}");
        await guest.RunAsync("run ++group=s spin");
        await guest.RunAsync("run ++group=t spin");
        string started = await guest.RunAsync("run ++group=r,cpumin=50 spin");
        guest.Check(started.Contains("started world", StringComparison.Ordinal), $"the reserved spinner did not start: {started}");
        string before = await guest.RunAsync("sched-stats");
        await guest.RunAsync("sleep 3", TimeSpan.FromSeconds(60));
        string after = await guest.RunAsync("sched-stats");
        long elapsed = Uptime(guest, after) - Uptime(guest, before);
        long Used(string group) => GroupRunMs(guest, after, group) - GroupRunMs(guest, before, group);
        long r = Used("host/user/r"), s = Used("host/user/s"), t = Used("host/user/t");
        double percent = 100.0 * r / elapsed;
        guest.Check(percent >= 45, $"a 50% reservation got {percent:F1}% of {elapsed} ms (s {s} ms, t {t} ms; a third without it)\n{after}");
        guest.Check(s > 0 && t > 0 && Math.Abs(s - t) < (s + t) / 5, $"the unreserved spinners did not share the rest evenly: s {s} ms, t {t} ms\n{after}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task GroupSet_AndRm_ChangeTheTree_AndRefuseBadInput()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(WorldsTests));
        await guest.ExpectPromptAsync();
        string added = await guest.RunAsync("group add t --min 8 --max 64");
        guest.Check(added.Trim() == "added host/user/t", $"group add: {added}");
        var row = GroupRow(guest, await guest.RunAsync("memstats -r group-stats"), "t");
        guest.Check(row is { Min: 8192, Max: 65536, MinLimit: -1 }, $"after add: {row}");

        string set = await guest.RunAsync("group set host/user/t --min 16 --max 32 --minlimit 24");
        guest.Check(set.Trim() == "updated host/user/t", $"group set: {set}");
        row = GroupRow(guest, await guest.RunAsync("memstats -r group-stats"), "t");
        guest.Check(row is { Min: 16384, Max: 32768, MinLimit: 24576 }, $"after set --min 16 --max 32 --minlimit 24: {row}");
        // The parent's reservation for its children follows.
        var user = GroupRow(guest, await guest.RunAsync("memstats -r group-stats"), "user");
        guest.Check(user.ConResv == 16384, $"host/user's conResv after t's --min 16: {user}");

        await guest.RunAsync("group set user/t --cpu-max 40 --cpu-shares 3000");
        string stats = await guest.RunAsync("sched-stats");
        guest.Check(Regex.IsMatch(stats, @"^host/user/t\s+3000\s+40\s+\d+\s*$", RegexOptions.Multiline), $"CPU shares and limit after group set:\n{stats}");

        foreach (var (command, error) in new[]
        {
            ("group set host/user/t --min 64", "group: host/user/t: reservation (min) is larger than the limit (max)"),
            ("group set host/user/t --min abc", "group: invalid option or value '--min abc'"),
            ("group set host/user/t --bogus 1", "group: invalid option or value '--bogus 1'"),
            ("group set host/user/t --cpu-min 101", "group: invalid option or value '--cpu-min 101'"),
            ("group set host/user/nosuch --min 1", "group: host/user/nosuch: no such group"),
            ("group rm host/user/nosuch", "group: host/user/nosuch: no such group"),
            ("group rm host/user", "group: host/user: group has child groups"),
            ("group rm host", "group: host: the root group cannot be changed that way"),
        })
        {
            string output = await guest.RunAsync(command);
            guest.Check(output.Trim() == error, $"'{command}': expected '{error}', got: {output}");
        }
        row = GroupRow(guest, await guest.RunAsync("memstats -r group-stats"), "t");
        guest.Check(row is { Min: 16384, Max: 32768 }, $"a refused group set changed the group: {row}");

        string started = await guest.RunAsync("run ++group=busy sleeper");
        var id = Regex.Match(started, @"started world (\d+)");
        guest.Check(id.Success, $"sleeper did not start: {started}");
        string busy = await guest.RunAsync("group rm host/user/busy");
        guest.Check(busy.Trim() == "group: host/user/busy: group still has worlds", $"group rm of a group with a world: {busy}");
        await guest.RunAsync($"kill {id.Groups[1].Value}");
        // The killed world is reaped at the next switch: retry (bounded) until the group is empty.
        string removed = await guest.RunAsync("group rm host/user/busy");
        for (int attempt = 0; attempt < 20 && removed.Contains("still has worlds", StringComparison.Ordinal); attempt++)
        {
            await guest.RunAsync("sleep 100ms");
            removed = await guest.RunAsync("group rm host/user/busy");
        }
        guest.Check(removed.Trim().Length == 0, $"group rm after the world ended: {removed}");
        string rm = await guest.RunAsync("group rm host/user/t");
        guest.Check(rm.Trim().Length == 0, $"group rm of an empty group: {rm}");
        string table = await guest.RunAsync("memstats -r group-stats");
        guest.Check(!Regex.IsMatch(table, @"^\s*\d+\s+(t|busy)\s", RegexOptions.Multiline), $"removed groups are still listed:\n{table}");
        user = GroupRow(guest, table, "user");
        guest.Check(user is { ConResv: 0, NChild: 0 }, $"host/user after its children were removed: {user}");
        string again = await guest.RunAsync("group rm host/user/t");
        guest.Check(again.Trim() == "group: host/user/t: no such group", $"second group rm: {again}");
        await guest.PowerOffAsync();
    }

    private readonly record struct GroupStats(long NChild, long Min, long Max, long MinLimit, long ConResv);

    /// <summary>One group's row of `memstats -r group-stats` (KB); fails the test when the group is not listed once.</summary>
    private static GroupStats GroupRow(Guest guest, string memstats, string name)
    {
        var rows = memstats.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 13 && f[1] == name).ToList();
        guest.Check(rows.Count == 1, $"group '{name}' is listed {rows.Count} times in memstats:\n{memstats}");
        long F(int i) => long.Parse(rows[0][i], CultureInfo.InvariantCulture);
        return new GroupStats(F(3), F(4), F(5), F(6), F(8));
    }

    /// <summary>A group's RUN(ms) from the group table of `sched-stats`; fails the test when it is missing.</summary>
    private static long GroupRunMs(Guest guest, string schedStats, string path)
    {
        Match m = Regex.Match(schedStats, $@"^{Regex.Escape(path)}\s+\d+\s+-?\d+\s+(\d+)\s*$", RegexOptions.Multiline);
        guest.Check(m.Success, $"no sched-stats line for {path}:\n{schedStats}");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // sched-stats' "uptime ms: N"; a missing figure fails the test (a stand-in 0 would make every window empty).
    private static long Uptime(Guest guest, string schedStats)
    {
        var m = Regex.Match(schedStats, @"uptime ms: (\d+)");
        guest.Check(m.Success, $"sched-stats printed no 'uptime ms: N':\n{schedStats}");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
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
