// SignalState.cs -- a process's signal dispositions (rt_sigaction: the handler, its flags, restorer and mask, as the
// program gave them) and its blocked mask (rt_sigprocmask). fork copies them; execve resets caught signals to their
// default, and drops the alternate signal stack. What a signal does when it arrives is SignalActions' job.
namespace Kernel.User
{
    public sealed class SignalState
    {
        public const int Count = 64;
        public const ulong Default = 0, Ignore = 1;

        public readonly ulong[] Handler = new ulong[Count + 1];
        public readonly ulong[] Flags = new ulong[Count + 1];
        public readonly ulong[] Restorer = new ulong[Count + 1];
        public readonly ulong[] Mask = new ulong[Count + 1];
        public ulong Blocked;
        /// <summary>Signals sent while a handler is installed, not yet delivered (SignalDelivery).</summary>
        public ulong Pending;
        /// <summary>sigaltstack: where SA_ONSTACK handlers run (size 0: none).</summary>
        public ulong AltBase, AltSize;
        /// <summary>restart_syscall after an interrupted nanosleep: its deadline (uptime in microseconds) and where
        /// the time left goes if a handler interrupts it again.</summary>
        public ulong RestartDeadlineUs, RestartRemaining;

        public const int MinAltStack = 2048;   // MINSIGSTKSZ

        /// <summary>Linux's on_sig_stack: sp above the base and at most size above it.</summary>
        public bool IsOnAltStack(ulong sp) => AltSize != 0 && sp > AltBase && sp - AltBase <= AltSize;

        /// <summary>stack_t.ss_flags as sigaltstack reports it for a program whose rsp is sp.</summary>
        public int AltFlagsFor(ulong sp) => AltSize == 0 ? SignalDelivery.SsDisable : IsOnAltStack(sp) ? SignalDelivery.SsOnStack : 0;

        /// <summary>sigaltstack's set half: 0 or -errno (EPERM while running on it, EINVAL for bad flags, ENOMEM when small).</summary>
        public long SetAltStack(ulong base_, int flags, ulong size, ulong sp)
        {
            if (IsOnAltStack(sp))
                return -LinuxError.EPERM;
            flags &= ~unchecked((int)0x80000000);   // SS_AUTODISARM: accepted, not applied
            if (flags != 0 && flags != SignalDelivery.SsDisable && flags != SignalDelivery.SsOnStack)
                return -LinuxError.EINVAL;
            if (flags == SignalDelivery.SsDisable)
            {
                AltBase = AltSize = 0;
                return 0;
            }
            if (size < MinAltStack)
                return -LinuxError.ENOMEM;
            AltBase = base_;
            AltSize = size;
            return 0;
        }

        public SignalState CopyForFork()
        {
            var copy = new SignalState { Blocked = Blocked, AltBase = AltBase, AltSize = AltSize };
            for (int i = 0; i <= Count; i++)
            {
                copy.Handler[i] = Handler[i];
                copy.Flags[i] = Flags[i];
                copy.Restorer[i] = Restorer[i];
                copy.Mask[i] = Mask[i];
            }
            return copy;
        }

        /// <summary>execve: the program's handlers are gone with its image; ignored signals stay ignored.</summary>
        public void ResetForExec()
        {
            AltBase = AltSize = 0;
            for (int i = 0; i <= Count; i++)
                if (Handler[i] != Ignore)
                {
                    Handler[i] = Default;
                    Flags[i] = Restorer[i] = Mask[i] = 0;
                }
        }
    }
}
