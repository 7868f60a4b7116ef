// SignalActions.cs -- what a signal does to a process: with a handler installed it becomes pending and the handler
// runs on the process's next return to ring 3 (SignalDelivery); ignored, nothing; by default SIGCHLD, SIGURG and
// SIGWINCH are ignored, SIGCONT continues a stopped process (whatever its disposition), SIGSTOP, SIGTSTP, SIGTTIN
// and SIGTTOU stop it (JobControl), and everything else terminates. SIGKILL always terminates, stopped or not.
using Kernel.Worlds;

namespace Kernel.User
{
    public static class SignalActions
    {
        public const int SigHup = 1, SigInt = 2, SigQuit = 3, SigKill = 9, SigPipe = 13, SigTerm = 15, SigChld = 17,
            SigCont = 18, SigStop = 19, SigTstp = 20, SigTtin = 21, SigTtou = 22, SigUrg = 23, SigWinch = 28;

        /// <summary>Whether the signal ends the process (its default action applies and is to terminate).</summary>
        public static bool Terminates(UserProgram program, int signal)
        {
            if (signal == SigKill)
                return true;
            if (program.Signals.Handler[signal] != SignalState.Default)
                return false;
            return signal switch
            {
                SigChld or SigCont or SigUrg or SigWinch or SigStop or SigTstp or SigTtin or SigTtou => false,
                _ => true,
            };
        }

        /// <summary>Sends <paramref name="signal"/> to a process's world: it ends, with the signal as its status.</summary>
        public static void Send(World world, UserProgram program, int signal)
        {
            if (signal == 0 || world == null)
                return;
            if (signal == SigCont)
                JobControl.Continue(program);   // whatever SIGCONT's disposition
            ulong handler = program.Signals.Handler[signal];
            if (signal != SigKill && handler != SignalState.Default && handler != SignalState.Ignore)
            {
                // A handler: pending until the process's next system call ends (SignalDelivery); a wait4 or pause
                // in progress wakes to let it run.
                program.Signals.Pending |= 1UL << (signal - 1);
                program.Process.ChildChanged.Set();
                FutexTable.Interrupt(program);
                return;
            }
            if (handler == SignalState.Default && JobControl.IsStopSignal(signal))
            {
                JobControl.Stop(program, signal);
                return;
            }
            if (!Terminates(program, signal))
                return;
            if (world == Scheduler.Current)
                program.Files?.CloseAll();   // in its own world the files close with the lock (else the reaper does it)
            Scheduler.Kill(world, -signal);
        }
    }
}
