// FileOpener.cs -- openat's path side: the /dev nodes, then VisorFS. O_CREAT makes a ramdisk file (or a file on a
// FAT volume) with mode & ~umask; opening for writing copies a tardisk file up into its ramdisk first (with its
// data, unless O_TRUNC empties it anyway), so every writable NodeFile is a ramdisk inode or a volume file.
using Kernel.VisorFs;

namespace Kernel.User
{
    public static class FileOpener
    {
        public const int Create = 0x40, Exclusive = 0x80, Truncate = 0x200, Directory = 0x10000, NoFollow = 0x20000,
            CloseOnExec = 0x80000, PathOnly = 0x200000;

        /// <summary>Opens <paramref name="path"/> relative to <paramref name="cwd"/>; the file, or null with -errno.</summary>
        public static UserFile Open(string cwd, string path, int flags, int mode, int umask, IUserOutput console, out long error)
        {
            error = 0;
            int access = flags & UserFile.AccessMask;
            int status = access | (flags & (UserFile.Append | UserFile.NonBlock));
            UserFile device = DeviceNodes.Open(FsPath.Absolute(cwd, path), status, console);
            if (device != null)
                return device;
            if (Proc.ProcFs.Lookup(FsPath.Absolute(cwd, path), (flags & NoFollow) == 0, out Proc.ProcNode proc))
            {
                if (proc.Kind != Proc.ProcKind.Link || (flags & NoFollow) != 0)
                    return Proc.ProcFs.Open(proc, flags, out error);
                cwd = "/";   // /proc/PID/exe: the image's file in VisorFS
                path = proc.Target;
            }
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
            {
                error = -LinuxError.ENOENT;
                return null;
            }
            FsLock.Enter();
            try
            {
                Errno e = root.Resolve(cwd, path, (flags & NoFollow) == 0, out FsNode node);
                if (e == Errno.ENOENT && node.Path != null && (flags & Create) != 0)
                {
                    if (path.Length > 0 && path[path.Length - 1] == '/')
                        e = Errno.EISDIR;
                    else
                        e = CreateFile(root, node.Path, mode & ~umask);
                    if (e == Errno.Ok)
                        e = root.LookupExact(node.Path, out node);
                }
                else if (e == Errno.Ok && (flags & (Create | Exclusive)) == (Create | Exclusive))
                {
                    e = Errno.EEXIST;
                }
                if (e != Errno.Ok)
                {
                    error = LinuxError.From(e);
                    return null;
                }
                if (node.IsDirectory)
                {
                    if (access != UserFile.ReadOnly)
                    {
                        error = -LinuxError.EISDIR;
                        return null;
                    }
                    return new DirectoryFile(node, status);
                }
                if ((flags & Directory) != 0)
                {
                    error = -LinuxError.ENOTDIR;
                    return null;
                }
                if (node.Kind == FileKind.Symlink)
                {
                    error = -LinuxError.ELOOP;   // O_NOFOLLOW on a symlink
                    return null;
                }
                if (access != UserFile.ReadOnly)
                {
                    e = PrepareForWriting(root, ref node, (flags & Truncate) != 0);
                    if (e != Errno.Ok)
                    {
                        error = LinuxError.From(e);
                        return null;
                    }
                }
                return new NodeFile(node, status);
            }
            finally
            {
                FsLock.Exit();
            }
        }

        private static Errno CreateFile(VisorFsRoot root, string canonical, int mode)
        {
            if (root.FindMount(canonical, out MountedVolume volume, out string relative))
                return volume.Create(relative);
            return root.CreateFile(canonical, mode, out _);
        }

        // Truncates (O_TRUNC) and makes a tardisk file a ramdisk one; node is what the path is afterwards.
        private static Errno PrepareForWriting(VisorFsRoot root, ref FsNode node, bool truncate)
        {
            if (node.TardiskFile != null || node.TardisksDir)
                return Errno.EROFS;
            if (node.Volume != null)
                return truncate ? node.Volume.Truncate(node.VolumePath, 0) : Errno.Ok;
            if (node.Ram != null && !truncate)
                return Errno.Ok;
            string canonical = node.Path;
            Errno e = root.OpenForWrite("/", canonical, !truncate, out RamNode file, out _);
            if (e != Errno.Ok)
                return e;
            root.MarkModified(file);
            return root.LookupExact(canonical, out node);
        }
    }
}
