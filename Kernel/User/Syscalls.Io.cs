// Syscalls.Io.cs -- write and writev: fd 1 and 2 go to the program's output (the shell's terminal), copied in
// through UserMemory in small chunks so a bad pointer is -EFAULT and a large write needs no large buffer.
namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int Chunk = 256;

        private static long DoWrite(UserProgram program, int fd, ulong buffer, ulong count)
        {
            if (fd != 1 && fd != 2)
                return -EBADF;
            if (count > int.MaxValue)
                count = int.MaxValue;
            if (!UserMemory.IsUserRange(buffer, count))
                return -EFAULT;
            byte* bytes = stackalloc byte[Chunk];
            char[] text = new char[Chunk];
            ulong done = 0;
            while (done < count)
            {
                int n = count - done < Chunk ? (int)(count - done) : Chunk;
                if (!UserMemory.CopyIn(bytes, buffer + done, (ulong)n))
                    return done > 0 ? (long)done : -EFAULT;
                for (int i = 0; i < n; i++)
                    text[i] = (char)bytes[i];
                program?.Output?.Write(new string(text, 0, n));
                done += (ulong)n;
            }
            return (long)done;
        }

        private static long DoWritev(UserProgram program, int fd, ulong vector, ulong count)
        {
            if (count > 1024)
                return -EINVAL;
            long total = 0;
            ulong* iov = stackalloc ulong[2];
            for (ulong i = 0; i < count; i++)
            {
                if (!UserMemory.CopyIn(iov, vector + i * 16, 16))
                    return total > 0 ? total : -EFAULT;
                long written = DoWrite(program, fd, iov[0], iov[1]);
                if (written < 0)
                    return total > 0 ? total : written;
                total += written;
            }
            return total;
        }
    }
}
