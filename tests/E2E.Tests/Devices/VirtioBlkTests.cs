// VirtioBlkTests.cs -- virtio-blk disks in QEMU: a transitional (1af4:1001) and a modern-only (1af4:1042) device are
// claimed, named as ESXi names local disks (vmhbaN, mpx.vmhbaN:C0:T0:L0), sized from their configuration, and read:
// the first sectors' partition table is recognised (an MBR signature on one image, a GPT header on the other).
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class VirtioBlkTests
{
    [Fact(Timeout = 180_000)]
    public async Task TwoVirtioDisks_AreClaimedSizedAndRead()
    {
        using var modules = new TestModules();
        var mbr = new byte[1 << 20];
        mbr[510] = 0x55;
        mbr[511] = 0xAA;
        var gpt = new byte[3 << 20];
        gpt[510] = 0x55;
        gpt[511] = 0xAA;
        "EFI PART"u8.CopyTo(gpt.AsSpan(512));
        string mbrImage = modules.Write("mbr.img", mbr);
        string gptImage = modules.Write("gpt.img", gpt);
        var config = Guest.Config(BootKind.Direct) with
        {
            ExtraArguments =
            [
                "-drive", $"file={mbrImage},if=none,id=d0,format=raw",
                "-device", "virtio-blk-pci,drive=d0,addr=0x6",
                "-drive", $"file={gptImage},if=none,id=d1,format=raw",
                "-device", "virtio-blk-pci,drive=d1,addr=0x7,disable-legacy=on",
            ],
        };
        await using var guest = await Guest.StartAsync(config, nameof(VirtioBlkTests));
        await guest.ExpectPromptAsync();
        string log = guest.Session.Text;
        foreach (string line in new[]
        {
            "virtio-blk: 0000:00:06.0 is vmhba0: mpx.vmhba0:C0:T0:L0, 2048 sectors of 512 bytes (1 MiB)",
            "virtio-blk: 0000:00:07.0 is vmhba1: mpx.vmhba1:C0:T0:L0, 6144 sectors of 512 bytes (3 MiB)",
            "Storage: mpx.vmhba0:C0:T0:L0: partition table: msdos",
            "Storage: mpx.vmhba1:C0:T0:L0: partition table: gpt",
        })
            guest.Check(log.Contains(line, StringComparison.Ordinal), $"no '{line}' in the boot log");
        string lspci = await guest.RunAsync("lspci");
        guest.Check(lspci.Contains("0000:00:06.0 SCSI storage controller [0100]: 1af4:1001 (MSI-X) [virtio_blk]", StringComparison.Ordinal)
            && lspci.Contains("0000:00:07.0 SCSI storage controller [0100]: 1af4:1042 (MSI-X) [virtio_blk]", StringComparison.Ordinal),
            $"lspci does not show the driver claiming both:\n{lspci}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task ADiskThatFailsItsReads_IsReportedAndTheBootCompletes()
    {
        using var modules = new TestModules();
        string image = modules.Write("disk.img", new byte[1 << 20]);
        // QEMU's blkdebug driver fails every read with EIO: the device answers with VIRTIO_BLK_S_IOERR.
        string rules = modules.Write("eio.cfg", "[inject-error]\nevent = \"read_aio\"\nerrno = \"5\"\n"u8.ToArray());
        var config = Guest.Config(BootKind.Direct) with
        {
            ExtraArguments = ["-drive", $"file=blkdebug:{rules}:{image},if=none,id=d0,format=raw", "-device", "virtio-blk-pci,drive=d0,addr=0x6"],
        };
        await using var guest = await Guest.StartAsync(config, nameof(VirtioBlkTests));
        await guest.ExpectPromptAsync();
        guest.Check(guest.Session.Text.Contains("Storage: mpx.vmhba0:C0:T0:L0: cannot read sectors 0-1 (I/O error)", StringComparison.Ordinal),
            "the failed read was not reported");
        string echoed = await guest.RunAsync("echo alive");
        guest.Check(echoed.Contains("alive", StringComparison.Ordinal), $"the shell after a failing disk: {echoed}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
