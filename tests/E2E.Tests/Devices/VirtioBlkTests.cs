// VirtioBlkTests.cs -- virtio-blk disks in QEMU: a transitional (1af4:1001) and a modern-only (1af4:1042) device are
// claimed, named as ESXi names local disks (vmhbaN, mpx.vmhbaN:C0:T0:L0), sized from their configuration, and read:
// their partition tables are read (an MBR with a bootable partition; a GPT whose primary header is damaged, so the
// backup is used), each partition logged.
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
        byte[] mbr = TestDisks.Mbr(2048, (0x83, 64, 1024, true));
        byte[] gpt = TestDisks.Gpt(6144,
            new TestDisks.GptPartition(2048, 4095, TestDisks.EfiSystem, "esp"),
            new TestDisks.GptPartition(4096, 6000, TestDisks.BasicData, "bootbank"));
        gpt[512 + 40] ^= 1;   // damage the primary GPT header: the backup must be used
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
            "Storage: mpx.vmhba0:C0:T0:L0: msdos, 1 partitions",
            "Storage: mpx.vmhba0:C0:T0:L0:1 64 1087 type 0x83 boot",
            "Storage: mpx.vmhba1:C0:T0:L0: gpt, 2 partitions, backup header used (the primary is damaged)",
            "Storage: mpx.vmhba1:C0:T0:L0:1 2048 4095 C12A7328F81F11D2BA4B00A0C93EC93B 'esp'",
            "Storage: mpx.vmhba1:C0:T0:L0:2 4096 6000 EBD0A0A2B9E5443387C068B6B72699C7 'bootbank'",
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
        guest.Check(guest.Session.Text.Contains("Storage: mpx.vmhba0:C0:T0:L0: cannot read sector 0 (I/O error)", StringComparison.Ordinal),
            "the failed read was not reported");
        string echoed = await guest.RunAsync("echo alive");
        guest.Check(echoed.Contains("alive", StringComparison.Ordinal), $"the shell after a failing disk: {echoed}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
