// FatVolumeTests.cs -- a FAT32 volume end to end: the host makes a GPT disk whose partition holds a volume made by
// mkfs.fat with a file put there by mcopy; the kernel mounts it at /vmfs/volumes/UUID with its label linked, lists and
// reads the host's file, writes files and directories from the shell (echo >, >>, cp in and out, mkdir, mv, rm [-r]),
// and powers off.
// Then the host checks the partition with `fsck.fat -n` and reads the kernel's files back with mcopy.
using System.Diagnostics;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class FatVolumeTests
{
    private const int DiskSectors = 98304, FirstLba = 2048, LastLba = 94207;   // a 45 MiB partition on a 48 MiB disk

    [Fact(Timeout = 240_000)]
    public async Task AFat32Partition_IsMountedReadAndWritten_AndTheHostFindsItClean()
    {
        using var modules = new TestModules();
        string disk = modules.Write("disk.img", TestDisks.Gpt(DiskSectors,
            new TestDisks.GptPartition(FirstLba, LastLba, TestDisks.BasicData, "bootbank")));
        Host("mkfs.fat", $"-F 32 -s 1 -n BOOTBANK1 -i 5EEDCAFE --offset {FirstLba} {disk} {(LastLba - FirstLba + 1) / 2}");
        string seed = modules.Write("seed.txt", "put there by the host\n"u8.ToArray());
        string at = $"{disk}@@{FirstLba * 512}";
        Host("mcopy", $"-i {at} {seed} \"::/Host File.txt\"");

        var config = Guest.Config(BootKind.Direct) with { Disks = [disk] };
        await using (var guest = await Guest.StartAsync(config, nameof(FatVolumeTests)))
        {
            await guest.ExpectPromptAsync();
            const string uuid = "5eedcafe-00000800-0001-";
            guest.Check(guest.Session.Text.Contains("Storage: mpx.vmhba0:C0:T0:L0:1: FAT32 'BOOTBANK1' mounted on /vmfs/volumes/" + uuid, StringComparison.Ordinal),
                "the volume was not mounted");
            string volumes = await guest.RunAsync("ls -l /vmfs/volumes");
            guest.Check(volumes.Contains("BOOTBANK1 -> " + uuid, StringComparison.Ordinal), $"no label link:\n{volumes}");
            string df = await guest.RunAsync("df");
            guest.Check(df.Contains("vfat", StringComparison.Ordinal) && df.Contains("/vmfs/volumes/" + uuid, StringComparison.Ordinal), $"df:\n{df}");
            string listing = await guest.RunAsync("ls /vmfs/volumes/BOOTBANK1");
            guest.Check(listing.Contains("Host File.txt", StringComparison.Ordinal), $"the host's file is not listed:\n{listing}");
            string read = await guest.RunAsync("cat \"/vmfs/volumes/BOOTBANK1/Host File.txt\"");
            guest.Check(read.Contains("put there by the host", StringComparison.Ordinal), $"cat:\n{read}");

            foreach (string command in new[]
            {
                "echo first line > /vmfs/volumes/BOOTBANK1/written.txt",
                "echo second line >> /vmfs/volumes/BOOTBANK1/written.txt",
                "mkdir \"/vmfs/volumes/BOOTBANK1/A Long Directory Name\"",
                "cp /etc/vmware/esx.conf \"/vmfs/volumes/BOOTBANK1/A Long Directory Name/esx.conf\"",
                "echo temporary > /vmfs/volumes/BOOTBANK1/gone.txt",
                "rm /vmfs/volumes/BOOTBANK1/gone.txt",
                "echo moved > /vmfs/volumes/BOOTBANK1/before.txt",
                "mv /vmfs/volumes/BOOTBANK1/before.txt \"/vmfs/volumes/BOOTBANK1/A Long Directory Name/after.txt\"",
                "mkdir /vmfs/volumes/BOOTBANK1/tree",
                "mkdir /vmfs/volumes/BOOTBANK1/tree/deeper",
                "echo leaf > /vmfs/volumes/BOOTBANK1/tree/deeper/leaf.txt",
                "rm -r /vmfs/volumes/BOOTBANK1/tree",
                "cp \"/vmfs/volumes/BOOTBANK1/Host File.txt\" /tmp/copied.txt",
            })
            {
                string output = await guest.RunAsync(command);
                guest.Check(!output.Contains("No such", StringComparison.Ordinal) && !output.Contains("error", StringComparison.OrdinalIgnoreCase)
                    && !output.Contains("can't", StringComparison.Ordinal) && !output.Contains("not permitted", StringComparison.Ordinal),
                    $"'{command}' failed:\n{output}");
            }
            string back = await guest.RunAsync("cat /vmfs/volumes/BOOTBANK1/written.txt");
            guest.Check(back.Contains("first line\nsecond line", StringComparison.Ordinal) || back.Contains("first line\r\nsecond line", StringComparison.Ordinal),
                $"read back in the guest:\n{back}");
            string copied = await guest.RunAsync("cat /tmp/copied.txt");
            guest.Check(copied.Contains("put there by the host", StringComparison.Ordinal), $"cp out of the volume:\n{copied}");
            string refused = await guest.RunAsync("chmod 700 /vmfs/volumes/BOOTBANK1/written.txt");
            guest.Check(refused.Contains("not permitted", StringComparison.Ordinal), $"chmod on a volume:\n{refused}");
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }

        // On the host: the partition is clean, and the kernel's files are there.
        string partition = CopyPartition(disk, FirstLba, LastLba, Path.Combine(modules.Directory, "partition.img"));
        var (code, fsck) = Exec("fsck.fat", $"-n {partition}");
        Assert.True(code == 0, "fsck.fat -n found problems:\n" + fsck);
        Assert.Equal("first line\nsecond line\n", Exec("mcopy", $"-n -i {partition} ::/written.txt -").Output);
        Assert.Equal("moved\n", Exec("mcopy", $"-n -i {partition} \"::/A Long Directory Name/after.txt\" -").Output);
        byte[] conf = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "iso/bootbank/base/etc/vmware/esx.conf"));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(conf), Exec("mcopy", $"-n -i {partition} \"::/A Long Directory Name/esx.conf\" -").Output);
        string tree = Exec("mdir", $"-/ -b -i {partition} ::/").Output;
        Assert.DoesNotContain("gone.txt", tree);
        Assert.DoesNotContain("before.txt", tree);
        Assert.DoesNotContain("tree", tree);
        Assert.Contains("::/Host File.txt", tree);
    }

    [Fact(Timeout = 180_000)]
    public async Task AReadOnlyDisk_IsMountedReadOnly_AndRefusesWrites()
    {
        using var modules = new TestModules();
        string disk = modules.Write("disk.img", TestDisks.Gpt(DiskSectors,
            new TestDisks.GptPartition(FirstLba, LastLba, TestDisks.BasicData, "ro")));
        Host("mkfs.fat", $"-F 16 -n READONLY -i 0BADF00D --offset {FirstLba} {disk} {(LastLba - FirstLba + 1) / 2}");
        string seed = modules.Write("seed.txt", "read me\n"u8.ToArray());
        Host("mcopy", $"-i {disk}@@{FirstLba * 512} {seed} ::/seed.txt");
        byte[] before = File.ReadAllBytes(disk);
        // QEMU's readonly drive offers VIRTIO_BLK_F_RO.
        var config = Guest.Config(BootKind.Direct) with
        {
            ExtraArguments = ["-drive", $"file={disk},if=none,id=ro,format=raw,readonly=on", "-device", "virtio-blk-pci,drive=ro"],
        };
        await using (var guest = await Guest.StartAsync(config, nameof(FatVolumeTests)))
        {
            await guest.ExpectPromptAsync();
            string log = guest.Session.Text;
            guest.Check(log.Contains("(48 MiB), read-only", StringComparison.Ordinal), "the disk was not seen as read-only");
            guest.Check(log.Contains("FAT16 'READONLY' mounted on /vmfs/volumes/0badf00d-", StringComparison.Ordinal)
                && log.Contains("KiB free, read-only", StringComparison.Ordinal), "the volume was not mounted read-only");
            string read = await guest.RunAsync("cat /vmfs/volumes/READONLY/seed.txt");
            guest.Check(read.Contains("read me", StringComparison.Ordinal), $"cat:\n{read}");
            foreach (string command in new[]
            {
                "echo no > /vmfs/volumes/READONLY/new.txt",
                "mkdir /vmfs/volumes/READONLY/dir",
                "rm /vmfs/volumes/READONLY/seed.txt",
            })
            {
                string output = await guest.RunAsync(command);
                guest.Check(output.Contains("Read-only file system", StringComparison.Ordinal), $"'{command}' was not refused:\n{output}");
            }
            guest.CheckNoPanic();
            await guest.PowerOffAsync();
        }
        Assert.True(before.AsSpan().SequenceEqual(File.ReadAllBytes(disk)), "the read-only disk changed");
    }

    /// <summary>Sectors first..last of a disk image copied to their own file (fsck.fat takes no offset).</summary>
    internal static string CopyPartition(string disk, long first, long last, string path)
    {
        using var source = File.OpenRead(disk);
        using var target = File.Create(path);
        source.Position = first * 512L;
        var buffer = new byte[(last - first + 1) * 512];
        source.ReadExactly(buffer);
        target.Write(buffer);
        return path;
    }

    internal static void Host(string tool, string arguments)
    {
        var (code, output) = Exec(tool, arguments);
        Assert.True(code == 0, $"{tool} {arguments}: {output}");
    }

    internal static (int Code, string Output) Exec(string tool, string arguments)
    {
        var info = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["MTOOLS_SKIP_CHECK"] = "1";
        using var process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + (process.ExitCode != 0 ? stderr.Result : ""));
    }
}
