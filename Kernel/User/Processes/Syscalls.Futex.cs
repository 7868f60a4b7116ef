// Syscalls.Futex.cs -- futex(2) over FutexTable: FUTEX_WAIT (a relative CLOCK_MONOTONIC timeout), FUTEX_WAIT_BITSET
// (an absolute one, CLOCK_MONOTONIC or with FUTEX_CLOCK_REALTIME the wall clock), FUTEX_WAKE, FUTEX_WAKE_BITSET,
// FUTEX_REQUEUE and FUTEX_CMP_REQUEUE. FUTEX_PRIVATE_FLAG is accepted and changes nothing: every futex is keyed by
// (address space, address), and no page is shared between address spaces (no MAP_SHARED yet).
namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int FutexWait = 0, FutexWake = 1, FutexRequeue = 3, FutexCmpRequeue = 4, FutexWaitBitset = 9,
            FutexWakeBitset = 10, FutexPrivateFlag = 128, FutexClockRealtime = 256;
        private const long ETIMEDOUT = 110;

        private static long DoFutex(UserProgram program, ulong address, int op, uint value, ulong timeout, ulong address2, uint value3)
        {
            UserAddressSpace space = program?.Space;
            if (space == null)
                return -ENOSYS;
            int command = op & ~(FutexPrivateFlag | FutexClockRealtime);
            if ((op & FutexClockRealtime) != 0 && command != FutexWaitBitset)
                return -ENOSYS;   // Linux: the clock flag is only for the absolute waits
            if ((address & 3) != 0)
                return -EINVAL;
            switch (command)
            {
                case FutexWait:
                    return FutexWaitCall(program, address, value, timeout, false, false, 0xFFFFFFFF);
                case FutexWaitBitset:
                    if (value3 == 0)
                        return -EINVAL;
                    return FutexWaitCall(program, address, value, timeout, true, (op & FutexClockRealtime) != 0, value3);
                case FutexWake:
                    return FutexTable.Wake(space, address, ClampCount(value), 0xFFFFFFFF);
                case FutexWakeBitset:
                    if (value3 == 0)
                        return -EINVAL;
                    return FutexTable.Wake(space, address, ClampCount(value), value3);
                case FutexRequeue:
                case FutexCmpRequeue:
                    // The fourth argument is a count here, not a timeout pointer.
                    if ((int)value < 0 || (int)timeout < 0 || (address2 & 3) != 0)
                        return -EINVAL;
                    int r = FutexTable.Requeue(space, address, ClampCount(value), ClampCount((uint)timeout),
                        address2, command == FutexCmpRequeue, value3);
                    return r == -1 ? -LinuxError.EAGAIN : r == -2 ? -EFAULT : r;
                default:
                    return -ENOSYS;
            }
        }

        private static long FutexWaitCall(UserProgram program, ulong address, uint value, ulong timeout, bool absolute, bool realtime, uint bitset)
        {
            ulong ticks = 0;
            if (timeout != 0)
            {
                long* ts = stackalloc long[2];
                if (!UserMemory.CopyIn(ts, timeout, 16))
                    return -EFAULT;
                if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
                    return -EINVAL;
                long nanoseconds = ts[0] * 1000000000L + ts[1];
                if (absolute)
                    nanoseconds -= realtime ? Time.Clock.WallMilliseconds * 1000000L + (long)(Time.Clock.UptimeMicroseconds % 1000) * 1000L
                                            : (long)Time.Clock.UptimeMicroseconds * 1000L;
                if (nanoseconds <= 0)
                    return FutexTimedOutNow(address, value);
                // The scheduler's timeouts are whole ticks: round up, never wake early.
                ulong tickNanoseconds = 1000000000UL / (Time.Clock.TickHz == 0 ? 1000U : Time.Clock.TickHz);
                ticks = ((ulong)nanoseconds + tickNanoseconds - 1) / tickNanoseconds;
            }
            switch (FutexTable.Wait(program, address, value, bitset, ticks))
            {
                case FutexTable.WaitResult.Woken: return 0;
                case FutexTable.WaitResult.ValueDiffers: return -LinuxError.EAGAIN;
                case FutexTable.WaitResult.TimedOut: return -ETIMEDOUT;
                case FutexTable.WaitResult.Interrupted: return -LinuxError.EINTR;
                default: return -EFAULT;
            }
        }

        private static int ClampCount(uint count) => count > int.MaxValue ? int.MaxValue : (int)count;

        // A deadline already past: Linux still checks the word first (EAGAIN beats ETIMEDOUT).
        private static long FutexTimedOutNow(ulong address, uint value)
        {
            uint current;
            if (!UserMemory.CopyIn(&current, address, 4))
                return -EFAULT;
            return current != value ? -LinuxError.EAGAIN : -ETIMEDOUT;
        }
    }
}
