// SignalDelivery.cs -- running a program's signal handler. A signal sent to a process with a handler installed is
// made pending (SignalActions.Send) and runs on the process's next return to ring 3: at the end of a system call
// (Syscalls.Dispatch) or after an interrupt that preempted user code (the timer: a `while(1);` gets its handler
// within a tick). The interrupted registers go into a Linux rt_sigframe on the user stack -- below the 128-byte red
// zone, or on the sigaltstack with SA_ONSTACK -- with the FPU/SSE state (the fxsave area the entry code saved) in a
// 64-byte aligned _fpstate above it, pointed to by uc_mcontext.fpstate; the handler starts with rdi = signal, rsi =
// &siginfo, rdx = &ucontext, the handler's mask blocked and a clean FPU (Linux's init state), and its `ret` goes to
// the C library's restorer (SA_RESTORER), whose rt_sigreturn puts everything back (every register: Syscalls
// leaves by iretq then, SyscallFrame.FullRestore).
//
// A system call that blocked and was woken by the signal returns one of Linux's restart codes (never seen by the
// program): -ERESTARTSYS restarts it after a handler with SA_RESTART and is -EINTR after one without;
// -ERESTARTNOHAND and -ERESTART_RESTARTBLOCK are -EINTR after any handler; -ERESTARTNOINTR always restarts; with
// no handler to run (the signal was ignored meanwhile) every code restarts. Restarting is rip -= 2 (the `syscall`
// instruction) and rax = the number again; ERESTART_RESTARTBLOCK restarts as restart_syscall (nanosleep's rest).
using Kernel.Interrupts;
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe class SignalDelivery
    {
        public const long ERestartSys = 512, ERestartNoIntr = 513, ERestartNoHand = 514, ERestartRestartBlock = 516;
        private const long RestartSyscallNumber = 219;

        private const ulong SaRestart = 0x10000000, SaOnStack = 0x08000000, SaRestorer = 0x04000000, SaNodefer = 0x40000000,
            SaResethand = 0x80000000;
        // struct rt_sigframe: the restorer's address (the handler's return address), struct ucontext (uc_flags,
        // uc_link, uc_stack, uc_mcontext = struct sigcontext_64, uc_sigmask), struct siginfo.
        private const int UcontextOffset = 8, UcStackOffset = UcontextOffset + 16, McontextOffset = UcontextOffset + 40,
            SigmaskOffset = McontextOffset + 256, SiginfoOffset = SigmaskOffset + 8, FrameBytes = SiginfoOffset + 128;
        public const int FpuBytes = 512;   // the fxsave64 image (Linux's struct _fpstate without XSAVE extensions)
        private const int Gregs = 32;     // sigcontext_64 as 32 quadwords
        private const int R8 = 0, R9 = 1, R10 = 2, R11 = 3, R12 = 4, R13 = 5, R14 = 6, R15 = 7, Rdi = 8, Rsi = 9,
            Rbp = 10, Rbx = 11, Rdx = 12, Rax = 13, Rcx = 14, Rsp = 15, Rip = 16, Eflags = 17, Segments = 18,
            OldMask = 21, FpState = 23;
        private const ulong Unblockable = (1UL << (SignalActions.SigKill - 1)) | (1UL << (SignalActions.SigStop - 1));
        public const int SsOnStack = 1, SsDisable = 2;

        public static bool HasDeliverable(UserProgram program) => (program.Signals.Pending & ~program.Signals.Blocked) != 0;

        /// <summary>Whether an interruptible wait must end (with a restart code): a handler to run, or a stop.</summary>
        public static bool MustLeaveWait(UserProgram program) => HasDeliverable(program) || program.Process.Stopped;

        /// <summary>MustLeaveWait for the running process.</summary>
        public static bool CurrentInterrupted() => Scheduler.Current?.UserState is UserProgram p && MustLeaveWait(p);

        public static bool IsRestartCode(long result) =>
            result == -ERestartSys || result == -ERestartNoIntr || result == -ERestartNoHand || result == -ERestartRestartBlock;

        /// <summary>At a system call's end: applies the restart rules and enters a pending handler; returns rax.</summary>
        public static long AtSyscallEnd(UserProgram program, SyscallFrame* frame, byte* fpu, long result)
        {
            JobControl.WaitWhileStopped(program);
            int signal = TakeHandled(program, false);
            bool fullRestore = frame->Number == SyscallFrame.FullRestore;   // after rt_sigreturn: rax, rcx, r11 are the program's
            if (!fullRestore && IsRestartCode(result))
            {
                bool restart = signal == 0 || result == -ERestartNoIntr ||
                    (result == -ERestartSys && (program.Signals.Flags[signal] & SaRestart) != 0);
                if (restart)
                {
                    frame->Rip -= 2;
                    result = result == -ERestartRestartBlock ? RestartSyscallNumber : (long)frame->Number;
                }
                else
                {
                    result = -LinuxError.EINTR;
                }
            }
            if (signal == 0)
                return result;
            ulong* mc = stackalloc ulong[Gregs];
            mc[R8] = frame->Arg4; mc[R9] = frame->Arg5; mc[R10] = frame->Arg3; mc[R11] = fullRestore ? frame->R11 : frame->Rflags;
            mc[R12] = frame->R12; mc[R13] = frame->R13; mc[R14] = frame->R14; mc[R15] = frame->R15;
            mc[Rdi] = frame->Arg0; mc[Rsi] = frame->Arg1; mc[Rbp] = frame->Rbp; mc[Rbx] = frame->Rbx;
            mc[Rdx] = frame->Arg2; mc[Rax] = (ulong)result; mc[Rcx] = fullRestore ? frame->Rcx : frame->Rip; mc[Rsp] = frame->Rsp;
            mc[Rip] = frame->Rip; mc[Eflags] = frame->Rflags;
            if (!EnterHandler(program, signal, mc, fpu, false))
                return result;
            frame->Rip = mc[Rip];
            frame->Rsp = mc[Rsp];
            frame->Arg0 = mc[Rdi];
            frame->Arg1 = mc[Rsi];
            frame->Arg2 = mc[Rdx];
            return 0;
        }

        /// <summary>The interrupt path's hook (InterruptDispatch): before iretq to ring 3, a pending handler runs.</summary>
        public static void AtInterruptReturn(InterruptFrame* frame)
        {
            if ((frame->Cs & 3) != 3 || !(Scheduler.Current?.UserState is UserProgram program) || !MustLeaveWait(program))
                return;
            JobControl.WaitWhileStopped(program);   // a stop sent to a process running user code
            int signal = TakeHandled(program, true);
            if (signal == 0)
                return;
            ulong* mc = stackalloc ulong[Gregs];
            mc[R8] = frame->R8; mc[R9] = frame->R9; mc[R10] = frame->R10; mc[R11] = frame->R11;
            mc[R12] = frame->R12; mc[R13] = frame->R13; mc[R14] = frame->R14; mc[R15] = frame->R15;
            mc[Rdi] = frame->Rdi; mc[Rsi] = frame->Rsi; mc[Rbp] = frame->Rbp; mc[Rbx] = frame->Rbx;
            mc[Rdx] = frame->Rdx; mc[Rax] = frame->Rax; mc[Rcx] = frame->Rcx; mc[Rsp] = frame->Rsp;
            mc[Rip] = frame->Rip; mc[Eflags] = frame->Rflags;
            // isr_common (Kernel/Boot/isr.asm) aligns the stack below the frame down to 16 and fxsaves 512 bytes there.
            byte* fpu = (byte*)(((ulong)frame & ~15UL) - FpuBytes);
            if (!EnterHandler(program, signal, mc, fpu, true))
                return;
            frame->Rip = mc[Rip];
            frame->Rsp = mc[Rsp];
            frame->Rdi = mc[Rdi];
            frame->Rsi = mc[Rsi];
            frame->Rdx = mc[Rdx];
            frame->Rax = 0;
        }

        // The lowest deliverable signal that has a handler (0: none); ignored ones are dropped, default ones act.
        private static int TakeHandled(UserProgram program, bool inInterrupt)
        {
            SignalState s = program.Signals;
            while (true)
            {
                ulong ready = s.Pending & ~s.Blocked;
                if (ready == 0)
                    return 0;
                int signal = 1;
                while ((ready & (1UL << (signal - 1))) == 0)
                    signal++;
                s.Pending &= ~(1UL << (signal - 1));
                ulong handler = s.Handler[signal];
                if (handler == SignalState.Ignore)
                    continue;
                if (handler == SignalState.Default)
                {
                    // The handler was reset (SA_RESETHAND, sigaction) after the signal was made pending.
                    if (SignalActions.Terminates(program, signal))
                        Kill(program, signal, inInterrupt);
                    continue;
                }
                if ((s.Flags[signal] & SaRestorer) == 0)
                {
                    Kill(program, signal == 11 ? SignalActions.SigKill : 11, inInterrupt);
                    continue;
                }
                return signal;
            }
        }

        // In an interrupt handler the world is ended without closing its files here (the reaper closes them).
        private static void Kill(UserProgram program, int signal, bool inInterrupt)
        {
            if (inInterrupt)
                Scheduler.Kill(Scheduler.Current, -signal);
            else
                SignalActions.Send(Scheduler.Current, program, signal);
        }

        // Writes the frame for <signal> and points mc at the handler; false when the process was killed instead.
        private static bool EnterHandler(UserProgram program, int signal, ulong* mc, byte* fpu, bool inInterrupt)
        {
            SignalState s = program.Signals;
            ulong handler = s.Handler[signal];
            ulong userSp = mc[Rsp];
            bool onAltStack = s.IsOnAltStack(userSp);
            ulong sp = (s.Flags[signal] & SaOnStack) != 0 && s.AltSize != 0 && !onAltStack ? s.AltBase + s.AltSize : userSp - 128;
            ulong fpAddress = (sp - FpuBytes) & ~63UL;
            ulong frameAddress = ((fpAddress - FrameBytes) & ~15UL) - 8;   // at entry rsp+8 is 16-aligned, as after a call
            byte* f = stackalloc byte[FrameBytes];
            for (int i = 0; i < FrameBytes; i++)
                f[i] = 0;
            *(ulong*)f = s.Restorer[signal];
            ulong* stack = (ulong*)(f + UcStackOffset);
            stack[0] = s.AltBase;
            stack[1] = (ulong)s.AltFlagsFor(userSp);
            stack[2] = s.AltSize;
            ulong* saved = (ulong*)(f + McontextOffset);
            for (int i = 0; i < Gregs; i++)
                saved[i] = mc[i];
            saved[Segments] = 0x2B_0000_0000_0033UL;   // cs, gs, fs, ss
            saved[OldMask] = s.Blocked;
            saved[FpState] = fpAddress;
            *(ulong*)(f + SigmaskOffset) = s.Blocked;
            int* info = (int*)(f + SiginfoOffset);
            info[0] = signal;
            info[2] = 0;   // SI_USER
            info[4] = program.Process.Pid;
            if (!UserMemory.CopyOut(fpAddress, fpu, FpuBytes) || !UserMemory.CopyOut(frameAddress, f, FrameBytes))
            {
                Kill(program, SignalActions.SigKill, inInterrupt);   // no stack for the frame: as Linux's forced SIGSEGV
                return false;
            }
            if ((s.Flags[signal] & SaNodefer) == 0)
                s.Blocked |= 1UL << (signal - 1);
            s.Blocked = (s.Blocked | s.Mask[signal]) & ~Unblockable;
            if ((s.Flags[signal] & SaResethand) != 0)
                s.Handler[signal] = SignalState.Default;
            FpuImage.Reset(fpu);
            mc[Rsp] = frameAddress;
            mc[Rip] = handler;
            mc[Rdi] = (ulong)signal;
            mc[Rsi] = frameAddress + SiginfoOffset;
            mc[Rdx] = frameAddress + UcontextOffset;
            return true;
        }

        /// <summary>rt_sigreturn: every register, the FPU state, the mask and the alternate stack saved in the frame
        /// whose ucontext is at the user's rsp. Leaves through iretq (SyscallFrame.FullRestore).</summary>
        public static long Return(UserProgram program, SyscallFrame* frame, byte* fpu)
        {
            ulong uc = frame->Rsp;
            byte* f = stackalloc byte[FrameBytes];
            if (!UserMemory.CopyIn(f + UcontextOffset, uc, (ulong)(SigmaskOffset + 8 - UcontextOffset)))
            {
                SignalActions.Send(Scheduler.Current, program, SignalActions.SigKill);
                return 0;
            }
            ulong* mc = (ulong*)(f + McontextOffset);
            if (mc[FpState] == 0)
            {
                FpuImage.Reset(fpu);
            }
            else
            {
                byte* image = stackalloc byte[FpuBytes];
                if (!UserMemory.CopyIn(image, mc[FpState], FpuBytes))
                {
                    SignalActions.Send(Scheduler.Current, program, SignalActions.SigKill);
                    return 0;
                }
                FpuImage.Load(fpu, image);
            }
            frame->Arg4 = mc[R8]; frame->Arg5 = mc[R9]; frame->Arg3 = mc[R10]; frame->R11 = mc[R11];
            frame->R12 = mc[R12]; frame->R13 = mc[R13]; frame->R14 = mc[R14]; frame->R15 = mc[R15];
            frame->Arg0 = mc[Rdi]; frame->Arg1 = mc[Rsi]; frame->Rbp = mc[Rbp]; frame->Rbx = mc[Rbx];
            frame->Arg2 = mc[Rdx]; frame->Rcx = mc[Rcx]; frame->Rsp = mc[Rsp]; frame->Rip = mc[Rip];
            frame->Rflags = (mc[Eflags] & 0xCD5) | 0x202;
            frame->Number = SyscallFrame.FullRestore;
            program.Signals.Blocked = *(ulong*)(f + SigmaskOffset) & ~Unblockable;
            ulong* stack = (ulong*)(f + UcStackOffset);
            program.Signals.SetAltStack(stack[0], (int)stack[1], stack[2], mc[Rsp]);   // as Linux's restore_altstack: errors ignored
            return (long)mc[Rax];
        }
    }
}
