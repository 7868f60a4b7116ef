// DiskBusTests.cs -- the disk image on each disk controller the kernel drives: SeaBIOS boots it from an AHCI port
// (ide-hd), an NVMe namespace or virtio-blk; the kernel's driver claims it with a message-signalled vector, the
// disk's driver world exists in host/system/drivers and takes interrupts, and the boot banks work through it: a
// sticky change saved by backup.sh is back at the next boot of the same disk, a non-sticky one is not, and every
// bank stays clean for fsck.fat.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class DiskBusTests
{
    private const string Sticky = "/etc/vmware/bus.conf", Loose = "/etc/vmware/loose.conf";

    [Theory(Timeout = 400_000)]
    [InlineData("sata", "ahci", "MSI vector 0x")]
    [InlineData("nvme", "nvme", "MSI-X vector 0x")]
    [InlineData("virtio", "virtio-blk", "MSI-X vector 0x")]
    public async Task DiskImage_OnEachBus_CompletesByInterrupt_AndKeepsStickyStateOnly(string bus, string driver, string completion)
    {
        using var modules = new TestModules();
        string disk = DiskImageBoots.CopyImage(modules);
        QemuConfig config = DiskImageBoots.Config(BootKind.Bios, disk) with { DiskBus = bus };
        await using (var guest = await Guest.StartAsync(config, nameof(DiskBusTests), bus + "-FirstBoot"))
        {
            await guest.ExpectPromptAsync();
            string log = guest.Session.Text;
            guest.Check(log.Contains($"{driver}: ", StringComparison.Ordinal) && log.Contains("mpx.vmhba0:C0:T0:L0", StringComparison.Ordinal)
                && log.Contains("completion by " + completion, StringComparison.Ordinal), $"the {driver} driver did not claim the disk with an interrupt");
            guest.Check(log.Contains("Storage: booted from BOOTBANK1", StringComparison.Ordinal), "the kernel did not find bank 1 on the disk");
            string ps = await guest.RunAsync("ps");
            guest.Check(ps.Contains("host/system/drivers", StringComparison.Ordinal) && ps.Contains("driver-vmhba0", StringComparison.Ordinal), $"no driver world:\n{ps}");
            await guest.RunAsync($"echo bus={bus} > {Sticky}");
            await guest.RunAsync($"chmod +t {Sticky}");
            await guest.RunAsync($"echo loose > {Loose}");
            string saved = await guest.RunAsync("backup.sh");
            guest.Check(saved.Contains("Saving current state in /bootbank", StringComparison.Ordinal), $"backup.sh: {saved}");
            // The backup went through the driver world: the disk's vector counted interrupts.
            string interrupts = await guest.RunAsync("interrupts");
            var line = interrupts.Split('\n').FirstOrDefault(l => l.TrimEnd().EndsWith("vmhba0", StringComparison.Ordinal));
            guest.Check(line != null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^2], out long n) && n > 0,
                $"the disk's vector took no interrupts:\n{interrupts}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        await using (var guest = await Guest.StartAsync(config, nameof(DiskBusTests), bus + "-SecondBoot"))
        {
            await guest.ExpectPromptAsync();
            guest.Check(guest.Session.Text.Contains("restoring the configuration from /bootbank/state.tgz", StringComparison.Ordinal),
                "the disk's state.tgz was not restored");
            string sticky = await guest.RunAsync($"cat {Sticky}");
            guest.Check(sticky.Contains($"bus={bus}", StringComparison.Ordinal), $"the sticky file did not survive the reboot:\n{sticky}");
            string loose = await guest.RunAsync($"ls {Loose}");
            guest.Check(!loose.Contains("loose.conf", StringComparison.Ordinal) || loose.Contains("No such", StringComparison.Ordinal),
                $"a non-sticky file came back:\n{loose}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        DiskImageBoots.CheckBanksClean(disk, modules.Directory);
    }
}
