// StickyStateTests.cs -- persistent state end to end: change a sticky file, run backup.sh, take /bootbank/state.tgz
// out over the serial console (base64), check it holds local.tgz with the file, boot again with it as the last
// module and find the change and its marker restored; a non-sticky change is gone.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using static Vmk.E2E.Tests.VisorFs.BootModules;

namespace Vmk.E2E.Tests.VisorFs;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class StickyStateTests
{
    private const int TestTimeoutMs = 240_000;

    private static Dictionary<string, (int Mode, byte[] Data)> Untar(byte[] tgz)
    {
        var result = new Dictionary<string, (int, byte[])>();
        using var reader = new TarReader(new GZipStream(new MemoryStream(tgz), CompressionMode.Decompress));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            result[entry.Name] = ((int)entry.Mode, data.ToArray());
        }
        return result;
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Backup_ThenBootWithStateTgz_RestoresStickyFilesAndMarkers()
    {
        using var modules = new BootModules();
        modules.Add("s.v00", Gzip(VisorTar(BaseImage())));
        byte[] state;
        await using (var guest = await Guest.StartAsync(modules.Config(), nameof(StickyStateTests), "FirstBoot"))
        {
            await guest.ExpectPromptAsync();
            await guest.RunAsync("echo \"/adv/Misc/HostName = esx01\" >> /etc/vmware/esx.conf");
            await guest.RunAsync("echo \"changed, but not sticky\" > /etc/motd");
            string saved = await guest.RunAsync("backup.sh");
            guest.Check(saved.Contains("Saving current state in /bootbank: 1 files", StringComparison.Ordinal), $"backup.sh: {saved}");
            string listing = await guest.RunAsync("tar -tzf /bootbank/state.tgz");
            guest.Check(listing.Trim() == "local.tgz", $"state.tgz members: {listing}");
            string text = await guest.RunAsync("base64 /bootbank/state.tgz");
            state = Convert.FromBase64String(Regex.Replace(text, @"\s", ""));
            await guest.PowerOffAsync();
        }
        var outer = Untar(state);
        Assert.Equal(["local.tgz"], outer.Keys);
        var local = Untar(outer["local.tgz"].Data);
        Assert.Equal(["etc/vmware/esx.conf"], local.Keys);
        Assert.Equal(0x1A4 | Sticky, local["etc/vmware/esx.conf"].Mode);
        Assert.Contains("/adv/Misc/HostName = esx01", Encoding.UTF8.GetString(local["etc/vmware/esx.conf"].Data), StringComparison.Ordinal);

        modules.Add("state.tgz", state);
        await using (var guest = await Guest.StartAsync(modules.Config(), nameof(StickyStateTests), "SecondBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("VisorFs: state.tgz: restored 1 files", StringComparison.Ordinal), "no restore line");
            string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
            guest.Check(conf.Contains("/system/uuid = \"5f3c\"", StringComparison.Ordinal) && conf.Contains("/adv/Misc/HostName = esx01", StringComparison.Ordinal),
                $"esx.conf after the restore:\n{conf}");
            string markers = await guest.RunAsync("ls -la /etc/vmware");
            guest.Check(Regex.IsMatch(markers, @"-rw-r--r-T\s+1 root\s+root\s+0 .* \.#esx\.conf"), $"marker not recreated:\n{markers}");
            string motd = await guest.RunAsync("cat /etc/motd");
            guest.Check(motd.Trim() == "Welcome to VMkernel-CS", $"a non-sticky change survived the reboot: {motd}");
            string tardisks = await guest.RunAsync("ls /tardisks");
            guest.Check(!tardisks.Contains("state.tgz", StringComparison.Ordinal), $"state.tgz mounted as a tardisk: {tardisks}");
            await guest.PowerOffAsync();
        }
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task HostileStateTgz_RestoresOnlyEtcFiles_WithoutSetIdBits_OrControlCharacters()
    {
        using var modules = new BootModules();
        modules.Add("s.v00", Gzip(VisorTar(BaseImage())));
        // What backup.sh never writes: a sticky /bootbank/state.tgz, a file outside /etc, a set-user-ID program, a
        // name with a newline (it would forge listings and log lines).
        modules.Add("state.tgz", Vmk.ImageBuilder.StateArchive.Create([
            new("/bootbank/state.tgz", 0x1A4, Encoding.UTF8.GetBytes("planted")),
            new("/var/planted", 0x1A4, Encoding.UTF8.GetBytes("planted")),
            new("/etc/evil\nname", 0x1A4, Encoding.UTF8.GetBytes("planted")),
            new("/etc/suid-tool", 0xDED, Encoding.UTF8.GetBytes("#!/bin/sh\n")),   // 06755
            new("/etc/vmware/esx.conf", 0x1A4, Encoding.UTF8.GetBytes("/adv/Misc/HostName = restored\n")),
        ]));
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(StickyStateTests));
        await guest.ExpectPromptAsync();
        string log = guest.Session.Text;
        guest.Check(log.Contains("state.tgz: not restoring 'bootbank/state.tgz': outside /etc", StringComparison.Ordinal), "no refusal for bootbank/state.tgz");
        guest.Check(log.Contains("state.tgz: not restoring 'var/planted': outside /etc", StringComparison.Ordinal), "no refusal for var/planted");
        guest.Check(log.Contains("state.tgz: not restoring 'etc/evil?name': control character in the name", StringComparison.Ordinal), "no refusal for the newline name");
        guest.Check(log.Contains("VisorFs: state.tgz: restored 2 files", StringComparison.Ordinal), "not exactly the two /etc files restored");
        string bank = await guest.RunAsync("ls -la /bootbank");
        guest.Check(!bank.Contains("state.tgz", StringComparison.Ordinal) || !bank.Contains("T ", StringComparison.Ordinal), $"a planted sticky state.tgz:\n{bank}");
        string planted = await guest.RunAsync("cat /var/planted");
        guest.Check(planted.Contains("No such file or directory", StringComparison.Ordinal), $"/var/planted restored: {planted}");
        string tool = await guest.RunAsync("stat /etc/suid-tool");
        guest.Check(tool.Contains("Access: (01755/", StringComparison.Ordinal), $"set-id bits kept (want 01755, sticky without set-id):\n{tool}");
        string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
        guest.Check(conf.Contains("HostName = restored", StringComparison.Ordinal), $"the legitimate file was not restored: {conf}");
        await guest.PowerOffAsync();
    }
}
