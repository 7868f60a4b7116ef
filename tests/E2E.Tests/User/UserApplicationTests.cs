// UserApplicationTests.cs -- issue 11's application list seen from the shell, with Debian's busybox: text and
// archive applets (grep, sed, awk, sort, uniq, cut, tr, find, tar, gzip -- which unlinks the file it still has
// open --, md5sum, xargs) print what the host's
// busybox prints for the same command lines (differential, not hard-coded); mount and df show VisorFS's mounts with
// the sizes vdf reports; vi starts, edits and saves a file; a fork bomb in a small group is stopped by the group's
// limit and leaves nothing behind; 200 sequential fork+exec+wait leave free memory where it was.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserApplicationTests
{
    private const int TestTimeoutMs = 300_000;

    private static QemuConfig WithBusybox(BootModules modules, params string[] programs)
    {
        var members = new List<global::VisorFs.VisorTarMember> { UserImage.Busybox() };
        // Applet links, as an installed busybox has them: `tar z` runs the compressor as a program found by PATH.
        foreach (string applet in new[] { "gzip", "gunzip" })
            members.Add(new global::VisorFs.VisorTarMember("bin/" + applet, 0x1FF, global::VisorFs.TarEntryType.Symlink, null) { LinkTarget = "busybox" });
        members.AddRange(UserImage.Programs(programs));
        return UserImage.Config(modules, "apps.v00", members);
    }

    // Arguments of `busybox sh -c` (inside double quotes in the kernel shell: no double quotes here), run in order in
    // one scratch directory, so later lines see the files earlier ones made.
    private static readonly string[] s_lines =
    [
        "echo b 2 > f; echo a 1 >> f; echo c 3 >> f; echo a 1 >> f; sort f | uniq -c",
        "grep -n a f; grep -c 1 f; grep -v a f; grep -q zzz f || echo no-zzz",
        "sed -e s/a/A/g -e 3d f; sed -n 2p f",
        "awk '{ s += $2 } END { print s, NR }' f; awk -F' ' '$2 > 1 { print $1 }' f",
        "cut -d' ' -f2 f | tr 123 xyz | sort -r",
        "mkdir -p d/e; echo x > d/e/g; echo y > d/h; find d | sort; find d -name g; find d -type d | sort",
        "tar cf t.tar d; tar tf t.tar | sort; mkdir u; tar xf t.tar -C u; cat u/d/e/g u/d/h",
        "gzip -c f > f.gz; gunzip -c f.gz | md5sum; md5sum f; gzip -t f.gz && echo gz-ok; zcat f.gz | wc -l",
        "seq 1 5 | xargs echo n; seq 3 | xargs -n1 echo line",
        "head -c 100000 /dev/zero | gzip -9 | gunzip | wc -c",
        "tar cf t2.tar d f; gzip -f t2.tar; ls t2.tar*; gunzip -c t2.tar.gz | tar tf - | sort; zcat t2.tar.gz | tar xf - -O f | md5sum",
        "tar czf t.tgz d f; tar tzf t.tgz | sort; tar xzf t.tgz -O f | md5sum",
        "printf '%s=%d\\n' x 5 y 6; echo done | tee out; cat out",
    ];

    [Fact(Timeout = TestTimeoutMs)]
    public async Task TextAndArchiveApplets_PrintWhatTheyPrintOnTheHost()
    {
        List<(string Output, int Status)> expected = HostBusybox.ShLines(s_lines);
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithBusybox(modules), nameof(UserApplicationTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("mkdir /tmp/apps");
        await guest.RunAsync("cd /tmp/apps");
        for (int i = 0; i < s_lines.Length; i++)
        {
            string got = HostBusybox.Normalize(await guest.RunAsync($"/bin/busybox sh -c \"{s_lines[i]}\"", TimeSpan.FromSeconds(120)));
            string report = expected[i].Status == 0 ? "" : $"/bin/busybox: exit status {expected[i].Status}";
            string want = string.Join('\n', new[] { expected[i].Output, report }.Where(s => s.Length > 0));
            guest.Check(got == want, $"sh -c {s_lines[i]}:\n--- guest ---\n{got}\n--- host ---\n{want}");
        }
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task MountAndDf_ShowTheMounts_WithTheSizesVdfReports()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithBusybox(modules), nameof(UserApplicationTests));
        await guest.ExpectPromptAsync();
        string mount = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox mount"));
        foreach (string line in new[] { "root on / type ramdisk (rw)", "tmp on /tmp type ramdisk (rw)", "etc on /etc type ramdisk (rw)", "proc on /proc type proc (ro)" })
            guest.Check(mount.Split('\n').Contains(line), $"mount lacks '{line}':\n{mount}");
        await guest.RunAsync("/bin/busybox dd if=/dev/zero of=/tmp/big bs=1024 count=600");
        string df = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox df /tmp /etc /proc"));
        string vdf = HostBusybox.Normalize(await guest.RunAsync("vdf"));
        guest.Check(df.StartsWith("Filesystem           1K-blocks      Used Available Use% Mounted on", StringComparison.Ordinal), $"df's header:\n{df}");
        foreach (string disk in new[] { "tmp", "etc" })
        {
            Match d = Regex.Match(df, $@"^{disk} +(\d+) +(\d+) +(\d+) +\d+% /{disk}$", RegexOptions.Multiline);
            Match v = Regex.Match(vdf, $@"^{disk} +(\d+) +(\d+) +(\d+) +\d+% +--$", RegexOptions.Multiline);
            guest.Check(d.Success && v.Success, $"no {disk} row:\n{df}\n{vdf}");
            guest.Check(d.Groups[1].Value == v.Groups[1].Value, $"{disk}: df says {d.Groups[1].Value} KB, vdf {v.Groups[1].Value} KB");
            long dfUsed = long.Parse(d.Groups[2].Value), vdfUsed = long.Parse(v.Groups[2].Value);
            guest.Check(Math.Abs(dfUsed - vdfUsed) <= 4, $"{disk} used: df {dfUsed} KB, vdf {vdfUsed} KB");
        }
        long tmpUsed = long.Parse(Regex.Match(df, @"^tmp +\d+ +(\d+)", RegexOptions.Multiline).Groups[1].Value);
        guest.Check(tmpUsed >= 600, $"the 600 KB file is not in /tmp's used space ({tmpUsed} KB)");
        guest.Check(Regex.IsMatch(df, @"^proc +0 +0 +0 +0% /proc$", RegexOptions.Multiline), $"/proc's row:\n{df}");
        string statf = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox stat -f /tmp"));
        guest.Check(statf.Contains("Type: tmpfs", StringComparison.Ordinal), $"stat -f /tmp:\n{statf}");
        string missing = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox stat -f /proc/99999"));
        guest.Check(missing.Contains("No such file or directory", StringComparison.Ordinal), $"stat -f of a pid that does not exist:\n{missing}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Vi_StartsEditsAndSavesAFile()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithBusybox(modules), nameof(UserApplicationTests));
        await guest.ExpectPromptAsync();
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("/bin/busybox vi /tmp/note.txt");
        // vi draws its screen (a status line with the file name) in raw mode.
        await guest.ExpectAsync(new Regex(@"note\.txt"), TimeSpan.FromSeconds(60), start, "vi's status line");
        // Typed as a person types: an ESC with nothing right behind it is a key, not the start of an escape sequence.
        await Task.Delay(500);
        await guest.Session.SendAsync("ihello from vi");
        await Task.Delay(500);
        await guest.Session.SendAsync("\u001b");
        await Task.Delay(500);
        await guest.Session.SendAsync(":wq\r");
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(60), start);
        string content = HostBusybox.Normalize(await guest.RunAsync("cat /tmp/note.txt"));
        guest.Check(content == "hello from vi", $"the saved file:\n{content}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ForkBomb_InASmallGroup_IsStoppedByItsLimit_AndLeavesNothingBehind()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithBusybox(modules, "forkbomb"), nameof(UserApplicationTests));
        await guest.ExpectPromptAsync();
        string bomb = await guest.RunAsync("/bin/forkbomb ++group=bomb,max=16", TimeSpan.FromSeconds(180));
        // Either fork fails (the group is full) or the memory policy kills the bomb's largest process: both stop it.
        Match made = Regex.Match(bomb, @"forkbomb: (\d+) children, then fork failed: (Cannot allocate memory|Resource temporarily unavailable)");
        guest.Check(made.Success || bomb.Contains("killed by signal", StringComparison.Ordinal), $"the bomb was not stopped:\n{bomb}");
        if (made.Success)
            guest.Check(int.Parse(made.Groups[1].Value) is > 0 and < 64, $"children within 16 MB: {made.Groups[1].Value}");
        guest.Check(Regex.IsMatch(bomb, @"Admission failure in path: host/user/bomb"), $"no admission failure logged:\n{bomb}");
        string echo = await guest.RunAsync("echo shell-alive");
        guest.Check(echo.Contains("shell-alive", StringComparison.Ordinal), "the shell did not answer");
        string ps = await guest.RunAsync("ps");
        for (int i = 0; i < 20 && ps.Contains("forkbomb", StringComparison.Ordinal); i++)
        {
            await guest.RunAsync("sleep 100ms");
            ps = await guest.RunAsync("ps");
        }
        guest.Check(!ps.Contains("forkbomb", StringComparison.Ordinal), $"bomb processes left:\n{ps}");
        string groups = await guest.RunAsync("memstats -r group-stats");
        Match row = Regex.Match(groups, @"^\s*\d+\s+bomb\s+\d+\s+\d+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\d+)\s", RegexOptions.Multiline);
        guest.Check(row.Success && row.Groups[1].Value == "0", $"the bomb's group still holds memory:\n{groups}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task TwoHundredForkExecWait_LeaveFreeMemoryWhereItWas()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithBusybox(modules), nameof(UserApplicationTests));
        await guest.ExpectPromptAsync();
        const string Loop = "/bin/busybox sh -c \"i=0; while [ $i -lt {0} ]; do /bin/busybox true; i=$((i+1)); done; echo ran $i\"";
        // A warm-up round first: the first processes grow kernel tables that stay (world pool, stack slots' page tables).
        string warm = await guest.RunAsync(string.Format(Loop, 20), TimeSpan.FromSeconds(120));
        guest.Check(warm.Contains("ran 20", StringComparison.Ordinal), $"warm-up:\n{warm}");
        long before = await UsedKb(guest);
        string run = await guest.RunAsync(string.Format(Loop, 200), TimeSpan.FromSeconds(240));
        guest.Check(run.Contains("ran 200", StringComparison.Ordinal), $"200 rounds:\n{run}");
        long after = await UsedKb(guest);
        guest.Check(Math.Abs(after - before) <= 256, $"used memory moved by {after - before} KB over 200 fork+exec+wait ({before} -> {after} KB)");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // `free`'s used column after a collection (the kernel heap's garbage out of the figure).
    private static async Task<long> UsedKb(Guest guest)
    {
        await guest.RunAsync("gc");
        KernelInfo.Free free = KernelInfo.ParseFree(guest, await guest.RunAsync("free"));
        return free.MemUsedKb;
    }
}
