// DiskImage.cs -- artifacts/disk/vmk.img: the installed layout, a disk that boots on BIOS and UEFI machines and keeps
// its configuration (dd it to a USB stick or an internal disk).
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VisorFs;

namespace Vmk.ImageBuilder.Disk;

/// <summary>
/// GPT with a protective MBR (GRUB's boot.img in its code area), 512-byte sectors, every partition 1 MiB aligned:
/// <code>
/// 1  BIOS boot         1 MiB   GRUB core.img (i386-pc), no file system
/// 2  ESP "VMK-ESP"     8 MiB   FAT: EFI/BOOT/BOOTX64.EFI (GRUB x86_64-efi), boot/grub/grub.cfg (iso/grub/disk-grub.cfg)
/// 3  BOOTBANK1        16 MiB   FAT: kernel, modules, boot.cfg (updated=N), boot.grub
/// 4  BOOTBANK2        16 MiB   FAT: the same image, updated=N-1 (the rollback bank)
/// 5  SCRATCH           8 MiB   FAT, empty
/// </code>
/// FAT serials are fixed (5EED0E5F, 5EED0B01, 5EED0B02, 5EED05C4) and the GUIDs derived from names, so the same
/// inputs give the same image. The image is written to a temporary name and moved into place.
/// </summary>
public static class DiskImage
{
    public sealed record Request(string KernelPath, string BootBankDir, string EspGrubConfig, string WorkDir, string OutputPath);

    public sealed record Part(int Number, string Name, Guid Type, ulong FirstLba, ulong Sectors, string? Label, uint Serial)
    {
        public ulong LastLba => FirstLba + Sectors - 1;
    }

    private const ulong MiB = 2048;   // sectors
    public static readonly Part BiosBoot = new(1, "BIOS boot partition", GptWriter.BiosBoot, 1 * MiB, 1 * MiB, null, 0);
    public static readonly Part Esp = new(2, "EFI system partition", GptWriter.EfiSystem, 2 * MiB, 8 * MiB, "VMK-ESP", 0x5EED0E5F);
    public static readonly Part Bank1 = new(3, "bootbank1", GptWriter.BasicData, 10 * MiB, 16 * MiB, "BOOTBANK1", 0x5EED0B01);
    public static readonly Part Bank2 = new(4, "bootbank2", GptWriter.BasicData, 26 * MiB, 16 * MiB, "BOOTBANK2", 0x5EED0B02);
    public static readonly Part Scratch = new(5, "scratch", GptWriter.BasicData, 42 * MiB, 8 * MiB, "SCRATCH", 0x5EED05C4);
    public static readonly IReadOnlyList<Part> Parts = [BiosBoot, Esp, Bank1, Bank2, Scratch];

    /// <summary>The last MiB holds the backup GPT.</summary>
    public const ulong DiskSectors = 51 * MiB;

    public static void Build(Request request, TextWriter log)
    {
        if (!File.Exists(request.KernelPath))
        {
            throw new ImageBuildException($"{request.KernelPath} does not exist");
        }
        string kernelName = Path.GetFileName(request.KernelPath);
        var source = BootBank.ReadConfig(Path.Combine(request.BootBankDir, BootModules.BootConfigName));
        var modules = BootModules.Compose(source, request.BootBankDir, [], null, kernelName);
        int updated = Math.Max(source.Updated, 1);

        if (Directory.Exists(request.WorkDir))
        {
            Directory.Delete(request.WorkDir, recursive: true);
        }
        Directory.CreateDirectory(request.WorkDir);

        byte[] core = GrubImages.BuildBiosCore(request.WorkDir, Esp.Number);
        byte[] efi = GrubImages.BuildEfi(request.WorkDir);
        var esp = MakeFat(request.WorkDir, Esp)
            .Directory("/EFI").Directory("/EFI/BOOT").Directory("/boot").Directory("/boot/grub")
            .Copy(Path.Combine(request.WorkDir, "BOOTX64.EFI"), "/EFI/BOOT/BOOTX64.EFI")
            .Copy(request.EspGrubConfig, "/boot/grub/grub.cfg");
        var bank1 = MakeBank(request, Bank1, source, modules, kernelName, updated);
        var bank2 = MakeBank(request, Bank2, source, modules, kernelName, updated - 1);
        var scratch = MakeFat(request.WorkDir, Scratch);

        string output = Path.GetFullPath(request.OutputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string tmp = output + ".tmp";
        File.Delete(tmp);
        using (var disk = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            disk.SetLength((long)DiskSectors * GptWriter.SectorSize);
            GptWriter.Write(disk, DiskSectors, NameGuid("vmk disk"),
                Parts.Select(p => new GptPartition(p.FirstLba, p.LastLba, p.Type, NameGuid("vmk partition " + p.Name), p.Name)).ToList());
            GrubImages.InstallBios(disk, GrubImages.ReadBootImg(), core, BiosBoot.FirstLba, BiosBoot.Sectors);
            foreach (var (part, fat) in new[] { (Esp, esp), (Bank1, bank1), (Bank2, bank2), (Scratch, scratch) })
            {
                byte[] bytes = File.ReadAllBytes(fat.ImagePath);
                if ((ulong)bytes.Length > part.Sectors * GptWriter.SectorSize)
                {
                    throw new ImageBuildException($"{part.Label}: {bytes.Length} bytes do not fit the partition");
                }
                GptWriter.WriteAt(disk, (long)part.FirstLba * GptWriter.SectorSize, bytes);
            }
        }
        File.Move(tmp, output, overwrite: true);
        Directory.Delete(request.WorkDir, recursive: true);
        log.WriteLine($"disk: {output} ({DiskSectors / MiB} MiB: BIOS boot, ESP, BOOTBANK1 updated={updated}, BOOTBANK2 updated={updated - 1}, SCRATCH; "
            + $"{modules.Count} modules: {string.Join(", ", modules.Select(m => m.Name))})");
    }

    /// <summary>One bank: the kernel, the modules, boot.cfg with this bank's updated= and boot.grub made from it.</summary>
    private static FatPartition MakeBank(Request request, Part part, BootConfig source, IReadOnlyList<ModuleFile> modules,
        string kernelName, int updated)
    {
        var writer = BootModules.WithModules(BootConfigWriter.From(source), modules);
        writer.Kernel = kernelName;
        writer.Updated = updated;
        writer.BootState = BootState.Valid;
        if (!writer.TryWrite(out string bootCfg, out string error) || !BootConfig.TryParse(bootCfg, out var parsed, out error))
        {
            throw new ImageBuildException($"{part.Label} boot.cfg: {error}");
        }
        var fat = MakeFat(request.WorkDir, part).Copy(request.KernelPath, "/" + kernelName);
        foreach (var module in modules)
        {
            fat.Copy(module.SourcePath, "/" + module.Name);
        }
        return fat.Text(request.WorkDir, "/" + BootModules.BootConfigName, bootCfg)
            .Text(request.WorkDir, "/" + BankGrubScript.FileName, BankGrubScript.Generate(parsed));
    }

    private static FatPartition MakeFat(string workDir, Part part) =>
        FatPartition.Create(Path.Combine(workDir, part.Label!.ToLowerInvariant() + ".fat"), part.Sectors, part.Label, part.Serial);

    /// <summary>A fixed GUID for a name (MD5 with the version 3 bits), so rebuilding from the same inputs changes nothing.</summary>
    public static Guid NameGuid(string name)
    {
        byte[] hash = MD5.HashData(Encoding.UTF8.GetBytes(name));
        hash[7] = (byte)((hash[7] & 0x0F) | 0x30);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash);
    }

    public static string SerialText(uint serial) =>
        (serial >> 16).ToString("x4", CultureInfo.InvariantCulture) + "-" + (serial & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture);
}
