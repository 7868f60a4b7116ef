// FatPartition.cs -- one FAT partition's contents as a file of its own: mkfs.fat makes the file system, mtools puts
// the files in (dosfstools and mtools are the host's reference FAT implementations, the same ones the kernel's FAT
// code is tested against). DiskImage copies the finished file into its place on the disk.
namespace Vmk.ImageBuilder.Disk;

public sealed class FatPartition
{
    private readonly string _image;

    private FatPartition(string image) => _image = image;

    /// <summary>A fresh FAT file system of <paramref name="sectors"/> 512-byte sectors; mkfs.fat picks FAT12/16/32
    /// by size. <paramref name="serial"/> is the volume ID (GRUB's probe --fs-uuid shows it as XXXX-XXXX).</summary>
    public static FatPartition Create(string image, ulong sectors, string label, uint serial)
    {
        File.Delete(image);
        HostCommand.Run("mkfs.fat", ["-C", "-n", label, "-i", serial.ToString("X8"), image, (sectors / 2).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return new FatPartition(image);
    }

    public string ImagePath => _image;

    public FatPartition Directory(string path)
    {
        HostCommand.Run("mmd", ["-i", _image, "::" + path]);
        return this;
    }

    public FatPartition Copy(string hostFile, string path)
    {
        HostCommand.Run("mcopy", ["-o", "-i", _image, hostFile, "::" + path]);
        return this;
    }

    public FatPartition Text(string workDir, string path, string text)
    {
        string tmp = Path.Combine(workDir, "text-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(tmp, text);
        try
        {
            return Copy(tmp, path);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
