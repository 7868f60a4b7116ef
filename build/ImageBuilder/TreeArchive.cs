// TreeArchive.cs -- a content folder plus its manifest -> the members of a visor-tar -> a gzip'd visor-tar (s.v00, NAME.v00).
using System.IO.Compression;
using VisorFs;

namespace Vmk.ImageBuilder;

/// <summary>
/// Turns a folder into an archive the kernel mounts as a tardisk. Members are sorted by path (ordinal, so a directory
/// precedes its contents), every directory has its own member (also the parents of listed paths and the directories
/// the manifest declares), uid/gid are 0 and every mtime is <see cref="FixedModificationTime"/>, so the same folder
/// always gives byte-identical archives. Symlinks are kept as symlinks; other special files are refused.
/// </summary>
public static class TreeArchive
{
    /// <summary>2025-01-01T00:00:00Z: the mtime of every member (reproducible builds).</summary>
    public const long FixedModificationTime = 1735689600;

    public static List<VisorTarMember> CollectMembers(string folder, TreeManifest manifest)
    {
        var members = new SortedDictionary<string, VisorTarMember>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                AttributesToSkip = 0,
                IgnoreInaccessible = false,
            }))
            {
                string path = Path.GetRelativePath(folder, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (Path.GetFileName(path) == ".gitkeep")
                {
                    continue;
                }
                members[path] = info switch
                {
                    _ when info.LinkTarget is { } target => new VisorTarMember(path, 0x1FF, TarEntryType.Symlink, null) { LinkTarget = target },
                    DirectoryInfo => new VisorTarMember(path, TreeManifest.DefaultDirectoryMode, TarEntryType.Directory, null),
                    FileInfo file when (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0 =>
                        new VisorTarMember(path, TreeManifest.DefaultFileMode, TarEntryType.File, File.ReadAllBytes(file.FullName)),
                    _ => throw new ImageBuildException($"{info.FullName}: only files, directories and symlinks can go into an image"),
                };
            }
        }
        else if (manifest.Entries.Count == 0)
        {
            throw new ImageBuildException($"{folder} does not exist");
        }

        foreach (var entry in manifest.Entries)
        {
            if (members.TryGetValue(entry.Path, out var member))
            {
                if (entry.IsDirectory != (member.Type == TarEntryType.Directory))
                {
                    throw new ImageBuildException($"manifest line {entry.Line}: /{entry.Path} is {(entry.IsDirectory ? "not a directory" : "a directory: write it with a trailing '/'")}");
                }
                member.Mode = entry.Mode;
            }
            else if (entry.IsDirectory)
            {
                members[entry.Path] = new VisorTarMember(entry.Path, entry.Mode, TarEntryType.Directory, null);
            }
            else
            {
                throw new ImageBuildException($"manifest line {entry.Line}: /{entry.Path} is not in {folder}");
            }
        }

        // Parents of every member, so the archive's tree is explicit (modes and mtimes of directories included).
        foreach (string path in members.Keys.ToList())
        {
            for (int slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                string parent = path[..slash];
                if (!members.TryAdd(parent, new VisorTarMember(parent, TreeManifest.DefaultDirectoryMode, TarEntryType.Directory, null))
                    && members[parent].Type != TarEntryType.Directory)
                {
                    throw new ImageBuildException($"/{parent} is not a directory but holds /{path}");
                }
            }
        }

        var list = new List<VisorTarMember>();
        foreach (var (path, member) in members)
        {
            member.Path = member.Type == TarEntryType.Directory ? path + "/" : path;
            member.ModificationTime = FixedModificationTime;
            list.Add(member);
        }
        return list;
    }

    /// <summary>The visor-tar bytes of the members, uncompressed.</summary>
    public static byte[] WriteVisorTar(List<VisorTarMember> members)
    {
        if (!VisorTarWriter.TryWrite(members, out byte[] archive, out string error))
        {
            throw new ImageBuildException("visor-tar: " + error);
        }
        return archive;
    }

    /// <summary>gzip at the smallest size; .NET's encoder writes no name and mtime 0, so the output is reproducible.</summary>
    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Folder + manifest -> gzip'd visor-tar bytes.</summary>
    public static byte[] Build(string folder, TreeManifest manifest) => Gzip(WriteVisorTar(CollectMembers(folder, manifest)));
}
