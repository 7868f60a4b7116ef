// Syscalls.Stat.cs -- fstat, newfstatat (stat and lstat in glibc) and statx: a FileStatus (Kernel/User/Files) in
// struct stat's or struct statx's layout. AT_EMPTY_PATH with an empty path is the open file itself.
using Kernel.VisorFs;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private static long DoFstat(UserProgram program, int fd, ulong buffer)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            return CopyOutStat(file.Status(), buffer, false);
        }

        private static long DoStatAt(UserProgram program, int dirfd, ulong address, ulong buffer, int flags, bool statx)
        {
            if ((flags & ~(AtSymlinkNoFollow | AtEmptyPath | 0x800 | 0x6000)) != 0)   // AT_NO_AUTOMOUNT, AT_STATX_SYNC_*
                return -EINVAL;
            long e = UserStrings.CopyIn(address, UserStrings.PathMax, out string path);
            if (e != 0)
                return e;
            if (path.Length == 0)
            {
                if ((flags & AtEmptyPath) == 0)
                    return -ENOENT;
                if (dirfd == AtFdCwd)
                    path = ".";
                else
                {
                    UserFile file = FileOf(program, dirfd);
                    return file == null ? -EBADF : CopyOutStat(file.Status(), buffer, statx);
                }
            }
            e = BaseDirectory(program, dirfd, path, out string cwd);
            if (e != 0)
                return e;
            if (DeviceNodes.TryStatus(FsPath.Absolute(cwd, path), out FileStatus device))
                return CopyOutStat(device, buffer, statx);
            bool follow = (flags & AtSymlinkNoFollow) == 0;
            if (Proc.ProcFs.Lookup(FsPath.Absolute(cwd, path), follow, out Proc.ProcNode proc))
            {
                if (proc.Kind != Proc.ProcKind.Link || !follow)
                {
                    e = Proc.ProcFs.Status(proc, out FileStatus procStatus);
                    return e != 0 ? e : CopyOutStat(procStatus, buffer, statx);
                }
                cwd = "/";   // /proc/PID/exe followed: the image's file
                path = proc.Target;
            }
            FsLock.Enter();
            Errno r = VisorFsRoot.Instance.Resolve(cwd, path, (flags & AtSymlinkNoFollow) == 0, out FsNode node);
            FileStatus status = r == Errno.Ok ? FileStatus.Of(node) : default;
            FsLock.Exit();
            if (r != Errno.Ok)
                return Fs(r);
            return CopyOutStat(status, buffer, statx);
        }

        private static long CopyOutStat(FileStatus status, ulong buffer, bool statx)
        {
            byte* b = stackalloc byte[StatLayout.StatxBytes];
            if (statx)
                StatLayout.WriteStatx(status, b);
            else
                StatLayout.WriteStat(status, b);
            ulong length = (ulong)(statx ? StatLayout.StatxBytes : StatLayout.StatBytes);
            return UserMemory.CopyOut(buffer, b, length) ? 0 : -EFAULT;
        }
    }
}
