// Syscalls.Threads.cs -- the per-thread calls: set_tid_address (the word cleared and futex-woken at the thread's
// exit; returns the tid) and set_robust_list (recorded for the thread; Linux's struct robust_list_head is 24 bytes).
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private static long DoSetTidAddress(UserProgram program, ulong address)
        {
            World self = Scheduler.Current;
            UserThread thread = program?.Threads.Find(self);
            if (thread != null)
                thread.ClearTidAddress = address;
            return self.Id;
        }

        private static long DoSetRobustList(UserProgram program, ulong head, ulong length)
        {
            if (length != 24)
                return -EINVAL;
            UserThread thread = program?.Threads.Find(Scheduler.Current);
            if (thread != null)
            {
                thread.RobustListHead = head;
                thread.RobustListLength = length;
            }
            return 0;
        }
    }
}
