// LiveInstallTests.cs -- ESXi's live install on the disk image: `install-bundle` takes a bundle from a volume
// (/scratch), mounts it at once, and writes it into /altbootbank with updated= raised and bootstate DIRTY. The next
// boot (no harness help) is GRUB's choice of that bank; the kernel confirms it (bootstate 0) and the bundle is
// mounted from it. The rollback entry boots the previous bank, without the bundle, where a copy of the bundle from
// /scratch into /tardisks mounts it live. The banks stay fsck-clean.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.ImageBuilder.Disk;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class LiveInstallTests
{
    private const string Payload = "opt/extra/hello.txt", Text = "installed live";

    [Fact(Timeout = 500_000)]
    public async Task InstalledBundle_IsMountedNow_BootsFromTheOtherBank_AndRollsBack()
    {
        using var modules = new TestModules();
        string disk = DiskImageBoots.CopyImage(modules);
        string bundle = modules.VisorTgz("extra.v00", (Payload, Text));
        FatVolumeTests.Host("mcopy", $"-i {disk}@@{DiskImage.Scratch.FirstLba * 512} {bundle} ::/extra.v00");

        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk), nameof(LiveInstallTests), "Install"))
        {
            await guest.ExpectPromptAsync();
            string installed = await guest.RunAsync("install-bundle /scratch/extra.v00");
            guest.Check(installed.Contains("Installed /scratch/extra.v00", StringComparison.Ordinal), $"install-bundle: {installed}");
            string now = await guest.RunAsync("cat /" + Payload);
            guest.Check(now.Contains(Text, StringComparison.Ordinal), $"the bundle is not mounted now:\n{now}");
            string alt = await guest.RunAsync("cat /altbootbank/boot.cfg");
            guest.Check(alt.Contains("bootstate=2", StringComparison.Ordinal) && alt.Contains("updated=2", StringComparison.Ordinal)
                && alt.Contains("extra.v00", StringComparison.Ordinal), $"the alternate bank's boot.cfg:\n{alt}");
            string again = await guest.RunAsync("install-bundle /scratch/extra.v00");
            guest.Check(again.Contains("mounted already", StringComparison.Ordinal), $"a second install of the same bundle: {again}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk), nameof(LiveInstallTests), "NextBoot"))
        {
            await guest.ExpectPromptAsync();
            string log = guest.Session.Text;
            guest.Check(log.Contains("Storage: booted from BOOTBANK2", StringComparison.Ordinal), "GRUB did not boot the updated bank 2");
            guest.Check(log.Contains("/bootbank: bootstate 2 -> 0", StringComparison.Ordinal), "the kernel did not confirm the update");
            string file = await guest.RunAsync("cat /" + Payload);
            guest.Check(file.Contains(Text, StringComparison.Ordinal), $"the installed bundle is not mounted after the reboot:\n{file}");
            string cfg = await guest.RunAsync("cat /bootbank/boot.cfg");
            guest.Check(cfg.Contains("bootstate=0", StringComparison.Ordinal), $"bank 2's boot.cfg after the confirmation:\n{cfg}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        await using (var guest = await Guest.StartAsync(DiskImageBoots.Config(BootKind.Bios, disk, rollback: true), nameof(LiveInstallTests), "Rollback"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("Storage: booted from BOOTBANK1", StringComparison.Ordinal), "the rollback did not boot bank 1");
            string file = await guest.RunAsync("ls /opt");
            guest.Check(!file.Contains("extra", StringComparison.Ordinal), $"the bundle is there after the rollback:\n{file}");
            // A live mount straight from a file on a FAT volume (copied into /tardisks): read off the disk first.
            string copied = await guest.RunAsync("cp /scratch/extra.v00 /tardisks/");
            guest.Check(!copied.Contains("cp:", StringComparison.Ordinal), $"cp from /scratch into /tardisks: {copied}");
            string mounted = await guest.RunAsync("cat /" + Payload);
            guest.Check(mounted.Contains(Text, StringComparison.Ordinal), $"the bundle copied from /scratch is not mounted:\n{mounted}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        DiskImageBoots.CheckBanksClean(disk, modules.Directory);
    }
}
