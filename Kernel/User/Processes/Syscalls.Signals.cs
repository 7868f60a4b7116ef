// Syscalls.Signals.cs -- rt_sigaction and rt_sigprocmask keep what the program sets (the kernel's struct sigaction:
// handler, flags, restorer, mask; SIGKILL and SIGSTOP cannot be changed), so a C library and a shell that install
// handlers and block signals run; what a signal then does is SignalActions'. sigaltstack sets where SA_ONSTACK
// handlers run; nanosleep is interruptible (SignalDelivery's restart rules).
namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int SigBlock = 0, SigUnblock = 1, SigSetMask = 2;

        private static long DoSigaction(UserProgram program, int signal, ulong action, ulong oldAction, ulong setSize)
        {
            if (setSize != 8 || signal < 1 || signal > SignalState.Count)
                return -EINVAL;
            SignalState s = program.Signals;
            ulong* old = stackalloc ulong[4];
            old[0] = s.Handler[signal];
            old[1] = s.Flags[signal];
            old[2] = s.Restorer[signal];
            old[3] = s.Mask[signal];
            if (action != 0)
            {
                if (signal == SignalActions.SigKill || signal == SignalActions.SigStop)
                    return -EINVAL;
                ulong* next = stackalloc ulong[4];
                if (!UserMemory.CopyIn(next, action, 32))
                    return -EFAULT;
                s.Handler[signal] = next[0];
                s.Flags[signal] = next[1];
                s.Restorer[signal] = next[2];
                s.Mask[signal] = next[3];
            }
            if (oldAction != 0 && !UserMemory.CopyOut(oldAction, old, 32))
                return -EFAULT;
            return 0;
        }

        private static long DoSigprocmask(UserProgram program, int how, ulong set, ulong oldSet, ulong setSize)
        {
            if (setSize != 8)
                return -EINVAL;
            SignalState s = program.Signals;
            ulong old = s.Blocked;
            if (set != 0)
            {
                ulong mask;
                if (!UserMemory.CopyIn(&mask, set, 8))
                    return -EFAULT;
                const ulong unblockable = (1UL << (SignalActions.SigKill - 1)) | (1UL << (SignalActions.SigStop - 1));
                switch (how)
                {
                    case SigBlock: s.Blocked |= mask; break;
                    case SigUnblock: s.Blocked &= ~mask; break;
                    case SigSetMask: s.Blocked = mask; break;
                    default: return -EINVAL;
                }
                s.Blocked &= ~unblockable;
            }
            if (oldSet != 0 && !UserMemory.CopyOut(oldSet, &old, 8))
                return -EFAULT;
            return 0;
        }

        private static long DoPipe(UserProgram program, ulong fds, int flags)
        {
            if ((flags & ~(FileOpener.CloseOnExec | UserFile.NonBlock | 0x4000 /* O_DIRECT */)) != 0)
                return -EINVAL;
            PipeFile.Create(flags, out PipeFile reader, out PipeFile writer);
            bool closeOnExec = (flags & FileOpener.CloseOnExec) != 0;
            long r = program.Files.Add(reader, closeOnExec);
            if (r < 0)
            {
                writer.Release();
                return r;
            }
            long w = program.Files.Add(writer, closeOnExec);
            if (w < 0)
            {
                program.Files.Close((int)r);
                return w;
            }
            int* pair = stackalloc int[2];
            pair[0] = (int)r;
            pair[1] = (int)w;
            if (!UserMemory.CopyOut(fds, pair, 8))
            {
                program.Files.Close((int)r);
                program.Files.Close((int)w);
                return -EFAULT;
            }
            return 0;
        }

        // nanosleep and clock_nanosleep (relative, or TIMER_ABSTIME on the monotonic clock): the world sleeps, 10 ms at
        // a time so that a signal's handler interrupts it (SleepUntil).
        private static long DoNanosleep(UserProgram program, ulong request, ulong remaining, int flags, int clock)
        {
            long* ts = stackalloc long[2];
            if (!UserMemory.CopyIn(ts, request, 16))
                return -EFAULT;
            if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
                return -EINVAL;
            long nanoseconds = ts[0] * 1000000000L + ts[1];
            bool absolute = (flags & 1) != 0;
            if (absolute)
            {
                long now = clock == 0 ? Time.Clock.WallMilliseconds * 1000000L : (long)Time.Clock.UptimeMicroseconds * 1000L;
                nanoseconds -= now;
            }
            ulong deadline = Time.Clock.UptimeMicroseconds + (nanoseconds > 0 ? (ulong)((nanoseconds + 999) / 1000) : 0);
            return SleepUntil(program, deadline, absolute ? 0 : remaining, absolute);
        }

        // restart_syscall: the rest of a nanosleep a signal interrupted without running a handler (a stop, an
        // ignored signal), which Linux restarts with the time that was left.
        private static long DoRestartSleep(UserProgram program) =>
            SleepUntil(program, program.Signals.RestartDeadlineUs, program.Signals.RestartRemaining, false);

        // Interrupted by a handler to run: the time left goes to *remaining (relative sleeps; Linux's
        // -ERESTART_RESTARTBLOCK, so the handler's program sees EINTR) or the sleep restarts whole (absolute ones).
        private static long SleepUntil(UserProgram program, ulong deadlineUs, ulong remaining, bool absolute)
        {
            while (true)
            {
                ulong now = Time.Clock.UptimeMicroseconds;
                if (now >= deadlineUs)
                    return 0;
                if (SignalDelivery.MustLeaveWait(program))
                {
                    if (absolute)
                        return -SignalDelivery.ERestartNoHand;
                    ulong left = deadlineUs - now;
                    long* ts = stackalloc long[2];
                    ts[0] = (long)(left / 1000000);
                    ts[1] = (long)(left % 1000000) * 1000;
                    if (remaining != 0 && !UserMemory.CopyOut(remaining, ts, 16))
                        return -EFAULT;
                    program.Signals.RestartDeadlineUs = deadlineUs;
                    program.Signals.RestartRemaining = remaining;
                    return -SignalDelivery.ERestartRestartBlock;
                }
                ulong ms = (deadlineUs - now + 999) / 1000;
                Worlds.Scheduler.Sleep(ms < 10 ? ms : 10);
            }
        }

        // sigaltstack: the old stack_t (ss_sp, ss_flags, ss_size) is read before the new one is set, as Linux does.
        private static long DoSigaltstack(UserProgram program, ulong stack, ulong oldStack, ulong userSp)
        {
            SignalState s = program.Signals;
            ulong* current = stackalloc ulong[3];
            current[0] = s.AltBase;
            current[1] = (uint)s.AltFlagsFor(userSp);
            current[2] = s.AltSize;
            if (stack != 0)
            {
                ulong* next = stackalloc ulong[3];
                if (!UserMemory.CopyIn(next, stack, 24))
                    return -EFAULT;
                long r = s.SetAltStack(next[0], (int)next[1], next[2], userSp);
                if (r < 0)
                    return r;
            }
            if (oldStack != 0 && !UserMemory.CopyOut(oldStack, current, 24))
                return -EFAULT;
            return 0;
        }
    }
}
