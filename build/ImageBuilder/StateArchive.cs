// StateArchive.cs -- writes state.tgz as ESXi's backup.sh does: a gzip'd tar holding local.tgz, a gzip'd tar of the files.
using System.Formats.Tar;

namespace Vmk.ImageBuilder;

/// <summary>
/// <c>state.tgz</c> = gzip(ustar{ <c>local.tgz</c> }), <c>local.tgz</c> = gzip(ustar{ the saved files }), member paths
/// relative to <c>/</c> ("etc/vmware/esx.conf"), modes as saved (sticky bit included), uid/gid 0. Files only: the
/// kernel restores them over <c>/</c> and recreates the directories they need. Plain tar (System.Formats.Tar) because
/// that is what the real backup.sh produces; the kernel reads plain and visor tars alike.
/// </summary>
public static class StateArchive
{
    public sealed record File(string Path, int Mode, byte[] Data);

    public const string InnerName = "local.tgz";

    public static byte[] Create(IEnumerable<File> files, long modificationTime = TreeArchive.FixedModificationTime)
    {
        var mtime = DateTimeOffset.FromUnixTimeSeconds(modificationTime);
        byte[] local = TreeArchive.Gzip(Tar(files.Select(f => (TreeManifest.NormalizePath(f.Path, "state file"), f.Mode, f.Data)), mtime));
        return TreeArchive.Gzip(Tar([(InnerName, 0x1A4, local)], mtime));
    }

    /// <summary>state.tgz from a folder: every file under it, modes from its manifest (default 0644).</summary>
    public static byte[] FromFolder(string folder, TreeManifest manifest)
    {
        var files = TreeArchive.CollectMembers(folder, manifest)
            .Where(m => m.Type == VisorFs.TarEntryType.File)
            .Select(m => new File("/" + m.Path, m.Mode, m.Data ?? []));
        return Create(files);
    }

    private static byte[] Tar(IEnumerable<(string Path, int Mode, byte[] Data)> files, DateTimeOffset mtime)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (path, mode, data) in files)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
                {
                    Mode = (UnixFileMode)mode,
                    ModificationTime = mtime,
                    DataStream = new MemoryStream(data),
                };
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }
}
