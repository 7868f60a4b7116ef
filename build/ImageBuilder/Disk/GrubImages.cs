// GrubImages.cs -- GRUB for the disk image, without grub-install: grub-mkimage builds one self-contained image per
// platform (every module the ESP's grub.cfg uses is built in, so no module directory is needed), and the BIOS boot
// code is put in place here, doing what grub-bios-setup would do for a GPT disk with a BIOS boot partition.
using System.Buffers.Binary;

namespace Vmk.ImageBuilder.Disk;

public static class GrubImages
{
    public const string BiosModuleDir = "/usr/lib/grub/i386-pc", EfiModuleDir = "/usr/lib/grub/x86_64-efi";

    // What the ESP's grub.cfg and the banks' boot.grub need: the partition table and FAT, the script commands
    // (regexp, test, source, probe), serial, multiboot2. keystatus is for Shift held at the menu.
    private static readonly string[] CommonModules =
    [
        "part_gpt", "part_msdos", "fat", "normal", "configfile", "echo", "test", "regexp", "probe", "search",
        "search_fs_uuid", "search_label", "multiboot2", "serial", "terminal", "boot", "sleep", "keystatus", "ls", "cat",
    ];

    /// <summary>
    /// core.img for i386-pc. Its prefix <c>(,gpt2)/boot/grub</c> means "partition 2 of the disk the BIOS booted", so
    /// the image finds the ESP's grub.cfg on whichever drive number the firmware gives the disk.
    /// </summary>
    public static byte[] BuildBiosCore(string workDir, int espPartition) =>
        MkImage(workDir, "i386-pc", BiosModuleDir, $"(,gpt{espPartition})/boot/grub", "core.img", ["biosdisk", "vbe", .. CommonModules]);

    /// <summary>BOOTX64.EFI: a prefix without a device means the device GRUB was loaded from, the ESP.</summary>
    public static byte[] BuildEfi(string workDir) =>
        MkImage(workDir, "x86_64-efi", EfiModuleDir, "/boot/grub", "BOOTX64.EFI", ["efi_gop", "efi_uga", .. CommonModules]);

    /// <summary>
    /// Puts GRUB's BIOS boot path on the disk: boot.img's code in the MBR (bytes 0..0x1B7; the disk signature and
    /// partition area from 0x1B8 stay), pointed at core.img's first sector, and core.img in the BIOS boot partition
    /// with its first sector's block list naming the rest. Facts from GRUB's boot.S / diskboot.S:
    /// boot.img 0x5C u64 = LBA of core.img's first sector (diskboot), 0x64 = boot drive (0xFF: the one in DL),
    /// 0x66 = a 2-byte jump over the "is DL a hard disk" check, replaced by two NOPs for hard disks (some BIOSes pass
    /// a wrong DL). diskboot's last 12 bytes: start LBA u64, sector count u16, load segment u16 (0x820, kept).
    /// </summary>
    public static void InstallBios(Stream disk, byte[] bootImg, byte[] coreImg, ulong coreLba, ulong partitionSectors)
    {
        if (bootImg.Length != 512)
        {
            throw new ImageBuildException($"boot.img is {bootImg.Length} bytes, expected 512");
        }
        int sectors = (coreImg.Length + 511) / 512;
        if ((ulong)sectors > partitionSectors || sectors - 1 > ushort.MaxValue)
        {
            throw new ImageBuildException($"core.img ({coreImg.Length} bytes) does not fit the BIOS boot partition ({partitionSectors} sectors)");
        }
        var core = new byte[sectors * 512];
        coreImg.CopyTo(core, 0);
        Span<byte> blocklist = core.AsSpan(512 - 12, 12);
        BinaryPrimitives.WriteUInt64LittleEndian(blocklist, coreLba + 1);
        BinaryPrimitives.WriteUInt16LittleEndian(blocklist[8..], (ushort)(sectors - 1));
        GptWriter.WriteAt(disk, (long)coreLba * 512, core);

        var mbr = bootImg.AsSpan(0, 0x1B8).ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(mbr.AsSpan(0x5C), coreLba);
        mbr[0x64] = 0xFF;
        mbr[0x66] = 0x90;
        mbr[0x67] = 0x90;
        GptWriter.WriteAt(disk, 0, mbr);
    }

    public static byte[] ReadBootImg() => File.ReadAllBytes(Path.Combine(BiosModuleDir, "boot.img"));

    private static byte[] MkImage(string workDir, string format, string moduleDir, string prefix, string name, string[] modules)
    {
        string output = Path.Combine(workDir, name);
        HostCommand.Run("grub-mkimage", ["-O", format, "-d", moduleDir, "-p", prefix, "-o", output, .. modules]);
        return File.ReadAllBytes(output);
    }
}
