// PathScaleTests.cs -- paths and directories at the sizes an operator or an archive can reach (issue 10): a 1,250-level
// `mkdir -p` (path resolution used to re-walk from the root per component: cubic in the depth), a 100,000-entry tardisk
// directory listed (the merge and the sort used to be quadratic), PATH_MAX enforced for relative names too, and Ctrl-C
// stopping the tree commands (`cp -r`, `rm -r`, `mkdir -p`, `tar -t`) part way.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.VisorFs;

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
        string module = modules.Write("big.tgz", BigArchive());
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

        // Ctrl-C part way: cp -r removes what it copied, rm -r keeps what it did not reach, tar stops listing.
        await InterruptAsync(guest, "cp -r /big /tmp/copy");
        string afterCopy = await guest.RunAsync("ls /tmp");
        guest.Check(!afterCopy.Contains("copy", StringComparison.Ordinal), $"an interrupted cp -r left its partial copy: {afterCopy}");
        await InterruptAsync(guest, "tar -tf /tardisks/big.tgz");
        await InterruptAsync(guest, "rm -r /big");
        await guest.RunAsync("ls /big > /tmp/left.txt", TimeSpan.FromSeconds(120));
        string left = await guest.RunAsync("ls -l /tmp/left.txt");
        guest.Check(left.Contains("/tmp/left.txt", StringComparison.Ordinal) && !left.Contains(" 800000 ", StringComparison.Ordinal)
            && !left.Contains(" 0 ", StringComparison.Ordinal), $"an interrupted rm -r removed some, not all: {left}");
        string echoed = await guest.RunAsync("echo still-here");
        guest.Check(echoed.Contains("still-here", StringComparison.Ordinal), $"the shell after the interrupts: {echoed}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // Starts `command`, types Ctrl-C once it is under way, and expects ^C and the prompt back (long before the
    // command could have finished on its own).
    private static async Task InterruptAsync(Guest guest, string command)
    {
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync(command);
        await Task.Delay(1500);
        await guest.Session.SendAsync("\u0003");
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(60), start + command.Length);
        guest.Check(guest.Session.Text[start..].Contains("^C", StringComparison.Ordinal), $"'{command}' was not interrupted (no ^C)");
    }

    // big/ with 100,000 empty files and mixed/ with 300, each written in a scrambled order; gzip'd ustar.
    private static byte[] BigArchive()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "big/") { Mode = (UnixFileMode)0x1ED });
            for (int i = 0; i < BigEntries; i++)
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"big/f{(long)i * 7919 % BigEntries:D6}") { Mode = (UnixFileMode)0x1A4 });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "mixed/") { Mode = (UnixFileMode)0x1ED });
            for (int i = 0; i < MixedEntries; i++)
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, $"mixed/m{i * 37 % MixedEntries:D4}") { Mode = (UnixFileMode)0x1A4 });
        }
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(tar.ToArray());
        return gz.ToArray();
    }
}
