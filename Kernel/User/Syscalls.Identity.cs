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

        private static ulong s_randomState;

        private static long DoGetRandom(ulong buffer, ulong length)
        {
            if (length > 256)
                length = 256;
            byte* bytes = stackalloc byte[256];
            ulong state = s_randomState ^ Arch.Cpu.ReadTimestampCounter();
            for (ulong i = 0; i < length; i++)
            {
                state += 0x9E3779B97F4A7C15UL;                 // splitmix64
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                bytes[i] = (byte)(z ^ (z >> 31));
            }
            s_randomState = state;
            return UserMemory.CopyOut(buffer, bytes, length) ? (long)length : -EFAULT;
        }
    }
}
