// DiskImageBootTests.cs -- the installed layout end to end: artifacts/disk/vmk.img booted as the only disk (no ISO,
// no -kernel) by SeaBIOS and by OVMF. GRUB picks BOOTBANK1 (the higher updated=) and tells the kernel, which links it
// as /bootbank; a sticky change saved by backup.sh is back after the next boot of the same disk with no harness
// help; the rollback entry boots BOOTBANK2, which becomes /bootbank and has no saved state. The banks stay clean
// for fsck.fat.
using VisorFs;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.ImageBuilder.Disk;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

internal static class DiskImageBoots
{
    public const string Setting = "/adv/Misc/HostName = esx-installed";

    public static string Bank1Uuid => DiskImage.Bank1.Serial.ToString("x8") + "-" + DiskImage.Bank1.FirstLba.ToString("x8");
    public static string ScratchUuid => DiskImage.Scratch.Serial.ToString("x8") + "-" + DiskImage.Scratch.FirstLba.ToString("x8");
    public static string Bank2Uuid => DiskImage.Bank2.Serial.ToString("x8") + "-" + DiskImage.Bank2.FirstLba.ToString("x8");

    /// <summary>A private copy of the built image: the guest writes it in place.</summary>
    public static string CopyImage(TestModules modules)
    {
        if (!File.Exists(RepoPaths.DiskImage))
        {
            throw new Xunit.Sdk.XunitException($"{RepoPaths.DiskImage} does not exist: the image build did not run (dotnet build Kernel.sln)");
        }
        string disk = Path.Combine(modules.Directory, "vmk.img");
        File.Copy(RepoPaths.DiskImage, disk);
        return disk;
    }

    public static QemuConfig Config(BootKind firmware, string disk, bool rollback = false) =>
        Guest.Config(firmware) with { BootDisk = disk, Rollback = rollback, Memory = Memory128M };

    private static MemorySize Memory128M => MemorySize.TryParse("128M", out var size, out _) ? size : MemorySize.Default;

    /// <summary>First boot of a fresh disk: bank 1 booted and linked, a change saved onto it.</summary>
    public static async Task FirstBootSavesAsync(Guest guest)
    {
        await guest.ExpectPromptAsync();
        string log = guest.Session.Text;
        guest.Check(log.Contains("bootbank=5EED-0B01", StringComparison.OrdinalIgnoreCase), "GRUB did not pass bank 1's serial");
        guest.Check(log.Contains("Storage: booted from BOOTBANK1", StringComparison.Ordinal), "the kernel did not take bank 1 as its bank");
        guest.Check(log.Contains("no state.tgz on /vmfs/volumes/" + Bank1Uuid, StringComparison.Ordinal), "a fresh bank was not reported empty");
        string links = await guest.RunAsync("ls -l /");
        guest.Check(links.Contains("bootbank -> /vmfs/volumes/" + Bank1Uuid, StringComparison.Ordinal)
            && links.Contains("altbootbank -> /vmfs/volumes/" + Bank2Uuid, StringComparison.Ordinal), $"the bank links:\n{links}");
        guest.Check(links.Contains("scratch -> /vmfs/volumes/" + ScratchUuid, StringComparison.Ordinal), $"the scratch link:\n{links}");
        await guest.RunAsync("echo kept > /scratch/note");
        string scratch = await guest.RunAsync("cat /scratch/note");
        guest.Check(scratch.Contains("kept", StringComparison.Ordinal), $"/scratch is not writable:\n{scratch}");
        string bank = await guest.RunAsync("ls /bootbank");
        guest.Check(bank.Contains("kernel.elf", StringComparison.Ordinal) && bank.Contains("boot.cfg", StringComparison.Ordinal)
            && bank.Contains("s.v00", StringComparison.Ordinal), $"/bootbank does not hold the image:\n{bank}");
        await guest.RunAsync($"echo \"{Setting}\" >> /etc/vmware/esx.conf");
        string saved = await guest.RunAsync("backup.sh");
        guest.Check(saved.Contains("Saving current state in /bootbank: 1 files", StringComparison.Ordinal), $"backup.sh: {saved}");
        await guest.PowerOffAsync();
    }

    /// <summary>The next boot of the same disk: bank 1 again, the change restored from it.</summary>
    public static async Task SecondBootRestoresAsync(Guest guest)
    {
        await guest.ExpectPromptAsync();
        guest.Check(guest.Session.Text.Contains("Storage: booted from BOOTBANK1", StringComparison.Ordinal), "the second boot did not take bank 1");
        guest.Check(guest.Session.Text.Contains("restoring the configuration from /bootbank/state.tgz", StringComparison.Ordinal),
            "the disk's state.tgz was not restored");
        string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
        guest.Check(conf.Contains(Setting, StringComparison.Ordinal), $"the change did not survive the reboot:\n{conf}");
        string scratch = await guest.RunAsync("cat /scratch/note");
        guest.Check(scratch.Contains("kept", StringComparison.Ordinal), $"/scratch did not keep its file across the reboot:\n{scratch}");
        await guest.PowerOffAsync();
    }

    /// <summary>Rewrites a bank's boot.cfg with other bootstate=/updated= values, and its boot.grub from it, as an
    /// update (or a failed one) would leave the bank.</summary>
    public static void SetBankState(string disk, DiskImage.Part bank, string dir, BootState state, int updated)
    {
        string volume = $"{disk}@@{bank.FirstLba * 512}";
        string cfg = Path.Combine(dir, bank.Label + ".boot.cfg");
        FatVolumeTests.Host("mcopy", $"-n -i {volume} ::/boot.cfg {cfg}");
        Assert.True(BootConfig.TryParse(File.ReadAllText(cfg), out var config, out string error), error);
        var writer = BootConfigWriter.From(config);
        writer.BootState = state;
        writer.Updated = updated;
        Assert.True(writer.TryWrite(out string text, out error), error);
        Assert.True(BootConfig.TryParse(text, out var changed, out error), error);
        File.WriteAllText(cfg, text);
        string grub = Path.Combine(dir, bank.Label + ".boot.grub");
        File.WriteAllText(grub, BankGrubScript.Generate(changed));
        FatVolumeTests.Host("mcopy", $"-o -i {volume} {cfg} ::/boot.cfg");
        FatVolumeTests.Host("mcopy", $"-o -i {volume} {grub} ::/boot.grub");
    }

    public static void CheckBanksClean(string disk, string dir)
    {
        foreach (var part in new[] { DiskImage.Esp, DiskImage.Bank1, DiskImage.Bank2, DiskImage.Scratch })
        {
            string copy = FatVolumeTests.CopyPartition(disk, (long)part.FirstLba, (long)part.LastLba, Path.Combine(dir, part.Label + ".img"));
            var (code, output) = FatVolumeTests.Exec("fsck.fat", "-n " + copy);
            Assert.True(code == 0, $"fsck.fat -n {part.Label}:\n{output}");
        }
    }
}

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class BiosDiskImageBootTests
{
    [Fact(Timeout = 400_000)]
    public async Task DiskImage_BootsBank1_KeepsState_AndRollsBackToBank2()
    {
        using var modules = new TestModules();
        string disk = DiskImageBoots.CopyImage(modules);
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk), nameof(BiosDiskImageBootTests), "FirstBoot"))
        {
            await DiskImageBoots.FirstBootSavesAsync(guest);
        }
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk), nameof(BiosDiskImageBootTests), "SecondBoot"))
        {
            await DiskImageBoots.SecondBootRestoresAsync(guest);
        }

        // Shift+R: GRUB's second entry boots the other bank, which becomes /bootbank; its state is its own (none).
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk, rollback: true), nameof(BiosDiskImageBootTests), "RollbackBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("Storage: booted from BOOTBANK2", StringComparison.Ordinal), "the rollback did not boot bank 2");
            string links = await guest.RunAsync("ls -l /");
            guest.Check(links.Contains("bootbank -> /vmfs/volumes/" + DiskImageBoots.Bank2Uuid, StringComparison.Ordinal)
                && links.Contains("altbootbank -> /vmfs/volumes/" + DiskImageBoots.Bank1Uuid, StringComparison.Ordinal), $"the bank links after a rollback:\n{links}");
            string conf = await guest.RunAsync("cat /etc/vmware/esx.conf");
            guest.Check(!conf.Contains(DiskImageBoots.Setting, StringComparison.Ordinal), $"bank 2 restored bank 1's state:\n{conf}");
            string vdf = await guest.RunAsync("vdf");
            guest.Check(vdf.Contains("BOOTBANK1", StringComparison.Ordinal) && vdf.Contains("BOOTBANK2", StringComparison.Ordinal)
                && vdf.Contains("SCRATCH", StringComparison.Ordinal), $"vdf does not list the disk's volumes:\n{vdf}");
            await guest.PowerOffAsync();
        }
        DiskImageBoots.CheckBanksClean(disk, modules.Directory);
    }
}

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class DiskImageBankChoiceTests
{
    // GRUB's choice (iso/grub/disk-grub.cfg): the higher updated= among banks whose bootstate is 0 or 2.
    [Fact(Timeout = 300_000)]
    public async Task Grub_BootsTheNewerGoodBank_AndSkipsAnInvalidOne()
    {
        using var modules = new TestModules();
        string disk = DiskImageBoots.CopyImage(modules);

        // An update wrote bank 2 (updated raised, state dirty until confirmed): it is the newer good bank.
        DiskImageBoots.SetBankState(disk, DiskImage.Bank2, modules.Directory, BootState.Dirty, 5);
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk), nameof(DiskImageBankChoiceTests), "NewerBank2"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("Storage: booted from BOOTBANK2", StringComparison.Ordinal), "GRUB did not boot the newer bank 2");
            string links = await guest.RunAsync("ls -l /");
            guest.Check(links.Contains("bootbank -> /vmfs/volumes/" + DiskImageBoots.Bank2Uuid, StringComparison.Ordinal), $"the bank links:\n{links}");
            await guest.PowerOffAsync();
        }

        // The update failed: bank 2 is invalid however new, and bank 1 boots.
        DiskImageBoots.SetBankState(disk, DiskImage.Bank2, modules.Directory, BootState.Invalid, 5);
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk), nameof(DiskImageBankChoiceTests), "InvalidBank2"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("Storage: booted from BOOTBANK1", StringComparison.Ordinal), "GRUB booted the invalid bank 2");
            await guest.PowerOffAsync();
        }
    }
}

[Collection(Collections.Uefi)]
[Trait("Category", "QEMU")]
public sealed class UefiDiskImageBootTests
{
    [Fact(Timeout = 400_000)]
    public async Task DiskImage_BootsUnderOvmf_AndKeepsState()
    {
        using var modules = new TestModules();
        string disk = DiskImageBoots.CopyImage(modules);
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Uefi, disk), nameof(UefiDiskImageBootTests), "FirstBoot"))
        {
            await DiskImageBoots.FirstBootSavesAsync(guest);
        }
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Uefi, disk), nameof(UefiDiskImageBootTests), "SecondBoot"))
        {
            await DiskImageBoots.SecondBootRestoresAsync(guest);
        }
        DiskImageBoots.CheckBanksClean(disk, modules.Directory);
    }
}
