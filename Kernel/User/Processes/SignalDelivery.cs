// SignalDelivery.cs -- running a program's signal handler. A signal sent to a process with a handler installed is
// made pending (SignalActions.Send); at the end of the process's next system call, if it is not blocked, the
// registers the call would return with are saved in a Linux rt_sigframe on the user stack (below the 128-byte red
// zone: the restorer's address, a ucontext with the sigcontext and the blocked mask, a siginfo), and the call
// returns into the handler instead: rdi = signal, rsi = &siginfo, rdx = &ucontext, with the handler's mask blocked.
// The handler's `ret` goes to the C library's restorer (SA_RESTORER), whose rt_sigreturn puts everything back.
// Not saved: the FPU/SSE state (the interrupted point is always a system call, where the C ABI keeps no vector
// register live) -- uc_mcontext.fpregs is NULL. A signal is only seen at a system call's end, so a process that
// never makes one runs its handler late (SIGKILL and default actions act at once).
namespace Kernel.User
{
    public static unsafe class SignalDelivery
    {
        private const ulong SaSiginfo = 4, SaRestorer = 0x04000000, SaNodefer = 0x40000000, SaResethand = 0x80000000;
        private const int UcontextOffset = 8, McontextOffset = UcontextOffset + 40, SigmaskOffset = McontextOffset + 256,
            SiginfoOffset = SigmaskOffset + 8, FrameBytes = SiginfoOffset + 128;
        private const ulong Unblockable = (1UL << (SignalActions.SigKill - 1)) | (1UL << (SignalActions.SigStop - 1));

        public static bool HasDeliverable(UserProgram program) => (program.Signals.Pending & ~program.Signals.Blocked) != 0;

        /// <summary>At a system call's end: the value rax gets (unchanged, or 0 entering a handler).</summary>
        public static long Deliver(UserProgram program, SyscallFrame* frame, long result)
        {
            SignalState s = program.Signals;
            ulong ready = s.Pending & ~s.Blocked;
            int signal = 1;
            while ((ready & (1UL << (signal - 1))) == 0)
                signal++;
            s.Pending &= ~(1UL << (signal - 1));
            ulong handler = s.Handler[signal];
            if (handler == SignalState.Ignore)
                return result;
            if (handler == SignalState.Default)
            {
                if (SignalActions.Terminates(program, signal))
                    SignalActions.Send(Worlds.Scheduler.Current, program, signal);
                return result;
            }
            if ((s.Flags[signal] & SaRestorer) == 0)
            {
                SignalActions.Send(Worlds.Scheduler.Current, program, signal == 11 ? SignalActions.SigKill : 11);
                return result;
            }
            byte* f = stackalloc byte[FrameBytes];
            for (int i = 0; i < FrameBytes; i++)
                f[i] = 0;
            ulong* mc = (ulong*)(f + McontextOffset);
            mc[0] = frame->Arg4; mc[1] = frame->Arg5; mc[2] = frame->Arg3; mc[3] = frame->Rflags;      // r8 r9 r10 r11
            mc[4] = frame->R12; mc[5] = frame->R13; mc[6] = frame->R14; mc[7] = frame->R15;
            mc[8] = frame->Arg0; mc[9] = frame->Arg1; mc[10] = frame->Rbp; mc[11] = frame->Rbx;          // rdi rsi rbp rbx
            mc[12] = frame->Arg2; mc[13] = (ulong)result; mc[14] = frame->Rip; mc[15] = frame->Rsp;      // rdx rax rcx rsp
            mc[16] = frame->Rip; mc[17] = frame->Rflags; mc[18] = 0x2B_0000_0000_0033UL;                 // rip eflags cs..ss
            mc[21] = s.Blocked;                                                                           // oldmask
            *(ulong*)(f + SigmaskOffset) = s.Blocked;
            *(ulong*)f = s.Restorer[signal];
            int* info = (int*)(f + SiginfoOffset);
            info[0] = signal;
            info[2] = 0;   // SI_USER
            info[4] = program.Process.Pid;
            ulong sp = ((frame->Rsp - 128 - FrameBytes) & ~15UL) - 8;   // at entry rsp+8 is 16-aligned, as after a call
            if (!UserMemory.CopyOut(sp, f, FrameBytes))
            {
                SignalActions.Send(Worlds.Scheduler.Current, program, SignalActions.SigKill);   // no stack for it: as Linux's SIGSEGV
                return result;
            }
            if ((s.Flags[signal] & SaNodefer) == 0)
                s.Blocked |= 1UL << (signal - 1);
            s.Blocked = (s.Blocked | s.Mask[signal]) & ~Unblockable;
            if ((s.Flags[signal] & SaResethand) != 0)
                s.Handler[signal] = SignalState.Default;
            frame->Rsp = sp;
            frame->Rip = handler;
            frame->Arg0 = (ulong)signal;
            frame->Arg1 = sp + SiginfoOffset;
            frame->Arg2 = sp + UcontextOffset;
            return 0;
        }

        /// <summary>rt_sigreturn: the registers and mask saved in the frame whose ucontext is at the user's rsp.</summary>
        public static long Return(UserProgram program, SyscallFrame* frame)
        {
            ulong uc = frame->Rsp;
            byte* f = stackalloc byte[FrameBytes];
            if (!UserMemory.CopyIn(f + UcontextOffset, uc, (ulong)(SigmaskOffset + 8 - UcontextOffset)))
            {
                SignalActions.Send(Worlds.Scheduler.Current, program, SignalActions.SigKill);
                return 0;
            }
            ulong* mc = (ulong*)(f + McontextOffset);
            frame->Arg4 = mc[0]; frame->Arg5 = mc[1]; frame->Arg3 = mc[2];
            frame->R12 = mc[4]; frame->R13 = mc[5]; frame->R14 = mc[6]; frame->R15 = mc[7];
            frame->Arg0 = mc[8]; frame->Arg1 = mc[9]; frame->Rbp = mc[10]; frame->Rbx = mc[11];
            frame->Arg2 = mc[12]; frame->Rsp = mc[15]; frame->Rip = mc[16];
            frame->Rflags = (mc[17] & 0xCD5) | 0x202;
            program.Signals.Blocked = *(ulong*)(f + SigmaskOffset) & ~Unblockable;
            return (long)mc[13];
        }
    }
}
