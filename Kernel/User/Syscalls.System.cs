// Syscalls.System.cs -- uname, arch_prctl (the FS base for TLS) and clock_gettime.
namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int ArchSetFs = 0x1002, ArchGetFs = 0x1003;
        private const uint FsBaseMsr = 0xC0000100;
        private const int ClockRealtime = 0, ClockMonotonic = 1, ClockProcessCpu = 2, ClockThreadCpu = 3, ClockMonotonicRaw = 4, ClockBoottime = 7;
        private const int UtsField = 65;

        private static long DoUname(ulong buffer)
        {
            byte* uts = stackalloc byte[UtsField * 6];
            for (int i = 0; i < UtsField * 6; i++)
                uts[i] = 0;
            Field(uts, 0, "VMkernel");
            Field(uts, 1, Kernel.Init.KernelMain.Options?.Get("hostname") ?? "localhost");
            Field(uts, 2, KernelVersion.Version);
            Field(uts, 3, string.Concat("#1 SMP Release build-", KernelVersion.Build));
            Field(uts, 4, "x86_64");
            Field(uts, 5, "(none)");
            return UserMemory.CopyOut(buffer, uts, UtsField * 6) ? 0 : -EFAULT;
        }

        private static void Field(byte* uts, int index, string text)
        {
            text ??= "";
            for (int i = 0; i < text.Length && i < UtsField - 1; i++)
                uts[index * UtsField + i] = (byte)text[i];
        }

        private static long DoArchPrctl(int code, ulong address)
        {
            Worlds.World self = Worlds.Scheduler.Current;
            if (code == ArchSetFs)
            {
                if (address >= Kernel.Memory.Paging.UserSpaceEnd)
                    return -EPERM;
                self.UserFsBase = address;
                Arch.Cpu.WriteMsr(FsBaseMsr, address);
                return 0;
            }
            if (code == ArchGetFs)
            {
                ulong value = self.UserFsBase;
                return UserMemory.CopyOut(address, &value, 8) ? 0 : -EFAULT;
            }
            return -EINVAL;
        }

        private static long DoClockGetTime(int clock, ulong timespec)
        {
            ulong nanoseconds;
            switch (clock)
            {
                case ClockRealtime:
                    nanoseconds = (ulong)Time.Clock.WallMilliseconds * 1000000UL + Time.Clock.UptimeMicroseconds % 1000 * 1000;
                    break;
                case ClockMonotonic:
                case ClockMonotonicRaw:
                case ClockBoottime:
                    nanoseconds = Time.Clock.UptimeMicroseconds * 1000;
                    break;
                case ClockProcessCpu:
                case ClockThreadCpu:
                    ulong hz = Time.Clock.TscHz;
                    ulong cycles = Worlds.Scheduler.Current.RunCycles;
                    nanoseconds = hz == 0 ? 0 : cycles / hz * 1000000000UL + cycles % hz * 1000000000UL / hz;
                    break;
                default:
                    return -EINVAL;
            }
            ulong* ts = stackalloc ulong[2];
            ts[0] = nanoseconds / 1000000000UL;
            ts[1] = nanoseconds % 1000000000UL;
            return UserMemory.CopyOut(timespec, ts, 16) ? 0 : -EFAULT;
        }

        // time(2): the wall clock's seconds, also stored through the pointer when one is given.
        private static long DoTime(ulong address)
        {
            long seconds = Time.Clock.WallMilliseconds / 1000;
            if (address != 0 && !UserMemory.CopyOut(address, &seconds, 8))
                return -EFAULT;
            return seconds;
        }
    }
}
