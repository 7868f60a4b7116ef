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
            GetTid = 186, SetTidAddress = 218, ClockGetTime = 228, ExitGroup = 231, SetRobustList = 273, Prlimit64 = 302,
            GetRandom = 318;

        private const int MaxNumber = 512;
        private static readonly bool[] s_reported = new bool[MaxNumber];

        [UnmanagedCallersOnly(EntryPoint = "KSyscallDispatch")]
        private static long Dispatch(SyscallFrame* frame)
        {
            long result;
            try
            {
                result = Run(frame);
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
                case Write: return DoWrite(program, (int)f->Arg0, f->Arg1, f->Arg2);
                case Writev: return DoWritev(program, (int)f->Arg0, f->Arg1, f->Arg2);
                case Exit:
                case ExitGroup:
                    Scheduler.Exit((int)(f->Arg0 & 0xFF));
                    return 0;
                case GetPid: return Scheduler.Current.CartelId;
                case GetTid: return Scheduler.Current.Id;
                case GetPpid: return program != null ? program.ParentId : 0;
                case SetTidAddress: return Scheduler.Current.Id;
                case Uname: return DoUname(f->Arg0);
                case ArchPrctl: return DoArchPrctl((int)f->Arg0, f->Arg1);
                case Brk: return DoBrk(program, f->Arg0);
                case Mmap: return DoMmap(program, f->Arg0, f->Arg1, (int)f->Arg2, (int)f->Arg3, (int)f->Arg4);
                case Munmap: return DoMunmap(program, f->Arg0, f->Arg1);
                case ClockGetTime: return DoClockGetTime((int)f->Arg0, f->Arg1);
                case Mprotect: return DoMprotect(program, f->Arg0, f->Arg1, (int)f->Arg2);
                case GetUid:
                case GetGid:
                case GetEuid:
                case GetEgid:
                    return 0;
                case SetRobustList: return f->Arg1 == 24 ? 0 : -EINVAL;
                case Prlimit64: return DoPrlimit((int)f->Arg0, (int)f->Arg1, f->Arg2, f->Arg3);
                case GetRandom: return DoGetRandom(f->Arg0, f->Arg1);
                default:
                    ReportMissing(f->Number);
                    return -ENOSYS;
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
