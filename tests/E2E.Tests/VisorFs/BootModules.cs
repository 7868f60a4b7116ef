// BootModules.cs -- boot modules for the VisorFS tests: visor-tar and plain tar archives, gzip'd or not, written
// to a per-test folder and handed to a direct boot instead of the boot bank's (the runner's --module/--state path:
// QemuConfig.ExtraModules in order, the first being the base image, and StateFile as state.tgz).
using System.IO.Compression;
using System.Text;
using VisorFs;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;
using FormatsTar = System.Formats.Tar;
using TarEntryType = VisorFs.TarEntryType;

namespace Vmk.E2E.Tests.VisorFs;

public sealed class BootModules : IDisposable
{
    public const int Sticky = 0x200;   // 01000

    private readonly List<string> _paths = [];

    public BootModules()
    {
        Folder = Directory.CreateTempSubdirectory("vmk-visorfs-").FullName;
    }

    public string Folder { get; }

    /// <summary>A base image like the image build's s.v00: sticky esx.conf and inetd.conf, the root crontab, motd, system dirs.</summary>
    public static List<VisorTarMember> BaseImage()
    {
        var m = new List<VisorTarMember>();
        foreach (string dir in new[] { "bin", "sbin", "usr/lib", "var/log", "var/run", "tmp", "opt", "bootbank", "tardisks", "etc/vmware" })
        {
            m.Add(new VisorTarMember(dir, dir == "tmp" ? 0x3FF : 0x1ED, TarEntryType.Directory, null));
        }
        m.Add(File("etc/vmware/esx.conf", "/system/uuid = \"5f3c\"\n", 0x1A4 | Sticky));
        m.Add(File("etc/inetd.conf", "# inetd\n", 0x1A4 | Sticky));
        m.Add(File("var/spool/cron/crontabs/root", "1 * * * * /sbin/auto-backup.sh\n", 0x180));
        m.Add(File("etc/motd", "Welcome to VMkernel-CS\n", 0x1A4));
        return m;
    }

    public static VisorTarMember File(string path, string text, int mode = 0x1A4) =>
        new(path, mode, TarEntryType.File, Encoding.UTF8.GetBytes(text));

    public static VisorTarMember File(string path, byte[] data, int mode = 0x1A4) =>
        new(path, mode, TarEntryType.File, data);

    public static byte[] VisorTar(List<VisorTarMember> members)
    {
        if (!VisorTarWriter.TryWrite(members, out byte[] archive, out string error))
        {
            throw new InvalidOperationException(error);
        }
        return archive;
    }

    /// <summary>A plain ustar archive (System.Formats.Tar) of (path, text) files.</summary>
    public static byte[] UstarTar(params (string Path, string Text)[] files)
    {
        using var stream = new MemoryStream();
        using (var writer = new FormatsTar.TarWriter(stream, FormatsTar.TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                var entry = new FormatsTar.UstarTarEntry(FormatsTar.TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                };
                writer.WriteEntry(entry);
            }
        }
        return stream.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Writes one module file; its file name is the module's name in the guest.</summary>
    public string Add(string name, byte[] contents)
    {
        string path = Path.Combine(Folder, name);
        System.IO.File.WriteAllBytes(path, contents);
        _paths.Add(path);
        return path;
    }

    /// <summary>A direct boot with exactly these modules (no boot bank), in the order added.</summary>
    public QemuConfig Config(string memory = "512M") => Guest.Config(BootKind.Direct) with
    {
        BootBankDir = null,
        ExtraModules = _paths.Where(p => Path.GetFileName(p) != "state.tgz").ToList(),
        StateFile = _paths.FirstOrDefault(p => Path.GetFileName(p) == "state.tgz"),
        Memory = MemorySize.TryParse(memory, out var size, out _) ? size : MemorySize.Default,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
