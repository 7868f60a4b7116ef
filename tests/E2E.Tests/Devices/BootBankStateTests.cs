// BootBankStateTests.cs -- sticky configuration that survives a reboot on its own: with a FAT volume labelled
// BOOTBANK1 on a disk, /bootbank links to it, backup.sh writes state.tgz there, and the next boot of the same disk
// restores it with no state.tgz module; BOOTBANK2 is /altbootbank. A copy left as state.tgz.new (a power cut before it was put in place) is taken
// when state.tgz is missing; a damaged state.tgz is logged and skipped and the boot completes.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class BootBankStateTests
{
    private const int DiskSectors = 131072, FirstLba = 2048, LastLba = 94207, AltFirstLba = 94208, AltLastLba = 126975;
    private const string Setting = "/adv/Misc/HostName = esx-on-disk";

    [Fact(Timeout = 300_000)]
    public async Task Backup_WritesStateTgzToTheDisk_AndTheNextBootRestoresIt()
    {
        using var modules = new TestModules();
        string disk = modules.Write("disk.img", TestDisks.Gpt(DiskSectors,
            new TestDisks.GptPartition(FirstLba, LastLba, TestDisks.BasicData, "bootbank1"),
            new TestDisks.GptPartition(AltFirstLba, AltLastLba, TestDisks.BasicData, "bootbank2")));
        FatVolumeTests.Host("mkfs.fat", $"-F 32 -s 1 -n BOOTBANK1 -i 0B00B00B --offset {FirstLba} {disk} {(LastLba - FirstLba + 1) / 2}");
        FatVolumeTests.Host("mkfs.fat", $"-F 16 -n BOOTBANK2 -i 0B00B00C --offset {AltFirstLba} {disk} {(AltLastLba - AltFirstLba + 1) / 2}");
        string volume = $"{disk}@@{FirstLba * 512}";
        var config = Guest.Config(BootKind.Direct) with { Disks = [disk] };

        await using (var guest = await Guest.StartAsync(config, nameof(BootBankStateTests), "FirstBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("Storage: /bootbank -> /vmfs/volumes/BOOTBANK1", StringComparison.Ordinal), "/bootbank was not linked");
            string links = await guest.RunAsync("ls -l /");
            guest.Check(links.Contains("bootbank -> /vmfs/volumes/BOOTBANK1", StringComparison.Ordinal)
                && links.Contains("altbootbank -> /vmfs/volumes/BOOTBANK2", StringComparison.Ordinal), $"the bank links in /:\n{links}");
            guest.Check(guest.Session.Text.Contains("no state.tgz on /vmfs/volumes/BOOTBANK1", StringComparison.Ordinal), "an empty bank was not reported");
            await guest.RunAsync($"echo \"{Setting}\" >> /etc/vmware/esx.conf");
            string saved = await guest.RunAsync("backup.sh");
            guest.Check(saved.Contains("Saving current state in /bootbank: 1 files", StringComparison.Ordinal), $"backup.sh: {saved}");
            string listing = await guest.RunAsync("ls /vmfs/volumes/BOOTBANK1");
            guest.Check(listing.Contains("state.tgz", StringComparison.Ordinal) && !listing.Contains("state.tgz.new", StringComparison.Ordinal),
                $"the bank after backup.sh:\n{listing}");
            await guest.PowerOffAsync();
        }
        string saveDir = Path.Combine(modules.Directory, "saved");
        Directory.CreateDirectory(saveDir);
        var (fsckCode, fsck) = FatVolumeTests.Exec("fsck.fat", "-n " + FatVolumeTests.CopyPartition(disk, FirstLba, LastLba, Path.Combine(saveDir, "partition.img")));
        string savedState = Path.Combine(saveDir, "state.tgz");
        FatVolumeTests.Host("mcopy", $"-n -i {volume} ::/state.tgz {savedState}");
        Assert.True(new FileInfo(savedState).Length > 0, "state.tgz on the disk is empty");

        await using (var guest = await Guest.StartAsync(config, nameof(BootBankStateTests), "SecondBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("restoring the configuration from /bootbank/state.tgz", StringComparison.Ordinal)
                && guest.Session.Text.Contains("VisorFs: state.tgz: restored 1 files", StringComparison.Ordinal), "the disk's state.tgz was not restored");
            string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
            guest.Check(conf.Contains(Setting, StringComparison.Ordinal), $"the setting did not survive the reboot:\n{conf}");
            await guest.PowerOffAsync();
        }

        // A power cut between writing the new copy and putting it in place: only state.tgz.new is there.
        FatVolumeTests.Host("mdel", $"-i {volume} ::/state.tgz");
        FatVolumeTests.Host("mcopy", $"-i {volume} {savedState} ::/state.tgz.new");
        await using (var guest = await Guest.StartAsync(config, nameof(BootBankStateTests), "PendingCopyBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("restoring the configuration from /bootbank/state.tgz.new", StringComparison.Ordinal), "state.tgz.new was not taken");
            string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
            guest.Check(conf.Contains(Setting, StringComparison.Ordinal), $"the setting was not restored from state.tgz.new:\n{conf}");
            await guest.RunAsync("backup.sh");
            string listing = await guest.RunAsync("ls /vmfs/volumes/BOOTBANK1");
            guest.Check(listing.Contains("state.tgz", StringComparison.Ordinal) && !listing.Contains("state.tgz.new", StringComparison.Ordinal),
                $"backup.sh did not put its copy in place:\n{listing}");
            await guest.PowerOffAsync();
        }

        // A damaged state.tgz: logged and skipped, the boot completes with the image's configuration.
        string garbage = Path.Combine(saveDir, "garbage");
        File.WriteAllBytes(garbage, Enumerable.Range(0, 3000).Select(i => (byte)(i * 37)).ToArray());
        FatVolumeTests.Host("mcopy", $"-o -i {volume} {garbage} ::/state.tgz");
        await using (var guest = await Guest.StartAsync(config, nameof(BootBankStateTests), "DamagedBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("configuration not restored", StringComparison.Ordinal), "the damaged state.tgz was not reported");
            string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
            guest.Check(!conf.Contains(Setting, StringComparison.Ordinal), $"a damaged state.tgz changed the configuration:\n{conf}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        Assert.True(fsckCode == 0, "fsck.fat -n after backup.sh found problems:\n" + fsck);
    }
}
