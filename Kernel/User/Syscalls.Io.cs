// Syscalls.Io.cs -- reading and writing through the program's file descriptors: read, write, readv, writev,
// pread64, pwrite64. Data passes through a kernel buffer of at most 16 KiB at a time, copied with UserMemory, so a
// bad pointer is -EFAULT (or the count done so far) and a large transfer needs no large buffer. A short read (the
// end of a file, one console line) ends the call, as on Linux.
using System;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int Chunk = 16384;

        private static UserFile FileOf(UserProgram program, int fd) => program?.Files?.Get(fd);

        // What read and write check first, in Linux's order: the descriptor (-EBADF), then the buffer (-EFAULT); the
        // count is clamped as Linux clamps it (MAX_RW_COUNT, near 2 GiB). 0 when the transfer may start.
        private static long BeginTransfer(UserProgram program, int fd, ulong buffer, ref ulong count, bool write, out UserFile file, out byte[] bounce)
        {
            bounce = null;
            file = FileOf(program, fd);
            if (file == null || !(write ? file.CanWrite : file.CanRead))
                return -EBADF;
            if (count > int.MaxValue)
                count = int.MaxValue;
            if (!UserMemory.IsUserRange(buffer, count))
                return -EFAULT;
            bounce = new byte[count < Chunk ? (int)count : Chunk];
            return 0;
        }

        private static long DoRead(UserProgram program, int fd, ulong buffer, ulong count, long offset = -1)
        {
            long refused = BeginTransfer(program, fd, buffer, ref count, write: false, out UserFile file, out byte[] bounce);
            if (refused != 0)
                return refused;
            ulong done = 0;
            while (done < count)
            {
                int want = count - done < (ulong)bounce.Length ? (int)(count - done) : bounce.Length;
                Span<byte> into = new Span<byte>(bounce, 0, want);
                long n = offset >= 0 ? file.ReadAt(into, offset + (long)done) : file.Read(into);
                if (n < 0)
                    return done > 0 ? (long)done : n;
                fixed (byte* b = bounce)
                    if (n > 0 && !UserMemory.CopyOut(buffer + done, b, (ulong)n))
                        return done > 0 ? (long)done : -EFAULT;
                done += (ulong)n;
                if (n < want || file.IsStream)
                    break;   // a pipe or the terminal: what is there now, never a wait for more
            }
            return (long)done;
        }

        private static long DoWrite(UserProgram program, int fd, ulong buffer, ulong count, long offset = -1)
        {
            long refused = BeginTransfer(program, fd, buffer, ref count, write: true, out UserFile file, out byte[] bounce);
            if (refused != 0)
                return refused;
            ulong done = 0;
            while (done < count)
            {
                int n = count - done < (ulong)bounce.Length ? (int)(count - done) : bounce.Length;
                fixed (byte* b = bounce)
                    if (!UserMemory.CopyIn(b, buffer + done, (ulong)n))
                        return done > 0 ? (long)done : -EFAULT;
                ReadOnlySpan<byte> data = new ReadOnlySpan<byte>(bounce, 0, n);
                long written = offset >= 0 ? file.WriteAt(data, offset + (long)done) : file.Write(data);
                if (written < 0)
                    return done > 0 ? (long)done : written;
                done += (ulong)written;
                if (written < n)
                    break;
            }
            return (long)done;
        }

        // readv and writev: every iovec is read and checked first (a range outside user memory anywhere is -EFAULT
        // before anything moves, as Linux's import_iovec does); then one at a time, a short transfer ends the call.
        private static long DoVector(UserProgram program, int fd, ulong vector, ulong count, bool write)
        {
            if (count > 1024)
                return -EINVAL;
            if (FileOf(program, fd) == null)
                return -EBADF;
            if (count == 0)
                return 0;
            ulong[] iov = new ulong[count * 2];
            fixed (ulong* v = iov)
                if (!UserMemory.CopyIn(v, vector, count * 16))
                    return -EFAULT;
            for (ulong i = 0; i < count; i++)
                if (!UserMemory.IsUserRange(iov[i * 2], iov[i * 2 + 1]))
                    return -EFAULT;
            long total = 0;
            for (ulong i = 0; i < count; i++)
            {
                ulong length = iov[i * 2 + 1];
                if (length == 0)
                    continue;
                long n = write ? DoWrite(program, fd, iov[i * 2], length) : DoRead(program, fd, iov[i * 2], length);
                if (n < 0)
                    return total > 0 ? total : n;
                total += n;
                if ((ulong)n < length)
                    break;
            }
            return total;
        }

        private static long DoPositioned(UserProgram program, int fd, ulong buffer, ulong count, long offset, bool write)
        {
            if (offset < 0)
                return -EINVAL;
            return write ? DoWrite(program, fd, buffer, count, offset) : DoRead(program, fd, buffer, count, offset);
        }
    }
}
