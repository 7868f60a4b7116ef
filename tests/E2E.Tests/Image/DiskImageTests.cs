// DiskImageTests.cs -- the built artifacts/disk/vmk.img checked from the host, with tools other than the ones that made
// it: sgdisk verifies the GPT (both headers, CRCs, entries) and lists the partitions; the MBR carries GRUB's boot.img
// pointed at core.img in the BIOS boot partition, whose first sector's block list covers the rest; every FAT volume
// passes fsck.fat -n; the banks hold the kernel, the modules, boot.cfg (bank 1 newer) and a boot.grub that agrees.
using System.Buffers.Binary;
using VisorFs;
using Vmk.E2E.Tests.Devices;
using Vmk.ImageBuilder.Disk;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Image;

public sealed class DiskImageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmk-disk-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Image
    {
        get
        {
            Assert.True(File.Exists(RepoPaths.DiskImage), $"{RepoPaths.DiskImage} does not exist (dotnet build Kernel.sln builds it)");
            return RepoPaths.DiskImage;
        }
    }

    [Fact]
    public void Gpt_IsValidForSgdisk_WithTheDocumentedPartitions()
    {
        var (code, verify) = FatVolumeTests.Exec("sgdisk", "-v " + Image);
        Assert.True(code == 0 && verify.Contains("No problems found", StringComparison.Ordinal), verify);
        var (_, table) = FatVolumeTests.Exec("sgdisk", "-p " + Image);
        foreach (var (part, typeCode) in new[] { (DiskImage.BiosBoot, "EF02"), (DiskImage.Esp, "EF00"), (DiskImage.Bank1, "0700"), (DiskImage.Bank2, "0700"), (DiskImage.Scratch, "0700") })
        {
            Assert.Matches($@"(?m)^\s+{part.Number}\s+{part.FirstLba}\s+{part.LastLba}\s+\S+ \S+\s+{typeCode}\s+{part.Name}\s*$", table);
        }
    }

    [Fact]
    public void Mbr_HoldsBootImg_PointingAtCoreImg_WhoseBlockListCoversTheRest()
    {
        byte[] disk = File.ReadAllBytes(Image);
        byte[] bootImg = File.ReadAllBytes("/usr/lib/grub/i386-pc/boot.img");
        // boot.img's code, except the fields grub-bios-setup fills in: kernel sector (0x5C), drive-check jump (0x66).
        Assert.Equal(bootImg.AsSpan(0, 0x5C).ToArray(), disk.AsSpan(0, 0x5C).ToArray());
        Assert.Equal(bootImg.AsSpan(0x68, 0x1B8 - 0x68).ToArray(), disk.AsSpan(0x68, 0x1B8 - 0x68).ToArray());
        Assert.Equal(DiskImage.BiosBoot.FirstLba, BinaryPrimitives.ReadUInt64LittleEndian(disk.AsSpan(0x5C)));
        Assert.Equal(0xFF, disk[0x64]);
        Assert.Equal(new byte[] { 0x90, 0x90 }, disk.AsSpan(0x66, 2).ToArray());
        Assert.Equal(0xEE, disk[0x1BE + 4]);                    // the protective MBR entry stays
        Assert.Equal(new byte[] { 0x55, 0xAA }, disk.AsSpan(510, 2).ToArray());

        long core = (long)DiskImage.BiosBoot.FirstLba * 512;
        Assert.Equal(File.ReadAllBytes("/usr/lib/grub/i386-pc/diskboot.img").AsSpan(0, 0x100).ToArray(), disk.AsSpan((int)core, 0x100).ToArray());
        Span<byte> blocklist = disk.AsSpan((int)core + 512 - 12, 12);
        ulong start = BinaryPrimitives.ReadUInt64LittleEndian(blocklist);
        int sectors = BinaryPrimitives.ReadUInt16LittleEndian(blocklist[8..]);
        Assert.Equal(DiskImage.BiosBoot.FirstLba + 1, start);
        Assert.Equal(0x820, BinaryPrimitives.ReadUInt16LittleEndian(blocklist[10..]));
        Assert.InRange(sectors, 20, (int)DiskImage.BiosBoot.Sectors - 1);
        // The sectors after core.img's last one are empty: the block list covers all of it.
        int end = (int)core + (sectors + 1) * 512;
        Assert.True(disk.AsSpan(end - 512, 512).IndexOfAnyExcept((byte)0) >= 0, "core.img's last sector is empty: the block list is too long");
        Assert.True(disk.AsSpan(end, 4096).IndexOfAnyExcept((byte)0) < 0, "data after the block list's end: core.img is longer than its list");
    }

    [Fact]
    public void FatVolumes_AreClean_AndTheBanksHoldTheImage()
    {
        DiskImageBoots.CheckBanksClean(Image, _dir);
        string esp = Path.Combine(_dir, DiskImage.Esp.Label + ".img");
        Assert.Contains("BOOTX64.EFI", FatVolumeTests.Exec("mdir", $"-b -i {esp} ::/EFI/BOOT").Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "iso", "grub", "disk-grub.cfg")), Read(esp, "/boot/grub/grub.cfg"));

        var updated = new List<int>();
        foreach (var part in new[] { DiskImage.Bank1, DiskImage.Bank2 })
        {
            string bank = Path.Combine(_dir, part.Label + ".img");
            string listing = FatVolumeTests.Exec("mdir", $"-b -i {bank} ::/").Output;
            foreach (string file in new[] { "kernel.elf", "s.v00", "docs.v00", "boot.cfg", "boot.grub" })
            {
                Assert.Contains("/" + file, listing, StringComparison.Ordinal);
            }
            Assert.True(BootConfig.TryParse(Read(bank, "/boot.cfg"), out var config, out string error), error);
            Assert.Equal(BootState.Valid, config.BootState);
            Assert.Equal("kernel.elf", config.Kernel);
            Assert.Equal(["s.v00", "docs.v00"], config.Modules.Select(m => m.Path));
            Assert.Equal(BankGrubScript.Generate(config), Read(bank, "/boot.grub"));
            updated.Add(config.Updated);
        }
        Assert.Equal(updated[0] - 1, updated[1]);   // bank 1 is the newer: GRUB boots it by default
        Assert.Equal(File.ReadAllBytes(RepoPaths.KernelElf), File.ReadAllBytes(Extract(Path.Combine(_dir, "BOOTBANK1.img"), "/kernel.elf")));
    }

    [Fact]
    public void BootGrub_SetsStateAndUpdated_AndLoadsEveryModuleFromTheBank()
    {
        Assert.True(BootConfig.TryParse("bootstate=2\nupdated=7\nkernel=kernel.elf\nkernelopt=loglevel=debug\nmodules=s.v00 --- x.v00 opt=1\n", out var config, out string error), error);
        string script = BankGrubScript.Generate(config);
        Assert.Contains("vmk_bootstate=2\nvmk_updated=7\n", script, StringComparison.Ordinal);
        Assert.Contains("    multiboot2 $1/kernel.elf loglevel=debug bootbank=$2\n", script, StringComparison.Ordinal);
        Assert.Contains("    module2 --nounzip $1/s.v00 s.v00\n    module2 --nounzip $1/x.v00 x.v00 opt=1\n}\n", script, StringComparison.Ordinal);
    }

    private string Extract(string volume, string path)
    {
        string target = Path.Combine(_dir, "extract-" + Guid.NewGuid().ToString("N"));
        FatVolumeTests.Host("mcopy", $"-n -i {volume} ::{path} {target}");
        return target;
    }

    private string Read(string volume, string path) => File.ReadAllText(Extract(volume, path));
}
