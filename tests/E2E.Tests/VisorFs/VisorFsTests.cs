// VisorFsTests.cs -- VisorFS end to end: direct boots with extra modules (-initrd), checked through the shell:
// files visible, later modules override earlier, copy-up and sticky markers, a full ramdisk (ENOSPC and ESXi's
// event while the shell keeps working), live mount and EBUSY unmount, corrupt modules and the decompression bomb.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using static Vmk.E2E.Tests.VisorFs.BootModules;

namespace Vmk.E2E.Tests.VisorFs;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class VisorFsTests
{
    private const int TestTimeoutMs = 240_000;

    private static BootModules Standard()
    {
        var modules = new BootModules();
        modules.Add("s.v00", Gzip(VisorTar(BaseImage())));
        modules.Add("extra.v00", Gzip(VisorTar([File("etc/motd", "Overridden by extra.v00\n"), File("opt/extra/hello.txt", "hello from extra\n")])));
        modules.Add("plain.tar", UstarTar(("opt/plain/readme", "plain tar used in place\n")));
        return modules;
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Modules_AreVisible_LaterOverridesEarlier_PlainTarUsedInPlace()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        guest.Check(Regex.IsMatch(guest.Session.Text, @"VisorFs: Loading s\.v00: \d+\.\d MB -> \d+\.\d MB in \d+ ms \(\d+\.\d MB/s\)"), "no ESXi-style Loading line for s.v00");
        guest.Check(guest.Session.Text.Contains("Loading plain.tar: 0.0 MB (uncompressed, used in place)", StringComparison.Ordinal), "plain.tar was not used in place");
        string motd = await guest.RunAsync("cat /etc/motd");
        guest.Check(motd.Trim() == "Overridden by extra.v00", $"later module does not win: {motd}");
        string plain = await guest.RunAsync("cat /opt/plain/readme");
        guest.Check(plain.Trim() == "plain tar used in place", $"plain tar file: {plain}");
        string listing = await guest.RunAsync("tar -tf /tardisks/plain.tar");
        guest.Check(listing.Trim() == "opt/plain/readme", $"tar -tf of a tardisk: {listing}");
        string zlisting = await guest.RunAsync("tar -tvf /tardisks/extra.v00");
        guest.Check(Regex.IsMatch(zlisting, @"-rw-r--r-- root/root\s+17 opt/extra/hello\.txt"), $"tar -tvf of an inflated tardisk: {zlisting}");
        await guest.RunAsync("cp /tardisks/s.v00 /tmp/s.tar");
        string notGzip = await guest.RunAsync("tar -tzf /tmp/s.tar");
        guest.Check(notGzip.Contains("not in gzip format", StringComparison.Ordinal), $"tar -z of a plain tar: {notGzip}");
        string noCreate = await guest.RunAsync("echo x > /tardisks/new");
        guest.Check(noCreate.Contains("Operation not permitted", StringComparison.Ordinal), $"file created in /tardisks: {noCreate}");
        string vdu = await guest.RunAsync("vdu /opt");
        guest.Check(Regex.IsMatch(vdu, @"^1\s+/opt/plain$", RegexOptions.Multiline) && Regex.IsMatch(vdu, @"^1\s+/opt$", RegexOptions.Multiline), $"vdu /opt:\n{vdu}");
        string tardisks = await guest.RunAsync("ls /tardisks");
        guest.Check(tardisks.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is ["extra.v00", "plain.tar", "s.v00"], $"ls /tardisks: {tardisks}");
        string etc = await guest.RunAsync("ls -la /etc");
        guest.Check(Regex.IsMatch(etc, @"-rw-r--r-T\s+1 root\s+root\s+8 \w{3} [ \d]\d \d\d:\d\d inetd\.conf"), $"sticky inetd.conf not shown with T:\n{etc}");
        string missing = await guest.RunAsync("ls /nope");
        guest.Check(missing.Trim() == "ls: /nope: No such file or directory", $"error text: {missing}");
        string vdf = await guest.RunAsync("vdf -h");
        string[] lines = vdf.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        guest.Check(Regex.IsMatch(lines[0], @"^Tardisk\s+Space\s+Used$") && lines[1].StartsWith("s.v00", StringComparison.Ordinal)
            && lines.Contains("-----") && lines.Any(l => Regex.IsMatch(l, @"^Ramdisk\s+Size\s+Used\s+Available\s+Use%\s+Mounted on$"))
            && lines.Any(l => Regex.IsMatch(l, @"^root\s+32M\s+\S+\s+\S+\s+\d+%\s+--$")), $"vdf -h:\n{vdf}");
        string mount = await guest.RunAsync("mount");
        guest.Check(mount.Contains("visorfs on /tmp type visorfs (2,128,01777,tmp)", StringComparison.Ordinal)
            && mount.Contains("visorfs on / type visorfs (0,32,01755,root)", StringComparison.Ordinal), $"mount:\n{mount}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task WritingATardiskFile_CopiesItUp_StickyGetsMarker_DeleteHidesIt()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("echo \"/net/vmnic0 = up\" >> /etc/vmware/esx.conf");
        string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
        guest.Check(conf.Contains("/system/uuid = \"5f3c\"", StringComparison.Ordinal) && conf.Contains("/net/vmnic0 = up", StringComparison.Ordinal), $"copy-up lost data: {conf}");
        string stat = await guest.RunAsync("stat /etc/vmware/esx.conf");
        guest.Check(stat.Contains("Device: ramdisk etc", StringComparison.Ordinal), $"the copy is not in the etc ramdisk:\n{stat}");
        string listing = await guest.RunAsync("ls -la /etc/vmware");
        guest.Check(Regex.IsMatch(listing, @"-rw-r--r-T\s+1 root\s+root\s+0 .* \.#esx\.conf"), $"no .#esx.conf marker:\n{listing}");
        string evil = await guest.RunAsync("touch /etc/.#evil");
        guest.Check(evil.Contains("Operation not permitted", StringComparison.Ordinal), $".# created by hand: {evil}");
        await guest.RunAsync("rm /etc/motd");
        string gone = await guest.RunAsync("cat /etc/motd");
        guest.Check(gone.Contains("No such file or directory", StringComparison.Ordinal), $"deleted tardisk file still visible: {gone}");
        await guest.RunAsync("echo fresh > /etc/motd");
        string fresh = await guest.RunAsync("cat /etc/motd");
        guest.Check(fresh.Trim() == "fresh", $"recreated file: {fresh}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task WorkingDirectory_RelativePaths_DirectoriesAndRenames()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("mkdir -p /tmp/a/b/c");
        await guest.RunAsync("cd /tmp/a/b");
        guest.Check(guest.Session.Text.TrimEnd().EndsWith("[root@localhost:/tmp/a/b]", StringComparison.Ordinal), "the prompt does not show the cwd");
        string pwd = await guest.RunAsync("pwd");
        guest.Check(pwd.Trim() == "/tmp/a/b", $"pwd: {pwd}");
        await guest.RunAsync("echo note > c/../n.txt");
        string note = await guest.RunAsync("cat ../b/n.txt");
        guest.Check(note.Trim() == "note", $"relative paths with . and ..: {note}");
        await guest.RunAsync("cd ..");
        await guest.RunAsync("mv b renamed");
        string listing = await guest.RunAsync("ls /tmp/a/renamed");
        guest.Check(listing.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is ["c", "n.txt"], $"renamed directory: {listing}");
        string notEmpty = await guest.RunAsync("rmdir renamed");
        guest.Check(notEmpty.Contains("rmdir: renamed: Directory not empty", StringComparison.Ordinal), $"rmdir of a non-empty directory: {notEmpty}");
        string isDir = await guest.RunAsync("rm renamed");
        guest.Check(isDir.Contains("rm: renamed: Is a directory", StringComparison.Ordinal), $"rm of a directory: {isDir}");
        string notDir = await guest.RunAsync("cd renamed/n.txt");
        guest.Check(notDir.Contains("Not a directory", StringComparison.Ordinal), $"cd into a file: {notDir}");
        await guest.RunAsync("cd");
        string home = await guest.RunAsync("pwd");
        guest.Check(home.Trim() == "/", $"cd without argument: {home}");
        string exists = await guest.RunAsync("mkdir /etc");
        guest.Check(exists.Contains("mkdir: /etc: File exists", StringComparison.Ordinal), $"mkdir of an existing directory: {exists}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task RecursiveRemove_DeletesRamdiskTreesAndHidesTardiskOnes_RefusesMountPoints()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        string before = await guest.RunAsync("ramdisk list");
        await guest.RunAsync("mkdir -p /tmp/tree/a/b");
        await guest.RunAsync("echo one > /tmp/tree/a/b/f1");
        await guest.RunAsync("echo two > /tmp/tree/a/f2");
        string full = await guest.RunAsync("ramdisk list");
        guest.Check(TmpUsage(full) != TmpUsage(before), $"the tree did not show in tmp's usage:\n{before}\n{full}");
        string gone = await guest.RunAsync("rm -r /tmp/tree");
        guest.Check(gone.Trim().Length == 0, $"rm -r of a ramdisk tree: {gone}");
        string missing = await guest.RunAsync("ls /tmp/tree");
        guest.Check(missing.Contains("No such file or directory", StringComparison.Ordinal), $"tree still there: {missing}");
        string after = await guest.RunAsync("ramdisk list");
        guest.Check(TmpUsage(after) == TmpUsage(before), $"rm -r left ramdisk space or inodes in use:\n{before}\n{after}");

        // A directory that lives in tardisks (extra.v00 and plain.tar both have /opt/...): hidden, not deleted.
        await guest.RunAsync("echo mine > /opt/extra/local.txt");
        string hidden = await guest.RunAsync("rm -r /opt/extra");
        guest.Check(hidden.Trim().Length == 0, $"rm -r of a tardisk directory: {hidden}");
        string opt = await guest.RunAsync("ls /opt");
        guest.Check(opt.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is ["plain"], $"ls /opt after rm -r /opt/extra: {opt}");
        string stillInTardisk = await guest.RunAsync("tar -tf /tardisks/plain.tar");
        guest.Check(stillInTardisk.Trim() == "opt/plain/readme", $"the tardisk itself changed: {stillInTardisk}");

        string busy = await guest.RunAsync("rm -r /tmp");
        guest.Check(busy.Contains("rm: /tmp: Device or resource busy", StringComparison.Ordinal), $"rm -r of a mount point: {busy}");
        string file = await guest.RunAsync("rm -rf /tmp/none /etc/motd");
        guest.Check(file.Trim().Length == 0, $"rm -rf of a missing path and a file: {file}");
        string motd = await guest.RunAsync("cat /etc/motd");
        guest.Check(motd.Contains("No such file or directory", StringComparison.Ordinal), $"rm -r of a file: {motd}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Chmod_SetsModes_StickyBitMarksAFileForBackup_TardiskEntriesAreCopiedUp()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("echo secret > /tmp/f");
        await guest.RunAsync("chmod 600 /tmp/f");
        string f = await guest.RunAsync("ls -l /tmp/f");
        guest.Check(f.TrimStart().StartsWith("-rw------- ", StringComparison.Ordinal), $"chmod 600: {f}");
        await guest.RunAsync("chmod g+r,o=r /tmp/f");
        f = await guest.RunAsync("ls -l /tmp/f");
        guest.Check(f.TrimStart().StartsWith("-rw-r--r-- ", StringComparison.Ordinal), $"chmod g+r,o=r: {f}");

        // motd lives in s.v00: chmod +t copies it up into the etc ramdisk, makes it sticky and gives it its marker.
        await guest.RunAsync("chmod +t /etc/motd");
        string etc = await guest.RunAsync("ls -la /etc");
        guest.Check(Regex.IsMatch(etc, @"-rw-r--r-T\s.*\smotd\s*$", RegexOptions.Multiline) && Regex.IsMatch(etc, @"\s\.#motd\s*$", RegexOptions.Multiline),
            $"chmod +t did not make motd sticky with a marker:\n{etc}");
        string layer = await guest.RunAsync("stat /etc/motd");
        guest.Check(layer.Contains("ramdisk etc", StringComparison.Ordinal), $"motd was not copied up: {layer}");
        await guest.RunAsync("chmod -t /etc/motd");
        etc = await guest.RunAsync("ls -la /etc");
        guest.Check(!etc.Contains(".#motd", StringComparison.Ordinal) && Regex.IsMatch(etc, @"-rw-r--r--\s.*\smotd\s*$", RegexOptions.Multiline),
            $"chmod -t kept the marker:\n{etc}");

        await guest.RunAsync("chmod 700 /opt/plain");
        string opt = await guest.RunAsync("ls -l /opt");
        guest.Check(Regex.IsMatch(opt, @"^drwx------\s.*\splain\s*$", RegexOptions.Multiline), $"chmod of a tardisk directory: {opt}");
        string readme = await guest.RunAsync("cat /opt/plain/readme");
        guest.Check(readme.Trim() == "plain tar used in place", $"the directory's contents after chmod: {readme}");

        string bad = await guest.RunAsync("chmod u+q /tmp/f");
        guest.Check(bad.Contains("chmod: invalid mode: 'u+q'", StringComparison.Ordinal), $"bad mode: {bad}");
        string tardisk = await guest.RunAsync("chmod 600 /tardisks/s.v00");
        guest.Check(tardisk.Contains("Operation not permitted", StringComparison.Ordinal), $"chmod in /tardisks: {tardisk}");
        string missing = await guest.RunAsync("chmod 600 /nope");
        guest.Check(missing.Contains("chmod: /nope: No such file or directory", StringComparison.Ordinal), $"missing file: {missing}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task TreesMoveAcrossRamdisksAndOutOfTardisks_CopyRecursive_Symlinks()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("mkdir -p /tmp/src/sub");
        await guest.RunAsync("echo deep > /tmp/src/sub/deep.txt");
        await guest.RunAsync("ln -s sub/deep.txt /tmp/src/link");
        string viaLink = await guest.RunAsync("cat /tmp/src/link");
        guest.Check(viaLink.Trim() == "deep", $"ln -s: {viaLink}");

        // cp -r keeps the tree and copies the symlink as a symlink.
        await guest.RunAsync("cp -r /tmp/src /tmp/copy");
        string copied = await guest.RunAsync("ls -l /tmp/copy");
        guest.Check(Regex.IsMatch(copied, @"^l\S+\s.*\slink -> sub/deep\.txt\s*$", RegexOptions.Multiline), $"cp -r symlink:\n{copied}");
        string deepCopy = await guest.RunAsync("cat /tmp/copy/sub/deep.txt");
        guest.Check(deepCopy.Trim() == "deep", $"cp -r file: {deepCopy}");

        // mv from the tmp ramdisk to the var ramdisk: copied, then the original removed.
        await guest.RunAsync("mv /tmp/src /var/moved");
        string moved = await guest.RunAsync("cat /var/moved/link");
        guest.Check(moved.Trim() == "deep", $"mv across ramdisks: {moved}");
        string gone = await guest.RunAsync("ls /tmp/src");
        guest.Check(gone.Contains("No such file or directory", StringComparison.Ordinal), $"mv left the source: {gone}");
        string layer = await guest.RunAsync("stat /var/moved/sub/deep.txt");
        guest.Check(layer.Contains("ramdisk var", StringComparison.Ordinal), $"moved file not in the var ramdisk: {layer}");

        // mv of a directory that lives in a tardisk: its files come up into a ramdisk, the tardisk's are hidden.
        await guest.RunAsync("mv /opt/plain /tmp/plain");
        string readme = await guest.RunAsync("cat /tmp/plain/readme");
        guest.Check(readme.Trim() == "plain tar used in place", $"mv out of a tardisk: {readme}");
        string opt = await guest.RunAsync("ls /opt");
        guest.Check(opt.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is ["extra"], $"ls /opt after mv: {opt}");

        string intoItself = await guest.RunAsync("cp -r /tmp/copy /tmp/copy/sub");
        guest.Check(intoItself.Contains("Invalid argument", StringComparison.Ordinal), $"cp -r into itself: {intoItself}");
        string mountPoint = await guest.RunAsync("mv /var /tmp/var");
        guest.Check(mountPoint.Contains("Device or resource busy", StringComparison.Ordinal), $"mv of a mount point: {mountPoint}");
        await guest.RunAsync("mv /tmp/copy/link /tmp/moved-link");
        string movedLink = await guest.RunAsync("ls -l /tmp");   // the link now dangles (its target is relative): list its directory
        guest.Check(Regex.IsMatch(movedLink, @"^l\S+\s.*moved-link -> sub/deep\.txt\s*$", RegexOptions.Multiline)
            && !Regex.IsMatch(movedLink, @"\slink -> ", RegexOptions.Multiline), $"mv of a symlink moves the link:\n{movedLink}");
        string dangling = await guest.RunAsync("ls -l /tmp/moved-link");
        guest.Check(Regex.IsMatch(dangling, @"^l\S+\s.*/tmp/moved-link -> sub/deep\.txt\s*$", RegexOptions.Multiline), $"ls -l of a dangling link: {dangling}");
        string hard = await guest.RunAsync("ln /tmp/copy/sub/deep.txt /tmp/hard");
        guest.Check(hard.Contains("hard links are not supported", StringComparison.Ordinal), $"plain ln: {hard}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task TreeCommands_LeaveNoLiveObjectsBehind()
    {
        // Copying, moving and removing a tree ten levels deep (12 nodes) must leave nothing reachable behind: after a
        // collection the live objects of the second round are those of the first, give or take the shell's history
        // lines and what a conservative stack scan happens to keep (a node or a path kept per round would show as
        // a dozen objects or more).
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        string deep = "/tmp/t/" + string.Concat(Enumerable.Repeat("level/", 10));
        await guest.RunAsync("mkdir -p " + deep);
        await guest.RunAsync("echo data > " + deep + "f");
        long before = LiveObjects(guest, await guest.RunAsync("gc"));
        string[] round = ["cp -r /tmp/t /var/t", "mv /var/t /tmp/u", "rm -r /tmp/u", "gc"];
        long afterFirst = 0;
        for (int i = 0; i < 2; i++)
        {
            string output = "";
            foreach (string command in round)
                output = await guest.RunAsync(command);
            if (i == 0)
                afterFirst = LiveObjects(guest, output);
            else
            {
                long perRound = LiveObjects(guest, output) - afterFirst;
                const int HistoryLines = 4, Slack = 6;
                guest.Check(perRound <= HistoryLines + Slack,
                    $"a copy/move/remove round of a 10-deep tree left {perRound} live objects (first round: {afterFirst - before})");
            }
        }
        string still = await guest.RunAsync("cat " + deep + "f");
        guest.Check(still.Trim() == "data", $"the original tree: {still}");
        await guest.PowerOffAsync();
    }

    // Live objects after the collection, from `gc`'s "after:" line. A missing figure fails the test: the leak check
    // built on it must never compare two stand-in values and pass whatever the kernel did.
    private static long LiveObjects(Guest guest, string gc)
    {
        Match m = Regex.Match(gc, @"after:\s+(\d+) objects");
        guest.Check(m.Success, $"`gc` printed no 'after: N objects' figure:\n{gc}");
        return long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    // The Used KB and Inodes columns of the tmp ramdisk in `ramdisk list` output.
    private static string TmpUsage(string list)
    {
        Match m = Regex.Match(list, @"^tmp\s+/tmp\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)", RegexOptions.Multiline);
        return m.Success ? m.Groups[1].Value + " KB, " + m.Groups[2].Value + " inodes" : "?";
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FullRamdisk_FailsWithEnospcAndTheEvent_ShellKeepsWorking()
    {
        using var modules = Standard();
        var blob = new byte[3 << 20];
        new Random(7).NextBytes(blob);
        modules.Add("big.v00", Gzip(VisorTar([File("opt/big/blob", blob)])));
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("ramdisk add -M 2 -m 0 -n small -t /small -p 0755");
        string list = await guest.RunAsync("ramdisk list");
        guest.Check(Regex.IsMatch(list, @"small\s+/small\s+0\s+2\s+0755"), $"ramdisk list:\n{list}");
        int logStart = guest.Session.Length;
        string cp = await guest.RunAsync("cp /opt/big/blob /small/blob");
        guest.Check(cp.Contains("cp: /small/blob: No space left on device", StringComparison.Ordinal), $"cp into a full ramdisk: {cp}");
        await guest.ExpectAsync(new Regex(Regex.Escape("[esx.problem.visorfs.ramdisk.full] The ramdisk 'small' is full. As a result, the file /small/blob could not be written.")),
            TimeSpan.FromSeconds(10), logStart, "the ramdisk-full event");
        string echo = await guest.RunAsync("echo still alive > /small/note");
        guest.Check(echo.Trim().Length == 0, $"a small write after the failure: {echo}");
        string note = await guest.RunAsync("cat /small/note");
        guest.Check(note.Trim() == "still alive", $"small file: {note}");
        string vdf = await guest.RunAsync("vdf");
        guest.Check(Regex.IsMatch(vdf, @"small\s+2048\s+4\s+2044\s+0%\s+--"), $"the failed copy left data behind:\n{vdf}");
        // Moving a whole tree that does not fit: the partial copy is undone and the source stays where it was.
        string mv = await guest.RunAsync("mv /opt/big /small/big");
        guest.Check(mv.Contains("No space left on device", StringComparison.Ordinal), $"mv of a tree into a full ramdisk: {mv}");
        string after = await guest.RunAsync("ls /small /opt/big");
        guest.Check(Regex.IsMatch(after, @"/small:\s*\nnote\s*\n/opt/big:\s*\nblob\s*$"), $"a failed mv lost or left something:\n{after}");
        vdf = await guest.RunAsync("vdf");
        guest.Check(Regex.IsMatch(vdf, @"small\s+2048\s+4\s+2044\s+0%\s+--"), $"the failed mv left data behind:\n{vdf}");
        string uname = await guest.RunAsync("uname -a");
        guest.Check(uname.Contains("VMkernel", StringComparison.Ordinal), "the shell stopped working");
        await guest.RunAsync("rm /small/note");
        string removed = await guest.RunAsync("ramdisk remove small");
        guest.Check(removed.Trim().Length == 0 || !removed.Contains("small:", StringComparison.Ordinal), $"ramdisk remove: {removed}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FullFileTable_FailsWithEnospcAndTheEvent_RemoveIsBusyWhileAFileIsOpen()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("ramdisk add -M 1 -m 0 -n tiny -t /tiny -p 0755 -i 3");
        await guest.RunAsync("touch /tiny/a");
        await guest.RunAsync("touch /tiny/b");
        int logStart = guest.Session.Length;
        string full = await guest.RunAsync("touch /tiny/c");
        guest.Check(full.Contains("touch: /tiny/c: No space left on device", StringComparison.Ordinal), $"file table full: {full}");
        await guest.ExpectAsync(new Regex(Regex.Escape("[esx.problem.visorfs.ramdisk.inodetable.full] The file table of the ramdisk 'tiny' is full. As a result, the file /tiny/c could not be created by the application 'shell'.")),
            TimeSpan.FromSeconds(10), logStart, "the file-table-full event");
        string opened = await guest.RunAsync("open /tiny/a");
        var fd = Regex.Match(opened, @"as fd (\d+)");
        guest.Check(fd.Success, $"open: {opened}");
        string busy = await guest.RunAsync("ramdisk remove tiny");
        guest.Check(busy.Contains("ramdisk: tiny: Device or resource busy", StringComparison.Ordinal), $"remove while open: {busy}");
        await guest.RunAsync($"close {fd.Groups[1].Value}");
        string removed = await guest.RunAsync("ramdisk remove tiny");
        guest.Check(!removed.Contains("ramdisk:", StringComparison.Ordinal), $"remove after close: {removed}");
        string gone = await guest.RunAsync("ls /tiny");
        guest.Check(gone.Contains("No such file or directory", StringComparison.Ordinal), $"mount point after remove: {gone}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task LiveMount_ByCopyAndMove_UnmountIsBusyWhileAFileIsOpen()
    {
        using var modules = Standard();
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("cp /tardisks/extra.v00 /tmp/x.v00");
        await guest.RunAsync("rm /tardisks/extra.v00");
        string before = await guest.RunAsync("cat /etc/motd");
        guest.Check(before.Trim() == "Welcome to VMkernel-CS", $"unmounting extra.v00 did not uncover s.v00's motd: {before}");
        await guest.RunAsync("mv /tmp/x.v00 /tardisks/x.v00");
        string after = await guest.RunAsync("cat /etc/motd");
        guest.Check(after.Trim() == "Overridden by extra.v00", $"live mount did not overlay: {after}");
        string opened = await guest.RunAsync("open /opt/extra/hello.txt");
        var fd = Regex.Match(opened, @"as fd (\d+)");
        guest.Check(fd.Success, $"open: {opened}");
        string busy = await guest.RunAsync("rm /tardisks/x.v00");
        guest.Check(busy.Trim() == "rm: /tardisks/x.v00: Device or resource busy", $"unmount while open: {busy}");
        await guest.RunAsync($"close {fd.Groups[1].Value}");
        string unmounted = await guest.RunAsync("rm /tardisks/x.v00");
        guest.Check(!unmounted.Contains("rm:", StringComparison.Ordinal), $"unmount after close: {unmounted}");
        string hello = await guest.RunAsync("cat /opt/extra/hello.txt");
        guest.Check(hello.Contains("No such file or directory", StringComparison.Ordinal), $"unmounted tardisk still visible: {hello}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CorruptExtraModule_IsSkippedWithALogLine_HostileEntriesRejected()
    {
        using var modules = Standard();
        byte[] bad = Gzip(VisorTar([File("opt/bad/file", new string('x', 100000))]));
        bad[^8] ^= 0xFF;   // the CRC-32 in the trailer
        modules.Add("bad.v00", bad);
        var hostile = UstarTar(("opt/ok/file", "fine\n"), ("opt/../../escape", "nope\n"), ("/abs.txt", "absolute\n"));
        modules.Add("hostile.tar", hostile);
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        guest.Check(guest.Session.Text.Contains("VisorFs: Skipping module bad.v00: CRC-32 mismatch", StringComparison.Ordinal), "no skip line for bad.v00");
        guest.Check(Regex.IsMatch(guest.Session.Text, @"Tardisk hostile\.tar: rejected entry 'opt/\.\./\.\./escape' at offset \d+: path contains '\.\.'"), "no rejection line for the hostile entry");
        guest.Check(Regex.IsMatch(guest.Session.Text, @"Tardisk hostile\.tar: rejected entry '/abs\.txt' at offset \d+: absolute path"), "no rejection line for the absolute entry");
        string absolute = await guest.RunAsync("cat /abs.txt");
        guest.Check(absolute.Contains("No such file or directory", StringComparison.Ordinal), $"the absolute member was mounted: {absolute}");
        string ok = await guest.RunAsync("cat /opt/ok/file");
        guest.Check(ok.Trim() == "fine", $"the rest of the hostile tar: {ok}");
        string tardisks = await guest.RunAsync("ls /tardisks");
        guest.Check(!tardisks.Contains("bad.v00", StringComparison.Ordinal), $"bad.v00 mounted: {tardisks}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DecompressionBomb_IsCappedByThePoolLimit()
    {
        using var modules = Standard();
        // 512 MB of zeros in 0.5 MB: the tardisk pool's limit is half of RAM (256 MB of 512 MB).
        modules.Add("bomb.v00", Gzip(new byte[512 << 20]));
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectPromptAsync();
        guest.Check(Regex.IsMatch(guest.Session.Text, @"Skipping module bomb\.v00: inflates to more than the tardisk pool's limit \(\d+\.\d MB free in host/visorfs/tardisks\)"), "no skip line for the bomb");
        string groups = await guest.RunAsync("memstats -r group-stats");
        guest.Check(Regex.IsMatch(groups, @"\s\d+\s+tardisks\s"), $"no tardisks group:\n{groups}");
        string motd = await guest.RunAsync("cat /etc/motd");
        guest.Check(motd.Trim() == "Overridden by extra.v00", $"modules before the bomb: {motd}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CorruptBaseImage_EndsInThePanicScreen()
    {
        using var modules = new BootModules();
        byte[] bad = Gzip(VisorTar(BaseImage()));
        bad[^4] ^= 0x01;   // ISIZE (low byte)
        modules.Add("s.v00", bad);
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectAsync(new Regex(@"@BlueScreen: VisorFs: cannot load the base image s\.v00: length \(ISIZE\) mismatch"), Guest.BootTimeout, what: "the panic line");
        await guest.ExpectExitAsync();
    }

    public static TheoryData<string, string> InvalidBaseImages => new()
    {
        { "empty", "cannot load the base image s\\.v00: it is empty" },
        { "plain-tar", "cannot load the base image s\\.v00: not a gzip file \\(\\d+ bytes\\)" },
        { "garbage", "cannot load the base image s\\.v00: not a gzip file" },
        { "empty-archive", "cannot load the base image s\\.v00: it holds no files" },
    };

    [Theory(Timeout = TestTimeoutMs)]
    [MemberData(nameof(InvalidBaseImages))]
    public async Task InvalidBaseImage_EndsInThePanicScreenSayingWhy(string kind, string reason)
    {
        // These used to boot silently into an empty system.
        using var modules = new BootModules();
        byte[] image = kind switch
        {
            "empty" => [],
            "plain-tar" => VisorTar(BaseImage()),
            "garbage" => System.Text.Encoding.ASCII.GetBytes("this is not an archive\n"),
            _ => Gzip(new byte[1024]),   // two zero blocks: a valid, empty tar
        };
        modules.Add("s.v00", image);
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(VisorFsTests));
        await guest.ExpectAsync(new Regex("@BlueScreen: VisorFs: " + reason), Guest.BootTimeout, what: "the panic line");
        await guest.ExpectExitAsync();
    }
}
