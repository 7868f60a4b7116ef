// Syscalls.Statfs.cs -- statfs and fstatfs (busybox df, stat -f): the space of the file system a path lives on, in
// struct statfs's x86-64 layout (120 bytes: type, block size, blocks, free, available, files, free files, fsid,
// name length, fragment size, mount flags, 4 spare). A path on a FAT volume reports that volume (vfat's magic); a
// VisorFS path reports the ramdisk whose mount point is its longest prefix (a memory pool with a limit: tmpfs's
// magic, the nearest Linux file system), whose blocks are its limit; /proc reports proc's magic and no blocks.
using Kernel.VisorFs;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const long TmpfsMagic = 0x01021994, MsdosMagic = 0x4d44, ProcMagic = 0x9fa0;
        private const long StatfsReadOnly = 1, StatfsValid = 0x20;   // ST_RDONLY, ST_VALID
        private const int StatfsBytes = 120;
        private const long SpaceBlock = 4096;

        private struct FsSpace
        {
            public long Type, TotalBytes, FreeBytes, Files, FreeFiles, Flags;
            public int Id;
        }

        private static long DoStatfs(UserProgram program, ulong address, ulong buffer)
        {
            long e = UserStrings.CopyIn(address, UserStrings.PathMax, out string path);
            if (e != 0)
                return e;
            if (path.Length == 0)
                return -ENOENT;
            e = BaseDirectory(program, AtFdCwd, path, out string cwd);
            if (e != 0)
                return e;
            return SpaceOfPath(FsPath.Absolute(cwd, path), buffer);
        }

        private static long DoFstatfs(UserProgram program, int fd, ulong buffer)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            // Pipes, the console and /dev nodes have no path: they live on the root's file system, as far as df cares.
            return SpaceOfPath(file.Path ?? "/", buffer);
        }

        private static long SpaceOfPath(string absolute, ulong buffer)
        {
            var space = new FsSpace();
            if (Proc.ProcPath.Parts(absolute) != null)
            {
                if (!Proc.ProcFs.Lookup(absolute, true, out Proc.ProcNode proc) || proc.Kind == Proc.ProcKind.Missing)
                    return -ENOENT;
                space.Type = ProcMagic;
                space.Flags = StatfsReadOnly;
                space.Id = 1;
                return CopyOutStatfs(space, buffer);
            }
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
                return -ENOENT;
            FsLock.Enter();
            Errno r = root.Resolve("/", absolute, true, out FsNode node);
            if (r == Errno.Ok)
            {
                ulong device = FileSystemOf.Find(node, out Ramdisk disk, out MountedVolume volume);
                space = volume != null ? VolumeSpace(volume) : disk != null ? RamdiskSpace(disk) : new FsSpace { Type = TmpfsMagic, Flags = StatfsReadOnly };
                space.Id = (int)device;
            }
            FsLock.Exit();
            return r != Errno.Ok ? Fs(r) : CopyOutStatfs(space, buffer);
        }

        private static FsSpace VolumeSpace(MountedVolume volume) => new FsSpace
        {
            Type = MsdosMagic,
            TotalBytes = (long)volume.TotalBytes,
            FreeBytes = (long)volume.FreeBytes,
            Flags = volume.IsReadOnly ? StatfsReadOnly : 0,
        };

        private static FsSpace RamdiskSpace(Ramdisk disk)
        {
            long used = disk.UsedBytes;
            return new FsSpace
            {
                Type = TmpfsMagic,
                TotalBytes = disk.MaxBytes,
                FreeBytes = disk.MaxBytes > used ? disk.MaxBytes - used : 0,
                Files = disk.MaxInodes,
                FreeFiles = disk.MaxInodes - disk.InodeCount,
            };
        }

        private static long CopyOutStatfs(FsSpace space, ulong buffer)
        {
            long* b = stackalloc long[StatfsBytes / 8];
            for (int i = 0; i < StatfsBytes / 8; i++)
                b[i] = 0;
            b[0] = space.Type;
            b[1] = SpaceBlock;                          // f_bsize
            b[2] = space.TotalBytes / SpaceBlock;       // f_blocks
            b[3] = space.FreeBytes / SpaceBlock;        // f_bfree
            b[4] = space.FreeBytes / SpaceBlock;        // f_bavail: no blocks are kept for root
            b[5] = space.Files;                         // f_files
            b[6] = space.FreeFiles;                     // f_ffree
            b[7] = space.Id;                            // f_fsid: two ints, the second 0
            b[8] = 255;                                 // f_namelen
            b[9] = SpaceBlock;                          // f_frsize
            b[10] = space.Flags | StatfsValid;          // f_flags, marked as filled in
            return UserMemory.CopyOut(buffer, b, StatfsBytes) ? 0 : -EFAULT;
        }
    }
}
