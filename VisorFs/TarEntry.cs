// TarEntry.cs -- one indexed tar member: its normalized path, attributes and where its data lies in the archive.

using System;

namespace VisorFs;

/// <summary>What a tar member is. Values follow the tar type flags '0'..'6' (types '7' and NUL are files).</summary>
public enum TarEntryType
{
    File = 0,
    HardLink = 1,
    Symlink = 2,
    CharDevice = 3,
    BlockDevice = 4,
    Directory = 5,
    Fifo = 6,
}

/// <summary>
/// A member of an indexed archive. Zero copy: the file's bytes stay in the archive, at <see cref="DataOffset"/>
/// for <see cref="Size"/> bytes. Entries also form the directory tree: a directory lists its children through
/// <see cref="FirstChild"/> and each child's <see cref="NextSibling"/>, in archive order.
/// </summary>
public sealed class TarEntry
{
    /// <summary>Normalized path: no leading '/', no trailing '/', no empty, "." or ".." components. Root is "".</summary>
    public string Path { get; internal set; } = "";
    public TarEntryType Type { get; internal set; }
    /// <summary>Permission bits including setuid/setgid/sticky (07777).</summary>
    public int Mode { get; internal set; }
    public int Uid { get; internal set; }
    public int Gid { get; internal set; }
    /// <summary>Length of the data in bytes (0 for everything but files).</summary>
    public long Size { get; internal set; }
    /// <summary>Modification time in seconds since the Unix epoch (may be negative).</summary>
    public long ModificationTime { get; internal set; }
    /// <summary>Absolute offset of the data within the archive.</summary>
    public long DataOffset { get; internal set; }
    /// <summary>Symlink target as stored (not normalized), or the normalized path a hard link points to.</summary>
    public string LinkTarget { get; internal set; } = "";
    /// <summary>For a hard link: the index of the entry it links to, whose data it shares; otherwise -1.</summary>
    public int LinkIndex { get; internal set; } = -1;
    public int DeviceMajor { get; internal set; }
    public int DeviceMinor { get; internal set; }
    /// <summary>visor-tar only: offset and size of an executable's text, and its fixup page count.</summary>
    public uint TextOffset { get; internal set; }
    public uint TextSize { get; internal set; }
    public uint FixupPageCount { get; internal set; }
    /// <summary>True for directories the index made up because a member lives below them, and for the root.</summary>
    public bool IsImplicit { get; internal set; }
    /// <summary>Position in <see cref="TarIndex"/>; the root is 0.</summary>
    public int Index { get; internal set; }
    /// <summary>Index of the containing directory (-1 for the root).</summary>
    public int Parent { get; internal set; } = -1;
    /// <summary>Index of the first child (directories only), or -1.</summary>
    public int FirstChild { get; internal set; } = -1;
    /// <summary>Index of the next entry in the same directory, or -1.</summary>
    public int NextSibling { get; internal set; } = -1;

    internal int LastChild = -1;

    public bool IsDirectory => Type == TarEntryType.Directory;

    /// <summary>The last path component ("" for the root).</summary>
    public string Name
    {
        get
        {
            string p = Path;
            for (int i = p.Length - 1; i >= 0; i--)
            {
                if (p[i] == '/')
                {
                    return p.Substring(i + 1);
                }
            }
            return p;
        }
    }
}

/// <summary>Why one member of an archive was rejected or altered; the rest of the archive still indexes.</summary>
public struct TarDiagnostic
{
    /// <summary>The member's name as far as it could be read (non-printable bytes shown as '?').</summary>
    public string EntryName;
    public string Reason;
    /// <summary>Offset of the member's header in the archive.</summary>
    public long HeaderOffset;

    public TarDiagnostic(string entryName, string reason, long headerOffset)
    {
        EntryName = entryName;
        Reason = reason;
        HeaderOffset = headerOffset;
    }
}
