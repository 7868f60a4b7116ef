// Syscalls.cs -- the Linux x86-64 system calls a static program needs first, dispatched by number from
// k_syscall_entry. Results follow Linux: a value, or -errno. A number not implemented here is -ENOSYS, logged once
// per number so a new program shows what it is missing.
using System;
using System.Runtime.InteropServices;
using Kernel.Logging;
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        public const long EPERM = 1, ENOENT = 2, ESRCH = 3, EBADF = 9, ENOMEM = 12, EFAULT = 14, EINVAL = 22, ENODEV = 19, ENOSYS = 38;

        public const int Read = 0, Write = 1, Mmap = 9, Mprotect = 10, Munmap = 11, Brk = 12, Writev = 20, GetPid = 39,
            Exit = 60, Uname = 63, GetUid = 102, GetGid = 104, GetEuid = 107, GetEgid = 108, GetPpid = 110, ArchPrctl = 158,
            GetTid = 186, TimeCall = 201, SetTidAddress = 218, ClockGetTime = 228, ExitGroup = 231, SetRobustList = 273, Prlimit64 = 302,
            GetRandom = 318, Futex = 202, RtSigreturn = 15;

        private const int MaxNumber = 512;
        private static readonly bool[] s_reported = new bool[MaxNumber];

        [UnmanagedCallersOnly(EntryPoint = "KSyscallDispatch")]
        private static long Dispatch(SyscallFrame* frame, byte* fpu)
        {
            long result;
            try
            {
                UserProgram program = Scheduler.Current.UserState as UserProgram;
                // rt_sigreturn needs the entry's fxsave area (the FPU state comes back from the signal frame).
                result = frame->Number == RtSigreturn && program != null ? SignalDelivery.Return(program, frame, fpu) : Run(frame);
                if (program != null && (SignalDelivery.MustLeaveWait(program) || SignalDelivery.IsRestartCode(result)))
                    result = SignalDelivery.AtSyscallEnd(program, frame, fpu, result);
            }
            catch (OutOfMemoryException)
            {
                // The kernel's bookkeeping for this call is charged to the program's group (GroupHeaps), which is
                // full: the call fails as Linux's would (the memory policy has already logged and chosen a victim).
                result = -ENOMEM;
            }
            catch (Exception e)
            {
                // A bug in a handler ends the program, not the kernel.
                Log.Warning("UserWorld", string.Concat("system call ", frame->Number.ToString(), " failed: ", e.GetType().Name, "; world killed"));
                Scheduler.Exit(128 + UserFaults.SigSegv);
                result = -EFAULT;
            }
            // A sibling thread decided the process ends (exit_group, a fault, a fatal signal) while this one ran here.
            if (Scheduler.Current.UserState is UserProgram ending && ending.Threads.GroupExiting)
                Scheduler.Exit(ending.Threads.GroupExitStatus);
            // sysret to a non-canonical address would fault in ring 0: nothing here moves Rip, but a program could
            // have entered from the last page of the lower half.
            if (frame->Rip >= Kernel.Memory.Paging.UserSpaceEnd - 4096)
                Scheduler.Exit(128 + UserFaults.SigSegv);
            return result;
        }

        private static long Run(SyscallFrame* f)
        {
            UserProgram program = Scheduler.Current.UserState as UserProgram;
            switch ((long)f->Number)
            {
                case Exit:
                    if (program != null)
                        ThreadExit.ExitThread(program, (int)(f->Arg0 & 0xFF));
                    Scheduler.Exit((int)(f->Arg0 & 0xFF));
                    return 0;
                case ExitGroup:
                    if (program != null)
                        ThreadExit.ExitGroup(program, (int)(f->Arg0 & 0xFF));
                    Scheduler.Exit((int)(f->Arg0 & 0xFF));
                    return 0;
                case GetPid: return Scheduler.Current.CartelId;
                case GetTid: return Scheduler.Current.Id;
                case GetPpid: return program != null ? DoGetppid(program) : 0;
                case SetTidAddress: return DoSetTidAddress(program, f->Arg0);
                case Uname: return DoUname(f->Arg0);
                case 99: return DoSysinfo(f->Arg0);
                case ArchPrctl: return DoArchPrctl((int)f->Arg0, f->Arg1);
                case Brk: return DoBrk(program, f->Arg0);
                case Mmap: return DoMmap(program, f->Arg0, f->Arg1, (int)f->Arg2, (int)f->Arg3, (int)f->Arg4);
                case Munmap: return DoMunmap(program, f->Arg0, f->Arg1);
                case ClockGetTime: return DoClockGetTime((int)f->Arg0, f->Arg1);
                case TimeCall: return DoTime(f->Arg0);
                case Mprotect: return DoMprotect(program, f->Arg0, f->Arg1, (int)f->Arg2);
                case GetUid:
                case GetGid:
                case GetEuid:
                case GetEgid:
                    return 0;
                case SetRobustList: return DoSetRobustList(program, f->Arg0, f->Arg1);
                case Prlimit64: return DoPrlimit((int)f->Arg0, (int)f->Arg1, f->Arg2, f->Arg3);
                case GetRandom: return DoGetRandom(f->Arg0, f->Arg1);
                case Futex: return DoFutex(program, f->Arg0, (int)f->Arg1, (uint)f->Arg2, f->Arg3, f->Arg4, (uint)f->Arg5);
                default:
                    if (program != null && program.Files != null)
                    {
                        long result = RunFileCall(program, f);
                        if (result != -ENOSYS)
                            return result;
                    }
                    ReportMissing(f->Number);
                    return -ENOSYS;
            }
        }

        // The file system calls (Syscalls.Io, .Descriptors, .Paths, .Stat): Linux x86-64 numbers.
        private static long RunFileCall(UserProgram p, SyscallFrame* f)
        {
            int a0 = (int)f->Arg0;
            switch ((long)f->Number)
            {
                case 0: return DoRead(p, a0, f->Arg1, f->Arg2);
                case 1: return DoWrite(p, a0, f->Arg1, f->Arg2);
                case 2: return DoOpenAt(p, AtFdCwd, f->Arg0, (int)f->Arg1, (int)f->Arg2);
                case 3: return DoClose(p, a0);
                case 4: return DoStatAt(p, AtFdCwd, f->Arg0, f->Arg1, 0, false);
                case 5: return DoFstat(p, a0, f->Arg1);
                case 6: return DoStatAt(p, AtFdCwd, f->Arg0, f->Arg1, AtSymlinkNoFollow, false);
                case 8: return DoLseek(p, a0, (long)f->Arg1, (int)f->Arg2);
                case 16: return DoIoctl(p, a0, (uint)f->Arg1, f->Arg2);
                case 17: return DoPositioned(p, a0, f->Arg1, f->Arg2, (long)f->Arg3, false);
                case 18: return DoPositioned(p, a0, f->Arg1, f->Arg2, (long)f->Arg3, true);
                case 19: return DoVector(p, a0, f->Arg1, f->Arg2, false);
                case 20: return DoVector(p, a0, f->Arg1, f->Arg2, true);
                case 21: return DoAccessAt(p, AtFdCwd, f->Arg0, (int)f->Arg1);
                case 32: return DoDup(p, a0, 0, false);
                case 33: return DoDup3(p, a0, (int)f->Arg1, 0, true);
                case 72: return DoFcntl(p, a0, (int)f->Arg1, f->Arg2);
                case 77: return DoFtruncate(p, a0, (long)f->Arg1);
                case 79: return DoGetcwd(p, f->Arg0, f->Arg1);
                case 80: return DoChdir(p, f->Arg0);
                case 81: return DoFchdir(p, a0);
                case 82: return DoRenameAt(p, AtFdCwd, f->Arg0, AtFdCwd, f->Arg1, 0);
                case 83: return DoMkdirAt(p, AtFdCwd, f->Arg0, (int)f->Arg1);
                case 84: return DoUnlinkAt(p, AtFdCwd, f->Arg0, AtRemoveDir);
                case 85: return DoOpenAt(p, AtFdCwd, f->Arg0, 0x241, (int)f->Arg1);   // creat: O_CREAT|O_WRONLY|O_TRUNC
                case 87: return DoUnlinkAt(p, AtFdCwd, f->Arg0, 0);
                case 88: return DoSymlinkAt(p, f->Arg0, AtFdCwd, f->Arg1);
                case 89: return DoReadlinkAt(p, AtFdCwd, f->Arg0, f->Arg1, f->Arg2);
                case 95: return DoUmask(p, a0);
                case 137: return DoStatfs(p, f->Arg0, f->Arg1);
                case 138: return DoFstatfs(p, a0, f->Arg1);
                case 217: return DoGetdents(p, a0, f->Arg1, f->Arg2);
                case 257: return DoOpenAt(p, a0, f->Arg1, (int)f->Arg2, (int)f->Arg3);
                case 258: return DoMkdirAt(p, a0, f->Arg1, (int)f->Arg2);
                case 262: return DoStatAt(p, a0, f->Arg1, f->Arg2, (int)f->Arg3, false);
                case 263: return DoUnlinkAt(p, a0, f->Arg1, (int)f->Arg2);
                case 264: return DoRenameAt(p, a0, f->Arg1, (int)f->Arg2, f->Arg3, 0);
                case 266: return DoSymlinkAt(p, f->Arg0, (int)f->Arg1, f->Arg2);
                case 267: return DoReadlinkAt(p, a0, f->Arg1, f->Arg2, f->Arg3);
                case 269:
                case 439: return DoAccessAt(p, a0, f->Arg1, (int)f->Arg2);
                case 292: return DoDup3(p, a0, (int)f->Arg1, (int)f->Arg2, false);
                case 316: return DoRenameAt(p, a0, f->Arg1, (int)f->Arg2, f->Arg3, (uint)f->Arg4);
                case 332: return DoStatAt(p, a0, f->Arg1, f->Arg4, (int)f->Arg2, true);
                // Processes, pipes and signals (Kernel/User/Processes).
                case 13: return DoSigaction(p, a0, f->Arg1, f->Arg2, f->Arg3);
                case 14: return DoSigprocmask(p, a0, f->Arg1, f->Arg2, f->Arg3);
                case 7: return DoPoll(p, f->Arg0, f->Arg1, (int)f->Arg2);
                case 271: return DoPpoll(p, f->Arg0, f->Arg1, f->Arg2);
                case 24:   // sched_yield
                    Scheduler.Yield();
                    return 0;
                case 34:   // pause: until a signal's handler is to run (or the signal ends the process)
                    while (!SignalDelivery.MustLeaveWait(p))
                        Scheduler.Sleep(10);
                    return -SignalDelivery.ERestartNoHand;
                case 131: return DoSigaltstack(p, f->Arg0, f->Arg1, f->Rsp);
                case 219: return DoRestartSleep(p);                               // restart_syscall
                case 22: return DoPipe(p, f->Arg0, 0);
                case 293: return DoPipe(p, f->Arg0, (int)f->Arg1);
                case 35: return DoNanosleep(p, f->Arg0, f->Arg1, 0, 1);
                case 230: return DoNanosleep(p, f->Arg2, f->Arg3, (int)f->Arg1, a0);
                case 56: return ForkedProcess.Fork(p, f, f->Arg0, f->Arg1, f->Arg2, f->Arg3, f->Arg4);
                case 57: return ForkedProcess.Fork(p, f, 17, 0, 0, 0, 0);
                case 58: return ForkedProcess.Fork(p, f, 0x4000 | 0x100 | 17, 0, 0, 0, 0);
                case 59: return DoExecve(p, AtFdCwd, f->Arg0, f->Arg1, f->Arg2);
                case 322: return DoExecve(p, a0, f->Arg1, f->Arg2, f->Arg3);
                case 61: return DoWait4(p, a0, f->Arg1, (int)f->Arg2, f->Arg3);
                case 62: return DoKill(p, a0, (int)f->Arg1);
                case 200: return DoKill(p, a0, (int)f->Arg1);                      // tkill: one thread per process
                case 234: return DoKill(p, (int)f->Arg1, (int)f->Arg2);            // tgkill
                case 109: return DoSetpgid(p, a0, (int)f->Arg1);
                case 111: return p.Process.ProcessGroup;                           // getpgrp
                case 112: return DoSetsid(p);
                case 121: return DoGetpgid(p, a0);
                case 124: return DoGetsid(p, a0);
                default: return -ENOSYS;
            }
        }

        private static void ReportMissing(ulong number)
        {
            if (number < MaxNumber)
            {
                if (s_reported[number])
                    return;
                s_reported[number] = true;
            }
            World self = Scheduler.Current;
            Log.Warning("UserWorld", string.Concat("unimplemented system call ", number.ToString(), " from ", self.Name, " (world ", self.Id.ToString(), "): -ENOSYS"));
        }
    }
}
