// LinuxError.cs -- the Linux errno values system calls return negated (asm-generic/errno-base.h and errno.h). VisorFS
// errors use the same numbers, so an Errno converts by value.
using Kernel.VisorFs;

namespace Kernel.User
{
    public static class LinuxError
    {
        public const long EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10, EAGAIN = 11,
            ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20,
            EISDIR = 21, EINVAL = 22, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
            EPIPE = 32, ERANGE = 34, ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40;

        /// <summary>A VisorFS result as a system call's result: 0, or -errno.</summary>
        public static long From(Errno e) => -(long)(int)e;
    }
}
