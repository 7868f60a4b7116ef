// GarbageCollectorTests.cs -- the collector seen from the shell: `gc` reports what it freed and the pause, the
// garbage commands leave is reclaimed, and a soak of mixed file, group and process commands leaves the live heap
// where it started (checked after a `gc`, which is what "live" means once there is a collector).
using System.Globalization;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Memory;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed partial class GarbageCollectorTests
{
    private const int TestTimeoutMs = 600_000;

    [GeneratedRegex(@"^before: (\d+) objects, (\d+) bytes live\r?\nafter:  (\d+) objects, (\d+) bytes live\r?\nfreed:  (\d+) objects, (\d+) bytes\r?\npause:  (\d+) cycles \((\d+) us; mark \d+ us\), (\d+) objects marked, (\d+) words scanned conservatively \((\d+) on stacks\)\r?\nstacks: (?:(\d+) frames by GC info \((\d+) live slots\), (\d+) managed frames word by word|every word conservatively \(gcscan=conservative\))\r?\nroots:  (\d+) frozen objects walked; \d+ handles\r?\ntotal:  (\d+) collections, \d+ us paused; next at \d+ KiB in use", RegexOptions.Multiline)]
    private static partial Regex GcReport();

    internal sealed record Report(long ObjectsBefore, long BytesBefore, long ObjectsAfter, long BytesAfter, long FreedObjects, long FreedBytes,
        long PauseCycles, long Marked, long Collections, long PreciseFrames, long PreciseSlots, long ConservativeFrames);

    /// <summary>The `gc` command's report, or null when the output is not one (also used by the VisorFS soak).</summary>
    internal static Report? Parse(string output)
    {
        Match m = GcReport().Match(output);
        if (!m.Success)
            return null;
        long N(int group) => m.Groups[group].Success ? long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : -1;
        return new Report(N(1), N(2), N(3), N(4), N(5), N(6), N(7), N(9), N(16), N(12), N(13), N(14));
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Gc_ReportsLiveBeforeAndAfter_FreedAndPause_AndReclaimsCommandGarbage()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(GarbageCollectorTests));
        await guest.ExpectPromptAsync();
        Report? first = Parse(await guest.RunAsync("gc"));
        guest.Check(first != null, "no gc report");
        // Listings and stats make strings and lists that nobody keeps.
        for (int i = 0; i < 5; i++)
        {
            await guest.RunAsync("ls -l /etc /bin /sbin");
            await guest.RunAsync("memstats -r group-stats");
        }
        string text = await guest.RunAsync("gc");
        Report? report = Parse(text);
        guest.Check(report != null, $"no gc report:\n{text}");
        guest.Check(report!.Collections > first!.Collections, $"the collection count did not grow:\n{text}");
        // (In gcstress mode collections run all along, so little is left for this one.)
        bool stress = Guest.ExtraKernelOptions.Any(o => o.StartsWith("gcstress=", StringComparison.Ordinal));
        guest.Check(stress || (report.FreedObjects > 500 && report.FreedBytes > 10_000), $"the commands' garbage was not freed:\n{text}");
        guest.Check(report.ObjectsBefore - report.FreedObjects == report.ObjectsAfter
            && report.BytesBefore - report.FreedBytes == report.BytesAfter, $"before - freed != after:\n{text}");
        guest.Check(report.Marked == report.ObjectsAfter, $"every survivor was marked, nothing else:\n{text}");
        guest.Check(report.PauseCycles > 0, $"no pause measured:\n{text}");
        // Precise stack scanning (the default): the shell's and the blocked worlds' managed frames are reported from
        // their GC info, a handful of live slots among them.
        bool conservative = Guest.ExtraKernelOptions.Contains("gcscan=conservative");
        guest.Check(conservative || (report.PreciseFrames >= 10 && report.PreciseSlots > 0), $"stack frames were not scanned precisely:\n{text}");
        guest.Check(Math.Abs(report.ObjectsAfter - first.ObjectsAfter) < 200, $"live objects drifted from {first.ObjectsAfter}:\n{text}");
        await guest.PowerOffAsync();
    }

    // One round of the soak: file commands (create, copy, move, list, remove a small tree), group commands (add,
    // set, list, remove) and process commands (start a world in the group, list, kill it). Everything it makes it
    // removes, so what stays live afterwards is only what the kernel keeps by design.
    private static string[] Round(int i) =>
    [
        $"mkdir -p /tmp/soak/d{i % 4}/sub",
        $"echo round {i} > /tmp/soak/d{i % 4}/sub/f",
        $"cp -r /tmp/soak/d{i % 4} /var/soak{i % 4}",
        $"mv /var/soak{i % 4} /tmp/soak/moved",
        "ls -l /tmp/soak",
        "cat /tmp/soak/moved/sub/f",
        "rm -r /tmp/soak",
        $"group add host/user/soak{i % 3} --max 64",
        $"group set host/user/soak{i % 3} --cpu-max 50",
        "memstats -r group-stats",
        $"run ++group=soak{i % 3} sleeper",
        "ps",
    ];

    private static string? StartedWorld(string output)
    {
        Match m = Regex.Match(output, @"started world (\d+)");
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>
    /// The issue's pause goal, as a cost: under -icount the TSC counts guest instructions, so `bench gc` gives the same
    /// figures on any host. Every live heap it builds (1, 16 and 64 MiB of 48-byte nodes, and of mixed objects) must be
    /// collected in at most one guest instruction per live byte, and the mixed heaps in well under that.
    /// </summary>
    [Fact(Timeout = TestTimeoutMs)]
    public async Task BenchGc_PauseIsAtMostOneInstructionPerLiveByte_UnderIcount()
    {
        var config = Guest.Config(BootKind.Direct) with { InstructionCount = true };
        await using var guest = await Guest.StartAsync(config, nameof(GarbageCollectorTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("bench gc", TimeSpan.FromSeconds(400));
        // Rows: MiB, live objects, live bytes, pause cycles, pause instructions, instructions per live byte, mark.
        var rows = output.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 7 && f.All(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            .Select(f => f.Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray())
            .ToList();
        guest.Check(rows.Count == 6, $"expected six pause rows (small and mixed, 1/16/64 MiB):\n{output}");
        for (int i = 0; i < rows.Count; i++)
        {
            double[] r = rows[i];
            guest.Check(r[0] == (i % 3 == 0 ? 1 : i % 3 == 1 ? 16 : 64), $"row {i} is not the heap size expected:\n{output}");
            guest.Check(r[2] >= r[0] * 1024 * 1024, $"row {i}: the live heap is smaller than asked:\n{output}");
            double perByte = r[4] / r[2];
            guest.Check(perByte <= (i < 3 ? 1.0 : 0.35), $"row {i}: {perByte:F3} instructions per live byte:\n{output}");
        }
        await guest.PowerOffAsync();
    }

    // 2,000 commands in the suite; the issue's full 10,000 with VMK_SOAK_COMMANDS=10000 (docs/GarbageCollector.md has
    // the result of a full run).
    private static int SoakCommands =>
        int.TryParse(Environment.GetEnvironmentVariable("VMK_SOAK_COMMANDS"), out int n) && n > 0 ? n : 2000;

    [Fact(Timeout = TestTimeoutMs * 3)]
    public async Task Soak_MixedShellCommands_LeaveTheLiveHeapWhereItStarted()
    {
        // The log rotates at 16 KiB, so the warm-up brings it to its steady state (a log and two rotated files, which
        // hold their page lists in the heap); at the default 512 KiB the first rotations land inside a long soak.
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct, "logsize=16"), nameof(GarbageCollectorTests));
        await guest.ExpectPromptAsync();
        int commands = 0;
        async Task RunRound(int i)
        {
            foreach (string command in Round(i))
            {
                string output = await guest.RunAsync(command);
                commands++;
                if (command.StartsWith("run ", StringComparison.Ordinal))
                {
                    string? wid = StartedWorld(output);
                    guest.Check(wid != null, $"round {i}: '{command}' did not start a world:\n{output}");
                    await guest.RunAsync($"kill {wid}");
                    commands++;
                }
            }
            await guest.RunAsync($"group rm host/user/soak{i % 3}");
            commands++;
        }

        // Warm-up: lists, the shell's history (64 lines), the slabs and the rotated logs reach their working size.
        for (int i = 0; i < 12; i++)
            await RunRound(i);
        bool rotatedTwice = false;
        for (int i = 12; i < 200 && !(rotatedTwice = (await guest.RunAsync("ls /var/log")).Contains("vmkernel.2", StringComparison.Ordinal)); i++)
            await RunRound(i);
        guest.Check(rotatedTwice, "the log did not rotate twice at logsize=16");
        Report? start = Parse(await guest.RunAsync("gc"));
        guest.Check(start != null, "no gc report at the start");
        int warmup = commands;
        for (int i = 12; commands - warmup < SoakCommands; i++)
            await RunRound(i);
        string text = await guest.RunAsync("gc");
        Report? end = Parse(text);
        guest.Check(end != null, $"no gc report at the end:\n{text}");
        double drift = Math.Abs(end!.BytesAfter - start!.BytesAfter) / (double)start.BytesAfter;
        guest.Check(drift <= 0.01, $"after {commands - warmup} commands the live heap moved from {start.BytesAfter} to {end.BytesAfter} bytes ({drift:P2}); objects {start.ObjectsAfter} -> {end.ObjectsAfter}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
