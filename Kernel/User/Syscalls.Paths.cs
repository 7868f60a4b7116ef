// Syscalls.Paths.cs -- calls that name files by path: getcwd, chdir, fchdir, mkdirat, unlinkat, renameat2,
// symlinkat, readlinkat, faccessat, umask (and the old forms glibc may still use: mkdir, unlink, rmdir, rename,
// symlink, readlink, access). Paths are relative to the working directory or to an open directory (dirfd); the
// changes themselves are VisorFS's (Kernel/VisorFs), under its lock.
using Kernel.VisorFs;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int AtRemoveDir = 0x200, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000, RenameNoReplace = 1;

        // A path argument: copied in and paired with the directory it is relative to.
        private static long PathArgument(UserProgram program, int dirfd, ulong address, out string cwd, out string path)
        {
            cwd = null;
            long e = UserStrings.CopyIn(address, UserStrings.PathMax, out path);
            if (e != 0)
                return e;
            return BaseDirectory(program, dirfd, path, out cwd);
        }

        private static long Fs(Errno e) => LinuxError.From(e);

        private static long DoGetcwd(UserProgram program, ulong buffer, ulong size)
        {
            string cwd = program.WorkingDirectory;
            if (size < (ulong)cwd.Length + 1)
                return -LinuxError.ERANGE;
            byte* bytes = stackalloc byte[cwd.Length + 1];
            for (int i = 0; i < cwd.Length; i++)
                bytes[i] = (byte)cwd[i];
            bytes[cwd.Length] = 0;
            return UserMemory.CopyOut(buffer, bytes, (ulong)cwd.Length + 1) ? cwd.Length + 1 : -EFAULT;
        }

        private static long DoChdir(UserProgram program, ulong address)
        {
            long e = PathArgument(program, AtFdCwd, address, out string cwd, out string path);
            if (e != 0)
                return e;
            FsLock.Enter();
            Errno r = VisorFsRoot.Instance.Resolve(cwd, path, true, out FsNode node);
            FsLock.Exit();
            if (r != Errno.Ok)
                return Fs(r);
            if (!node.IsDirectory)
                return -LinuxError.ENOTDIR;
            program.WorkingDirectory = node.Path;
            return 0;
        }

        private static long DoFchdir(UserProgram program, int fd)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            if (file is not DirectoryFile)
                return -LinuxError.ENOTDIR;
            program.WorkingDirectory = file.Path;
            return 0;
        }

        private static long DoMkdirAt(UserProgram program, int dirfd, ulong address, int mode)
        {
            long e = PathArgument(program, dirfd, address, out string cwd, out string path);
            if (e != 0)
                return e;
            FsLock.Enter();
            Errno r = VisorFsRoot.Instance.Mkdir(cwd, path, mode & ~program.Umask & FileMode.PermissionMask);
            FsLock.Exit();
            return Fs(r);
        }

        private static long DoUnlinkAt(UserProgram program, int dirfd, ulong address, int flags)
        {
            if ((flags & ~AtRemoveDir) != 0)
                return -EINVAL;
            long e = PathArgument(program, dirfd, address, out string cwd, out string path);
            if (e != 0)
                return e;
            FsLock.Enter();
            Errno r;
            if ((flags & AtRemoveDir) != 0)
            {
                r = VisorFsRoot.Instance.Resolve(cwd, path, false, out FsNode node);
                if (r == Errno.Ok && !node.IsDirectory)
                    r = Errno.ENOTDIR;
                else if (r == Errno.Ok)
                    r = VisorFsRoot.Instance.Rmdir(cwd, path);
            }
            else
            {
                r = VisorFsRoot.Instance.Unlink(cwd, path);
            }
            FsLock.Exit();
            return Fs(r);
        }

        private static long DoRenameAt(UserProgram program, int olddirfd, ulong oldAddress, int newdirfd, ulong newAddress, uint flags)
        {
            if ((flags & ~(uint)RenameNoReplace) != 0)
                return -EINVAL;
            long e = PathArgument(program, olddirfd, oldAddress, out string oldCwd, out string oldPath);
            if (e != 0)
                return e;
            e = PathArgument(program, newdirfd, newAddress, out string newCwd, out string newPath);
            if (e != 0)
                return e;
            FsLock.Enter();
            try
            {
                return Fs(Rename(VisorFsRoot.Instance, oldCwd, oldPath, newCwd, newPath, (flags & RenameNoReplace) != 0));
            }
            finally
            {
                FsLock.Exit();
            }
        }

        // rename(2) over VisorFS's `mv`: an existing target is replaced (a file by a file, an empty directory by a
        // directory), never entered, as mv would enter a directory; the mismatches are Linux's errors.
        private static Errno Rename(VisorFsRoot fs, string oldCwd, string oldPath, string newCwd, string newPath, bool noReplace)
        {
            Errno e = fs.Resolve(oldCwd, oldPath, false, out FsNode from);
            if (e != Errno.Ok)
                return e;
            e = fs.Resolve(newCwd, newPath, false, out FsNode to);
            if (e == Errno.Ok)
            {
                if (to.Path == from.Path)
                    return Errno.Ok;
                if (noReplace)
                    return Errno.EEXIST;
                if (to.IsDirectory && !from.IsDirectory)
                    return Errno.EISDIR;
                if (!to.IsDirectory && from.IsDirectory)
                    return Errno.ENOTDIR;
                e = to.IsDirectory ? fs.Rmdir("/", to.Path) : fs.Unlink("/", to.Path);
                if (e != Errno.Ok)
                    return e;
            }
            else if (e != Errno.ENOENT || to.Path == null)
            {
                return e;
            }
            return fs.Rename("/", from.Path, to.Path);
        }

        private static long DoSymlinkAt(UserProgram program, ulong targetAddress, int dirfd, ulong linkAddress)
        {
            long e = UserStrings.CopyIn(targetAddress, UserStrings.PathMax, out string target);
            if (e != 0)
                return e;
            e = PathArgument(program, dirfd, linkAddress, out string cwd, out string path);
            if (e != 0)
                return e;
            FsLock.Enter();
            Errno r = VisorFsRoot.Instance.Resolve(cwd, path, false, out _) == Errno.Ok ? Errno.EEXIST : VisorFsRoot.Instance.Symlink(cwd, target, path);
            FsLock.Exit();
            return Fs(r);
        }

        private static long DoReadlinkAt(UserProgram program, int dirfd, ulong address, ulong buffer, ulong size)
        {
            long e = PathArgument(program, dirfd, address, out string cwd, out string path);
            if (e != 0)
                return e;
            if ((long)size <= 0)
                return -EINVAL;
            string target;
            if (Proc.ProcFs.Lookup(FsPath.Absolute(cwd, path), false, out Proc.ProcNode proc))
            {
                if (proc.Kind == Proc.ProcKind.Missing)
                    return -ENOENT;
                if (proc.Kind != Proc.ProcKind.Link)
                    return -EINVAL;
                target = proc.Target ?? "";
            }
            else
            {
                FsLock.Enter();
                Errno r = VisorFsRoot.Instance.Resolve(cwd, path, false, out FsNode node);
                FsLock.Exit();
                if (r != Errno.Ok)
                    return Fs(r);
                if (node.Kind != FileKind.Symlink)
                    return -EINVAL;
                target = node.LinkTarget ?? "";
            }
            int n = (ulong)target.Length < size ? target.Length : (int)size;
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++)
                bytes[i] = (byte)target[i];
            fixed (byte* b = bytes)
                return UserMemory.CopyOut(buffer, b, (ulong)n) ? n : -EFAULT;
        }

        // Everything is root's and root may do anything but execute a file without an x bit.
        private static long DoAccessAt(UserProgram program, int dirfd, ulong address, int mode)
        {
            if ((mode & ~7) != 0)
                return -EINVAL;
            long e = PathArgument(program, dirfd, address, out string cwd, out string path);
            if (e != 0)
                return e;
            if (DeviceNodes.TryStatus(FsPath.Absolute(cwd, path), out _))
                return 0;
            if (Proc.ProcFs.Lookup(FsPath.Absolute(cwd, path), true, out Proc.ProcNode proc))
            {
                if (proc.Kind == Proc.ProcKind.Missing)
                    return -ENOENT;
                if ((mode & 2) != 0 && proc.Kind != Proc.ProcKind.Link)
                    return -LinuxError.EACCES;   // /proc is read-only
                if (proc.Kind != Proc.ProcKind.Link)
                    return (mode & 1) != 0 && proc.Kind == Proc.ProcKind.File ? -LinuxError.EACCES : 0;
                cwd = "/";
                path = proc.Target;
            }
            FsLock.Enter();
            Errno r = VisorFsRoot.Instance.Resolve(cwd, path, true, out FsNode node);
            FsLock.Exit();
            if (r != Errno.Ok)
                return Fs(r);
            if ((mode & 1) != 0 && !node.IsDirectory && (node.Mode & 0x49) == 0)
                return -LinuxError.EACCES;
            return 0;
        }

        private static long DoUmask(UserProgram program, int mask)
        {
            int old = program.Umask;
            program.Umask = mask & 0x1FF;
            return old;
        }
    }
}
