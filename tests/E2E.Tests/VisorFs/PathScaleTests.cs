// PathScaleTests.cs -- paths and directories at the sizes an operator or an archive can reach (issue 10): a 1,250-level
// `mkdir -p` (path resolution used to re-walk from the root per component: cubic in the depth), a 100,000-entry tardisk
// directory listed (the merge and the sort used to be quadratic), a ramdisk directory of 50,000 entries (its scanned
// list made `cp -r` quadratic), PATH_MAX enforced for relative names too, and Ctrl-C stopping the tree commands
// (`cp -r`, `rm -r`, `mkdir -p`, `tar -t`).
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.VisorFs;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class PathScaleTests
{
    private const int TestTimeoutMs = 300_000;
    private const int BigEntries = 100_000;
    private const int MixedEntries = 300;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task MkdirP_1250LevelsDeep_ThenPathMaxHoldsForRelativeNames_AndRmRemovesIt()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(PathScaleTests));
        await guest.ExpectPromptAsync();
        string deep = "/tmp/" + string.Join('/', Enumerable.Repeat("d", 1250));
        string made = await guest.RunAsync($"mkdir -p {deep}", TimeSpan.FromSeconds(60));
        guest.Check(made.Trim().Length == 0, $"mkdir -p of 1,250 levels: {made}");
        await guest.RunAsync($"cd {deep}");
        string pwd = await guest.RunAsync("pwd");
        guest.Check(pwd.Trim() == deep, $"pwd at the bottom: {pwd}");
        // The bottom's canonical path is 2,504 characters: a relative name that takes it past PATH_MAX (4,096) is
        // refused, one that stays within is made.
        string beyond = await guest.RunAsync("mkdir -p " + string.Join('/', Enumerable.Repeat(new string('z', 200), 8)));
        guest.Check(beyond.Contains("File name too long", StringComparison.Ordinal), $"mkdir -p past PATH_MAX through a relative path: {beyond}");
        string within = await guest.RunAsync("mkdir -p " + string.Join('/', Enumerable.Repeat(new string('w', 200), 7)));
        string statWithin = await guest.RunAsync("ls " + string.Join('/', Enumerable.Repeat(new string('w', 200), 6)));
        guest.Check(statWithin.Trim() == new string('w', 200), $"a relative path within PATH_MAX: {within} / {statWithin}");
        // `..` climbs one level per step from the bottom, without a re-walk, to the same place as the absolute path.
        await guest.RunAsync("cd " + string.Join('/', Enumerable.Repeat("..", 1249)));
        string up = await guest.RunAsync("pwd");
        guest.Check(up.Trim() == "/tmp/d", $"1,249 levels up: {up}");
        await guest.RunAsync("cd /");
        string removed = await guest.RunAsync("rm -r /tmp/d", TimeSpan.FromSeconds(60));
        guest.Check(removed.Trim().Length == 0, $"rm -r of the deep tree: {removed}");
        string tmp = await guest.RunAsync("ls /tmp");
        guest.Check(!tmp.Split('\n').Any(l => l.Trim() == "d"), $"/tmp after rm -r: {tmp}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task A100000EntryTardiskDirectory_ListsSortedAndWhole_AndCtrlCStopsTheTreeCommands()
    {
        using var modules = new TestModules();
        string module = modules.Tgz("big.tgz", BigTree());
        var config = Guest.Config(BootKind.Direct) with { ExtraModules = [module] };
        await using var guest = await Guest.StartAsync(config, nameof(PathScaleTests));
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(120));

        // Every name once, in order: the names were written in a scrambled order, and the ramdisk adds one more.
        await guest.RunAsync("touch /mixed/added");
        string mixed = await guest.RunAsync("ls /mixed");
        var expected = Enumerable.Range(0, MixedEntries).Select(i => $"m{i:D4}").Append("added").Order(StringComparer.Ordinal).ToList();
        var listed = mixed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        guest.Check(listed.SequenceEqual(expected), $"ls /mixed: {listed.Count} names, expected {expected.Count} sorted: {mixed}");

        // 100,000 names of 7 characters and a newline: 800,000 bytes.
        string listedBig = await guest.RunAsync("ls /big > /tmp/big.txt", TimeSpan.FromSeconds(120));
        guest.Check(listedBig.Trim().Length == 0, $"ls of the 100,000-entry directory: {listedBig}");
        string size = await guest.RunAsync("ls -l /tmp/big.txt");
        guest.Check(size.Contains(" 800000 ", StringComparison.Ordinal), $"the listing's size: {size}");
        await guest.RunAsync("rm /tmp/big.txt");

        // A large ramdisk directory (indexed by name): a copy of /mixed, renamed into and removed from, lists right.
        await guest.RunAsync("cp -r /mixed /tmp/m2");
        await guest.RunAsync("mv /tmp/m2/m0001 /tmp/m2/zz");
        await guest.RunAsync("rm /tmp/m2/m0002");
        await guest.RunAsync("mkdir /tmp/m2/m0002");
        string copied = await guest.RunAsync("ls /tmp/m2");
        var expectedCopy = expected.Where(n => n != "m0001").Append("zz").Order(StringComparer.Ordinal).ToList();
        var listedCopy = copied.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        guest.Check(listedCopy.SequenceEqual(expectedCopy), $"ls of the copy after mv/rm/mkdir: {copied}");
        string stat = await guest.RunAsync("ls -l /tmp/m2/m0002 /tmp/m2/zz /tmp/m2/m0299");
        guest.Check(!stat.Contains("No such file", StringComparison.Ordinal), $"names in the copy: {stat}");
        // A copy bigger than /tmp's file table stops there, with ESXi's event, and is removed whole.
        string full = await guest.RunAsync("cp -r /big /tmp/copy", TimeSpan.FromSeconds(120));
        guest.Check(full.Contains("No space left on device", StringComparison.Ordinal)
            && full.Contains("esx.problem.visorfs.ramdisk.inodetable.full", StringComparison.Ordinal), $"cp -r past the file table: {full}");
        string afterFull = await guest.RunAsync("ls /tmp");
        guest.Check(!afterFull.Contains("copy", StringComparison.Ordinal), $"a failed cp -r left its partial copy: {afterFull}");

        // Ctrl-C typed right behind the command line: each tree command must see it at its first step and stop
        // there: cp -r leaves no partial copy, rm -r removes nothing more, mkdir -p makes no level, tar lists at
        // most one batch of 64 names of the 100,000.
        await InterruptAsync(guest, "cp -r /big /tmp/copy");
        string afterCopy = await guest.RunAsync("ls /tmp");
        guest.Check(!afterCopy.Contains("copy", StringComparison.Ordinal), $"an interrupted cp -r left its partial copy: {afterCopy}");
        await InterruptAsync(guest, "rm -r /big");
        await guest.RunAsync("ls /big > /tmp/left.txt", TimeSpan.FromSeconds(120));
        string left = await guest.RunAsync("ls -l /tmp/left.txt");
        guest.Check(left.Contains(" 800000 ", StringComparison.Ordinal), $"an interrupted rm -r went on: {left}");
        await InterruptAsync(guest, "mkdir -p /tmp/p/q/r");
        string afterMkdir = await guest.RunAsync("ls /tmp");
        guest.Check(!afterMkdir.Split('\n').Any(l => l.Trim() == "p"), $"an interrupted mkdir -p went on: {afterMkdir}");
        string tarOutput = await InterruptAsync(guest, "tar -tf /tardisks/big.tgz");
        int tarLines = tarOutput.Split('\n').Count(l => l.StartsWith("big/", StringComparison.Ordinal));
        guest.Check(tarLines <= 64, $"an interrupted tar -t listed {tarLines} names");
        string echoed = await guest.RunAsync("echo still-here");
        guest.Check(echoed.Contains("still-here", StringComparison.Ordinal), $"the shell after the interrupts: {echoed}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    /// <summary>
    /// Costs, not times: under -icount the TSC counts guest instructions, so `bench path` gives the same figures on any
    /// host. Linear resolution costs the same per level at 1,000 levels as at 100 (the old re-walk cost ten times more
    /// per level at ten times the depth); an indexed directory finds a name in 5,000 entries as fast as in 10; a
    /// listing costs about the same per entry (the sort adds a log factor) at 5,000 entries as at 10.
    /// </summary>
    [Fact(Timeout = TestTimeoutMs)]
    public async Task BenchPath_CostPerLevelAndPerEntryStaysFlat_UnderIcount()
    {
        var config = Guest.Config(BootKind.Direct) with { InstructionCount = true };
        await using var guest = await Guest.StartAsync(config, nameof(PathScaleTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("bench path", TimeSpan.FromSeconds(180));
        var rows = output.Split('\n').Select(l => l.Trim()).ToList();
        double Instr(string label, int occurrence = 0)
        {
            var matches = rows.Where(r => r.StartsWith(label, StringComparison.Ordinal)).ToList();
            guest.Check(matches.Count > occurrence, $"no '{label}' row in: {output}");
            return double.Parse(matches[occurrence].Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
        }
        double perLevel100 = Instr("per level", 0), perLevel1000 = Instr("per level", 1);
        guest.Check(perLevel1000 < 1.5 * perLevel100, $"per level: {perLevel100} at 100 levels, {perLevel1000} at 1,000: {output}");
        double narrow = Instr("resolve in a 10-entry dir"), wide = Instr("resolve in a 5,000-entry dir");
        guest.Check(wide < 1.5 * narrow, $"lookup: {narrow} in 10 entries, {wide} in 5,000: {output}");
        double list10 = Instr("list+sort, per entry of 10"), list5000 = Instr("list+sort, per entry of 5,000");
        guest.Check(list5000 < 3 * list10, $"listing per entry: {list10} of 10, {list5000} of 5,000: {output}");
        await guest.PowerOffAsync();
    }

    // Types `command` with a Ctrl-C right behind it (so it is pending when the command starts), expects ^C and the
    // prompt back; returns what was printed in between.
    private static async Task<string> InterruptAsync(Guest guest, string command)
    {
        int start = guest.Session.Length;
        await guest.Session.SendAsync(command + "\r\u0003");
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(60), start + command.Length);
        string text = guest.Session.Text[start..];
        guest.Check(text.Contains("^C", StringComparison.Ordinal), $"'{command}' was not interrupted (no ^C)");
        guest.Check(!text.Contains("No space left", StringComparison.Ordinal), $"'{command}' ran to its end: {text}");
        return text;
    }

    // big/ with 100,000 empty files and mixed/ with 300, each written in a scrambled order.
    private static IEnumerable<(string, byte[]?)> BigTree()
    {
        yield return ("big/", null);
        for (int i = 0; i < BigEntries; i++)
            yield return ($"big/f{(long)i * 7919 % BigEntries:D6}", []);
        yield return ("mixed/", null);
        for (int i = 0; i < MixedEntries; i++)
            yield return ($"mixed/m{i * 37 % MixedEntries:D4}", []);
    }
}
