// Errno.cs -- the POSIX error numbers VisorFS operations return (errors are values), and their strerror text.
namespace Kernel.VisorFs
{
    public enum Errno
    {
        Ok = 0,
        EPERM = 1,
        ENOENT = 2,
        EINTR = 4,
        EIO = 5,
        EBADF = 9,
        ENOMEM = 12,
        EBUSY = 16,
        EEXIST = 17,
        EXDEV = 18,
        ENOTDIR = 20,
        EISDIR = 21,
        EINVAL = 22,
        ENFILE = 23,
        EFBIG = 27,
        ENOSPC = 28,
        EROFS = 30,
        ENAMETOOLONG = 36,
        ENOTEMPTY = 39,
        ELOOP = 40,
    }

    public static class ErrnoText
    {
        /// <summary>The C library's strerror() text, as a Unix shell prints it.</summary>
        public static string Describe(Errno error) => error switch
        {
            Errno.Ok => "Success",
            Errno.EPERM => "Operation not permitted",
            Errno.ENOENT => "No such file or directory",
            Errno.EINTR => "Interrupted system call",
            Errno.EIO => "Input/output error",
            Errno.EBADF => "Bad file descriptor",
            Errno.ENOMEM => "Out of memory",
            Errno.EBUSY => "Device or resource busy",
            Errno.EEXIST => "File exists",
            Errno.EXDEV => "Invalid cross-device link",
            Errno.ENOTDIR => "Not a directory",
            Errno.EISDIR => "Is a directory",
            Errno.EINVAL => "Invalid argument",
            Errno.ENFILE => "Too many open files in system",
            Errno.EFBIG => "File too large",
            Errno.ENOSPC => "No space left on device",
            Errno.EROFS => "Read-only file system",
            Errno.ENAMETOOLONG => "File name too long",
            Errno.ENOTEMPTY => "Directory not empty",
            Errno.ELOOP => "Too many levels of symbolic links",
            _ => "Unknown error",
        };
    }
}
