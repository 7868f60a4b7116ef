// Syscalls.Identity.cs -- what a C library asks at start-up before main: user and group ids (root: userworlds run
// as root, as ESXi's do), resource limits (prlimit64, read-only: the stack is 256 KiB, everything else unlimited),
// set_robust_list (accepted: there are no futexes yet, so nothing ever walks the list) and getrandom (bytes from the
// TSC through a mixing function: unpredictable enough for a hash seed, not for keys).
namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int RlimitStack = 3;
        private const ulong Unlimited = ulong.MaxValue;

        private static long DoPrlimit(int pid, int resource, ulong newLimit, ulong oldLimit)
        {
            if (pid != 0 && pid != Worlds.Scheduler.Current.CartelId)
                return -ESRCH;
            if (resource < 0 || resource > 15)
                return -EINVAL;
            if (newLimit != 0)
                return -EPERM;   // limits are the kernel's to set
            if (oldLimit == 0)
                return 0;
            ulong* limit = stackalloc ulong[2];
            limit[0] = resource == RlimitStack ? UserAddressSpace.StackPages * UserAddressSpace.PageSize : Unlimited;
            limit[1] = limit[0];
            return UserMemory.CopyOut(oldLimit, limit, 16) ? 0 : -EFAULT;
        }

        private static long DoGetRandom(ulong buffer, ulong length)
        {
            if (length > 256)
                length = 256;
            byte* bytes = stackalloc byte[256];
            RandomBytes.Fill(new System.Span<byte>(bytes, (int)length));
            return UserMemory.CopyOut(buffer, bytes, length) ? (long)length : -EFAULT;
        }
    }
}
