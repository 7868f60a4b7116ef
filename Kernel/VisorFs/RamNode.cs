// RamNode.cs -- one inode of a ramdisk: a directory (children by name), a regular file (its data in 4 KiB pages
// charged to the ramdisk's pool), a symlink, or a whiteout that hides a tardisk entry of the same path.
namespace Kernel.VisorFs
{
    public enum RamNodeKind
    {
        Directory,
        File,
        Symlink,
        Whiteout,
    }

    public sealed class RamNode
    {
        public string Name;                 // never changed while the node is in a directory (its index hashes it)
        public RamNodeKind Kind;
        public int Mode;
        public long ModificationTime;       // Unix seconds
        public RamNode Parent;
        public int SlotInParent = -1;       // where the parent's RamChildren keeps it
        public Ramdisk Owner;               // the ramdisk whose pool and file table this inode uses

        // Directories.
        public RamChildren Children;
        public bool Opaque;                 // made over a whiteout: the tardisk directory below stays hidden

        // Files: data in pages (their direct-map addresses), Size bytes of it valid.
        public ulong[] Pages;
        public int PageCount;
        public long Size;

        public string LinkTarget;
        public int OpenCount;
        public bool Unlinked;               // removed while open: no name any more, freed at the last close

        // A mount point: the directory whose contents are this volume's (the walk forwards below it).
        public MountedVolume Volume;

        public bool IsDirectory => Kind == RamNodeKind.Directory;

        /// <summary>The live (non-whiteout or whiteout) child named <paramref name="name"/>, or null.</summary>
        public RamNode FindChild(string name) => Children?.Find(name);

        public FileKind FileKind => Kind switch
        {
            RamNodeKind.Directory => FileKind.Directory,
            RamNodeKind.File => FileKind.File,
            RamNodeKind.Symlink => FileKind.Symlink,
            _ => FileKind.None,
        };
    }
}
