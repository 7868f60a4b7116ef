// Syscalls.Poll.cs -- poll and ppoll: each file says which of the asked events are ready now (UserFile.Poll); with
// none ready the process sleeps a tick at a time (10 ms) until one is, the timeout passes, or a signal handler is to
// run (-EINTR, whatever SA_RESTART says, as on Linux). Waiting by polling is simple and fine for a console and pipes; a wait queue per file would wake
// sooner. ppoll's signal mask is not applied.
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const short PollNval = 0x20;

        private static long DoPoll(UserProgram program, ulong fds, ulong count, long timeoutMs)
        {
            if (count > FileTable.MaxDescriptors)
                return -EINVAL;
            byte[] entries = new byte[count * 8 + 1];
            fixed (byte* e = entries)
                if (count > 0 && !UserMemory.CopyIn(e, fds, count * 8))
                    return -EFAULT;
            ulong waited = 0;
            while (true)
            {
                int ready = 0;
                fixed (byte* e = entries)
                {
                    for (ulong i = 0; i < count; i++)
                    {
                        int fd = *(int*)(e + i * 8);
                        short events = *(short*)(e + i * 8 + 4);
                        short revents = 0;
                        if (fd >= 0)
                        {
                            UserFile file = FileOf(program, fd);
                            revents = file == null ? PollNval : file.Poll(events);
                        }
                        *(short*)(e + i * 8 + 6) = revents;
                        if (revents != 0)
                            ready++;
                    }
                    if (ready > 0 || timeoutMs == 0 || (timeoutMs > 0 && (long)waited >= timeoutMs))
                        return count == 0 || UserMemory.CopyOut(fds, e, count * 8) ? ready : -EFAULT;
                }
                if (SignalDelivery.MustLeaveWait(program))
                    return -SignalDelivery.ERestartNoHand;   // EINTR after a handler, SA_RESTART or not
                Scheduler.Sleep(10);
                waited += 10;
            }
        }

        private static long DoPpoll(UserProgram program, ulong fds, ulong count, ulong timeout)
        {
            long ms = -1;
            if (timeout != 0)
            {
                long* ts = stackalloc long[2];
                if (!UserMemory.CopyIn(ts, timeout, 16))
                    return -EFAULT;
                if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
                    return -EINVAL;
                ms = ts[0] * 1000 + (ts[1] + 999999) / 1000000;
            }
            return DoPoll(program, fds, count, ms);
        }
    }
}
