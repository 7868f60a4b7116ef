// FileStatus.cs -- what stat reports about a file, independent of the layout: the type and permission bits, the
// size, a stable inode number (VisorFS has none of its own: the canonical path's hash, so the same path gives the
// same number and `ls -i`, `cp`'s same-file check and find's loop detection work), the time, the device number.
using Kernel.VisorFs;

namespace Kernel.User
{
    public struct FileStatus
    {
        public const int TypeFifo = 0x1000, TypeChar = 0x2000, TypeDir = 0x4000, TypeFile = 0x8000, TypeLink = 0xA000;

        public int Mode;           // S_IFMT | permissions
        public long Size;
        public ulong Inode;
        public long ModificationTime;
        public ulong Device;       // st_dev: the file system (FileSystemOf: a ramdisk or volume), 5 devices, 9 pipes
        public ulong RawDevice;    // st_rdev of a device node
        public int Links;

        public static FileStatus Of(FsNode node)
        {
            int type = node.Kind switch
            {
                FileKind.Directory => TypeDir,
                FileKind.Symlink => TypeLink,
                FileKind.CharDevice => TypeChar,
                FileKind.Fifo => TypeFifo,
                _ => TypeFile,
            };
            return new FileStatus
            {
                Mode = type | (node.Mode & FileMode.PermissionMask),
                Size = node.IsDirectory ? 4096 : node.Size,   // a directory's size as ext4 shows one block
                Inode = InodeOf(node.Path),
                ModificationTime = node.ModificationTime,
                Device = FileSystemOf.Find(node, out _, out _),
                Links = node.IsDirectory ? 2 : 1,
            };
        }

        /// <summary>FNV-1a of the path: stable for a path, never 0 (0 means "no inode" to some programs).</summary>
        public static ulong InodeOf(string path)
        {
            ulong hash = 14695981039346656037UL;
            if (path != null)
                for (int i = 0; i < path.Length; i++)
                    hash = (hash ^ path[i]) * 1099511628211UL;
            hash &= 0x7FFFFFFFFFFFFFFFUL;
            return hash == 0 ? 1 : hash;
        }

        /// <summary>d_type for getdents64: DT_REG 8, DT_DIR 4, DT_LNK 10, DT_CHR 2, DT_FIFO 1.</summary>
        public static byte DirentType(FileKind kind) => kind switch
        {
            FileKind.Directory => 4,
            FileKind.Symlink => 10,
            FileKind.CharDevice => 2,
            FileKind.Fifo => 1,
            FileKind.File => 8,
            _ => 0,
        };
    }
}
