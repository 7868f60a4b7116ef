// Syscalls.Descriptors.cs -- the descriptor table's calls: openat (and open), close, lseek, dup, dup2, dup3,
// fcntl (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL), ftruncate, getdents64, ioctl (the terminal
// requests a C library and a shell make: TCGETS, TCSETS*, TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP, TIOCSCTTY, TIOCGSID (ControllingTerminal); -ENOTTY elsewhere).
using System;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int AtFdCwd = -100;
        private const int FDupFd = 0, FGetFd = 1, FSetFd = 2, FGetFl = 3, FSetFl = 4, FDupFdCloexec = 1030, FdCloexec = 1;

        private static long DoOpenAt(UserProgram program, int dirfd, ulong pathAddress, int flags, int mode)
        {
            long e = UserStrings.CopyIn(pathAddress, UserStrings.PathMax, out string path);
            if (e != 0)
                return e;
            if (path.Length == 0)
                return -ENOENT;
            e = BaseDirectory(program, dirfd, path, out string cwd);
            if (e != 0)
                return e;
            UserFile file = FileOpener.Open(cwd, path, flags, mode, program.Umask, program.Output, out long error);
            if (file == null)
                return error;
            return program.Files.Add(file, (flags & FileOpener.CloseOnExec) != 0);
        }

        /// <summary>The directory a relative path starts from: the working directory (AT_FDCWD) or an open directory.</summary>
        private static long BaseDirectory(UserProgram program, int dirfd, string path, out string cwd)
        {
            cwd = program.WorkingDirectory;
            if (path.Length > 0 && path[0] == '/' || dirfd == AtFdCwd)
                return 0;
            UserFile dir = FileOf(program, dirfd);
            if (dir == null)
                return -EBADF;
            if (dir is not DirectoryFile && dir is not Proc.ProcDirectoryFile)
                return -LinuxError.ENOTDIR;
            cwd = dir.Path;   // a /proc directory too: openat(/proc/PID fd, "stat") reaches ProcFs by the absolute path
            return 0;
        }

        private static long DoClose(UserProgram program, int fd) => program.Files.Close(fd);

        private static long DoLseek(UserProgram program, int fd, long offset, int whence)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            return whence < 0 || whence > 2 ? -EINVAL : file.Seek(offset, whence);
        }

        private static long DoDup(UserProgram program, int fd, int lowest, bool closeOnExec)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            if (lowest < 0 || lowest >= FileTable.MaxDescriptors)
                return -EINVAL;
            return program.Files.Add(file.Share(), closeOnExec, lowest);
        }

        private static long DoDup3(UserProgram program, int fd, int target, int flags, bool isDup2)
        {
            UserFile file = FileOf(program, fd);
            if (file == null || (uint)target >= FileTable.MaxDescriptors)
                return -EBADF;
            if (fd == target)
                return isDup2 ? target : -EINVAL;
            if ((flags & ~FileOpener.CloseOnExec) != 0)
                return -EINVAL;
            program.Files.Replace(target, file.Share(), (flags & FileOpener.CloseOnExec) != 0);
            return target;
        }

        private static long DoFcntl(UserProgram program, int fd, int command, ulong argument)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            switch (command)
            {
                case FDupFd: return DoDup(program, fd, (int)argument, false);
                case FDupFdCloexec: return DoDup(program, fd, (int)argument, true);
                case FGetFd: return program.Files.CloseOnExec(fd) ? FdCloexec : 0;
                case FSetFd:
                    program.Files.SetCloseOnExec(fd, (argument & FdCloexec) != 0);
                    return 0;
                case FGetFl: return file.StatusFlags;
                case FSetFl:
                    const int changeable = UserFile.Append | UserFile.NonBlock;
                    file.StatusFlags = (file.StatusFlags & ~changeable) | ((int)argument & changeable);
                    return 0;
                default: return -EINVAL;
            }
        }

        private static long DoFtruncate(UserProgram program, int fd, long size)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            return file.Truncate(size);
        }

        private static long DoGetdents(UserProgram program, int fd, ulong buffer, ulong count)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            if (file is not DirectoryFile && file is not Proc.ProcDirectoryFile)
                return -LinuxError.ENOTDIR;   // before the buffer is looked at, as Linux's iterate_dir
            if (count > 65536)
                count = 65536;
            if (!UserMemory.IsUserRange(buffer, count))
                return -EFAULT;
            byte[] records = new byte[count];
            long n = file.ReadDirectory(records);
            if (n <= 0)
                return n;
            fixed (byte* r = records)
                return UserMemory.CopyOut(buffer, r, (ulong)n) ? n : -EFAULT;
        }

        private const uint TcGets = 0x5401, TcSets = 0x5402, TcSetsw = 0x5403, TcSetsf = 0x5404, TiocGpgrp = 0x540F,
            TiocSpgrp = 0x5410, TiocGwinsz = 0x5413, TiocSctty = 0x540E, TiocNotty = 0x5422, TiocGsid = 0x5429;

        private static long DoIoctl(UserProgram program, int fd, uint request, ulong argument)
        {
            UserFile file = FileOf(program, fd);
            if (file == null)
                return -EBADF;
            if (!file.IsTerminal)
                return -LinuxError.ENOTTY;
            switch (request)
            {
                case TcGets:
                    byte* termios = stackalloc byte[36];
                    TerminalSettings.Write(termios);
                    return UserMemory.CopyOut(argument, termios, 36) ? 0 : -EFAULT;
                case TcSets:
                case TcSetsw:
                case TcSetsf:
                    byte* wanted = stackalloc byte[36];
                    if (!UserMemory.CopyIn(wanted, argument, 36))
                        return -EFAULT;
                    TerminalSettings.Read(wanted);   // only the local modes (ICANON, ECHO, ISIG) change
                    return 0;
                case TiocGwinsz:
                    ushort* size = stackalloc ushort[4];
                    size[0] = 25;
                    size[1] = 80;
                    size[2] = size[3] = 0;
                    return UserMemory.CopyOut(argument, size, 8) ? 0 : -EFAULT;
                case TiocGpgrp:
                    int group = ControllingTerminal.ForegroundFor(program);
                    return UserMemory.CopyOut(argument, &group, 4) ? 0 : -EFAULT;
                case TiocSpgrp:
                    int foreground;
                    if (!UserMemory.CopyIn(&foreground, argument, 4))
                        return -EFAULT;
                    return ControllingTerminal.SetForeground(program, foreground);
                case TiocSctty:
                    ControllingTerminal.Attach(program);
                    return 0;
                case TiocNotty:
                    return 0;
                case TiocGsid:
                    int session = ControllingTerminal.Session;
                    if (session == 0)
                        return -LinuxError.ENOTTY;
                    return UserMemory.CopyOut(argument, &session, 4) ? 0 : -EFAULT;
                default:
                    return -LinuxError.ENOTTY;
            }
        }
    }
}
