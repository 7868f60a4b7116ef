// JobControl.cs -- stopping and continuing a process. A stop signal with the default action (SIGSTOP always;
// SIGTSTP, SIGTTIN and SIGTTOU unless the process's group is orphaned, where POSIX discards them) marks the process
// stopped and tells its parent (wait4 WUNTRACED: status (signal << 8) | 0x7F; SIGCHLD unless SA_NOCLDSTOP); the
// process parks on its next return to ring 3 -- a blocked system call first ends with a restart code, so it
// restarts when the process is continued. SIGCONT, whatever its disposition, continues it and tells the parent
// (WCONTINUED: status 0xFFFF). A stop discards a pending SIGCONT and SIGCONT pending stops, as on Linux.
using Kernel.Worlds;

namespace Kernel.User
{
    public static class JobControl
    {
        private const ulong SaNoCldStop = 1;
        private const ulong StopMask = (1UL << (SignalActions.SigStop - 1)) | (1UL << (SignalActions.SigTstp - 1)) |
            (1UL << (SignalActions.SigTtin - 1)) | (1UL << (SignalActions.SigTtou - 1));

        public static bool IsStopSignal(int signal) =>
            signal == SignalActions.SigStop || signal == SignalActions.SigTstp || signal == SignalActions.SigTtin || signal == SignalActions.SigTtou;

        public static void Stop(UserProgram program, int signal)
        {
            ProcessState p = program.Process;
            if (signal != SignalActions.SigStop && ProcessGroups.IsOrphaned(p.ProcessGroup))
                return;
            program.Signals.Pending &= ~(1UL << (SignalActions.SigCont - 1));
            p.StopSignal = signal;
            p.Stopped = true;
            p.StopUnreported = true;
            p.ContinueUnreported = false;
            TellParent(program);
        }

        public static void Continue(UserProgram program)
        {
            ProcessState p = program.Process;
            program.Signals.Pending &= ~StopMask;
            if (!p.Stopped)
                return;
            p.Stopped = false;
            p.StopUnreported = false;
            p.ContinueUnreported = true;
            TellParent(program);
        }

        /// <summary>On the way back to ring 3: a stopped process waits here until continued (or killed).</summary>
        public static void WaitWhileStopped(UserProgram program)
        {
            while (program.Process.Stopped)
                Scheduler.Sleep(10);
        }

        private static void TellParent(UserProgram program)
        {
            UserProgram parent = program.Process.Parent;
            if (parent == null || parent.Process.Ended)
                return;
            ulong handler = parent.Signals.Handler[SignalActions.SigChld];
            if (handler != SignalState.Default && handler != SignalState.Ignore && (parent.Signals.Flags[SignalActions.SigChld] & SaNoCldStop) == 0)
                parent.Signals.Pending |= 1UL << (SignalActions.SigChld - 1);
            parent.Process.ChildChanged.Set();
        }
    }
}
