// Syscalls.Process.cs -- processes: fork/vfork/clone (ForkedProcess), wait4, kill, getppid, setpgid/getpgid/
// getpgrp/setsid/getsid. wait4 takes a child that has ended (its status word as Linux encodes it), or waits for one
// to end (WNOHANG: 0 at once), or with WUNTRACED/WCONTINUED one that stopped or continued (JobControl); -ECHILD
// when there is no such child.
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int WNoHang = 1, WUntraced = 2, WContinued = 8, SigChldFlag = 17;

        private static long DoWait4(UserProgram program, int pid, ulong statusAddress, int options, ulong rusage)
        {
            if ((options & ~(WNoHang | 2 | 8 | 0x40000000 | unchecked((int)0x80000000))) != 0)
                return -EINVAL;
            ProcessState self = program.Process;
            while (true)
            {
                bool any = false;
                for (int i = 0; i < self.Children.Count; i++)
                {
                    ProcessState child = self.Children[i].Process;
                    if (!Matches(self, child, pid))
                        continue;
                    any = true;
                    if (!child.Ended)
                    {
                        if ((options & WUntraced) != 0 && child.StopUnreported)
                        {
                            child.StopUnreported = false;
                            return ReportChild(child, (child.StopSignal << 8) | 0x7F, statusAddress, rusage);
                        }
                        if ((options & WContinued) != 0 && child.ContinueUnreported)
                        {
                            child.ContinueUnreported = false;
                            return ReportChild(child, 0xFFFF, statusAddress, rusage);
                        }
                        continue;
                    }
                    long reported = ReportChild(child, child.WaitStatus, statusAddress, rusage);
                    if (reported > 0)
                        self.Children.RemoveAt(i);
                    return reported;
                }
                if (!any)
                    return -LinuxError.ECHILD;
                if ((options & WNoHang) != 0)
                    return 0;
                if (SignalDelivery.MustLeaveWait(program))
                    return -SignalDelivery.ERestartSys;   // EINTR, or restarted after an SA_RESTART handler
                self.ChildChanged.Wait();
            }
        }

        // The child's pid with its status word (and a zeroed rusage) copied out, or -EFAULT.
        private static long ReportChild(ProcessState child, int status, ulong statusAddress, ulong rusage)
        {
            if (statusAddress != 0 && !UserMemory.CopyOut(statusAddress, &status, 4))
                return -EFAULT;
            if (rusage != 0)
            {
                byte* zero = stackalloc byte[144];
                for (int b = 0; b < 144; b++)
                    zero[b] = 0;
                if (!UserMemory.CopyOut(rusage, zero, 144))
                    return -EFAULT;
            }
            return child.Pid;
        }

        // pid > 0: that child; -1: any; 0: the caller's group; < -1: group -pid.
        private static bool Matches(ProcessState parent, ProcessState child, int pid) =>
            pid > 0 ? child.Pid == pid : pid == -1 || child.ProcessGroup == (pid == 0 ? parent.ProcessGroup : -pid);

        private static long DoKill(UserProgram program, int pid, int signal)
        {
            if (signal < 0 || signal > SignalState.Count)
                return -EINVAL;
            if (pid < -1 || pid == 0)
                return ProcessGroups.Signal(pid == 0 ? program.Process.ProcessGroup : -pid, signal) ? 0 : -ESRCH;
            if (pid <= 0)
            {
                // -1: the caller's children (and the caller itself last).
                int group = program.Process.ProcessGroup;
                bool found = false;
                for (int i = 0; i < program.Process.Children.Count; i++)
                {
                    UserProgram child = program.Process.Children[i];
                    if (child.Process.Ended || (pid != -1 && child.Process.ProcessGroup != group))
                        continue;
                    found = true;
                    SignalActions.Send(Scheduler.Find(child.Process.Pid), child, signal);
                }
                if (pid != -1 && program.Process.ProcessGroup == group)
                {
                    found = true;
                    SignalActions.Send(Scheduler.Current, program, signal);
                }
                return found ? 0 : -ESRCH;
            }
            World target = Scheduler.Find(pid);
            if (target == null || target.UserState is not UserProgram targetProgram || targetProgram.Process.Ended)
                return -ESRCH;
            SignalActions.Send(target, targetProgram, signal);
            return 0;
        }

        private static UserProgram ProcessById(UserProgram self, int pid)
        {
            if (pid == 0 || pid == self.Process.Pid)
                return self;
            World world = Scheduler.Find(pid);
            return world?.UserState as UserProgram;
        }

        private static long DoSetpgid(UserProgram program, int pid, int group)
        {
            if (group < 0)
                return -EINVAL;
            UserProgram target = ProcessById(program, pid);
            if (target == null || (target != program && target.Process.Parent != program))
                return -ESRCH;
            target.Process.ProcessGroup = group == 0 ? target.Process.Pid : group;
            return 0;
        }

        private static long DoGetpgid(UserProgram program, int pid)
        {
            UserProgram target = ProcessById(program, pid);
            return target == null ? -ESRCH : target.Process.ProcessGroup;
        }

        private static long DoGetsid(UserProgram program, int pid)
        {
            UserProgram target = ProcessById(program, pid);
            return target == null ? -ESRCH : target.Process.Session;
        }

        private static long DoSetsid(UserProgram program)
        {
            ProcessState p = program.Process;
            if (p.ProcessGroup == p.Pid)
                return -EPERM;   // a group leader cannot start a session
            p.Session = p.ProcessGroup = p.Pid;
            return p.Pid;
        }

        private static long DoGetppid(UserProgram program) =>
            program.Process.Parent != null ? program.Process.Parent.Process.Pid : program.ParentId;
    }
}
