// TestModules.cs -- boot modules for tests: gzip'd visor-tars, plain tars and tgz, and state.tgz, written to a temp folder.
using System.Formats.Tar;
using System.Text;
using VisorFs;
using Vmk.ImageBuilder;

namespace Vmk.E2E.Tests.Infrastructure;

/// <summary>
/// Makes module files for <see cref="Vmk.Iso.Runner.QemuConfig.ExtraModules"/> and <see cref="Vmk.Iso.Runner.QemuConfig.StateFile"/>
/// in a fresh temp folder (deleted on dispose). Paths are archive paths ("etc/motd" or "/etc/motd").
/// <code>
/// using var modules = new TestModules();
/// var config = Guest.Config(BootKind.Direct) with
/// {
///     ExtraModules = [modules.VisorTgz("extra.v00", ("etc/motd", "hello\n"))],
///     StateFile = modules.State(("/etc/vmware/esx.conf", 0x3A4, "saved\n")),
/// };
/// </code>
/// </summary>
public sealed class TestModules : IDisposable
{
    public TestModules()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vmk-test-modules-").FullName;
    }

    public string Directory { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A gzip'd visor-tar (what the image build makes of a bundle folder), files 0644, parents implied.</summary>
    public string VisorTgz(string name, params (string Path, string Content)[] files) =>
        Write(name, TreeArchive.Gzip(VisorTar(files.Select(f => (f.Path, 0x1A4, f.Content)).ToArray())));

    /// <summary>An uncompressed visor-tar with explicit modes.</summary>
    public byte[] VisorTar(params (string Path, int Mode, string Content)[] files)
    {
        var members = files.Select(f => new VisorTarMember(f.Path.TrimStart('/'), f.Mode, global::VisorFs.TarEntryType.File, Encoding.UTF8.GetBytes(f.Content))
        {
            ModificationTime = TreeArchive.FixedModificationTime,
        }).ToList();
        return TreeArchive.WriteVisorTar(members);
    }

    /// <summary>A plain ustar archive (System.Formats.Tar), gzip'd when <paramref name="gzip"/>.</summary>
    public string Tar(string name, bool gzip, params (string Path, string Content)[] files)
    {
        byte[] tar = Ustar(files.Select(f => (f.Path.TrimStart('/'), (byte[]?)Encoding.UTF8.GetBytes(f.Content))));
        return Write(name, gzip ? TreeArchive.Gzip(tar) : tar);
    }

    /// <summary>
    /// A gzip'd plain ustar archive of directories (<c>Content</c> null, mode 0755) and files (mode 0644), in the
    /// order given: for trees too large to spell out as strings (generated names, many entries).
    /// </summary>
    public string Tgz(string name, IEnumerable<(string Path, byte[]? Content)> members) =>
        Write(name, TreeArchive.Gzip(Ustar(members)));

    private static byte[] Ustar(IEnumerable<(string Path, byte[]? Content)> members)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, content) in members)
            {
                writer.WriteEntry(content == null
                    ? new UstarTarEntry(System.Formats.Tar.TarEntryType.Directory, path) { Mode = (UnixFileMode)0x1ED }
                    : new UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, path) { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream(content) });
            }
        }
        return tar.ToArray();
    }

    /// <summary>state.tgz as backup.sh writes it (local.tgz inside), under any file name.</summary>
    public string State(params (string Path, int Mode, string Content)[] files) => State("state.tgz", files);

    public string State(string name, params (string Path, int Mode, string Content)[] files) =>
        Write(name, StateArchive.Create(files.Select(f => new StateArchive.File(f.Path.StartsWith('/') ? f.Path : "/" + f.Path, f.Mode, Encoding.UTF8.GetBytes(f.Content)))));

    /// <summary>Any bytes under any name (corrupt modules, for instance).</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
