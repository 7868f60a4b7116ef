// FsNode.cs -- what a path resolves to in the overlaid root: a ramdisk inode, a tardisk entry (the topmost layer
// that has the path), or the synthetic /tardisks directory and its per-tardisk files. A value, cheap to copy.
using VisorFs;

namespace Kernel.VisorFs
{
    public struct FsNode
    {
        public string Path;          // canonical absolute path
        public RamNode Ram;          // the ramdisk inode, when the upper layer has the path
        public Tardisk Tar;          // else the topmost tardisk that has it ...
        public TarEntry Entry;       // ... and its entry there
        public bool TardisksDir;     // /tardisks
        public Tardisk TardiskFile;  // /tardisks/NAME: the archive itself
        public MountedVolume Volume; // a path on a mounted volume ...
        public string VolumePath;    // ... relative to its root ("" is the mount point)
        public VolumeEntry OnVolume; // ... and what the volume says it is

        public bool Exists => Ram != null || Entry != null || TardisksDir || TardiskFile != null || Volume != null;

        public FileKind Kind
        {
            get
            {
                if (Ram != null)
                    return Ram.FileKind;
                if (Entry != null)
                    return Tardisk.KindOf(Entry);
                if (TardisksDir)
                    return FileKind.Directory;
                if (Volume != null)
                    return OnVolume.IsDirectory ? FileKind.Directory : FileKind.File;
                return TardiskFile != null ? FileKind.File : FileKind.None;
            }
        }

        public bool IsDirectory => Kind == FileKind.Directory;

        public int Mode
        {
            get
            {
                if (Ram != null)
                    return Ram.Mode;
                if (Entry != null)
                    return Entry.Mode;
                if (Volume != null)   // FAT has no modes: everything is the owner's, read-only media read-only
                    return (OnVolume.IsDirectory ? 0x16D : 0x124) | (Volume.IsReadOnly ? 0 : 0x80);   // 0555/0444 + u+w
                return TardisksDir ? 0x1ED : 0x1A4;   // 0755, 0644
            }
        }

        public long Size
        {
            get
            {
                if (Ram != null)
                    return Ram.Kind == RamNodeKind.Symlink ? Ram.LinkTarget.Length : Ram.Size;
                if (Entry != null)
                    return Entry.Type == TarEntryType.Symlink ? Entry.LinkTarget.Length : Entry.Size;
                if (Volume != null)
                    return OnVolume.Size;
                return TardiskFile != null ? TardiskFile.Length : 0;
            }
        }

        public long ModificationTime => Ram != null ? Ram.ModificationTime : Entry != null ? Entry.ModificationTime
            : Volume != null ? OnVolume.ModificationTime : 0;

        public string LinkTarget => Ram != null ? Ram.LinkTarget : Entry != null ? Entry.LinkTarget : null;

        /// <summary>Which layer holds it: `ramdisk root`, `tardisk s.v00`, `visorfs`.</summary>
        public string Layer
        {
            get
            {
                if (Ram != null)
                    return string.Concat("ramdisk ", Ram.Owner.Name);
                if (Tar != null)
                    return string.Concat("tardisk ", Tar.Name);
                if (Volume != null)
                    return string.Concat(Volume.Type, " ", Volume.Label.Length > 0 ? Volume.Label : Volume.Uuid);
                return TardiskFile != null ? string.Concat("tardisk ", TardiskFile.Name) : "visorfs";
            }
        }
    }

    /// <summary>One name in a directory listing.</summary>
    public struct DirEntry
    {
        public string Name;
        public FsNode Node;
    }
}
