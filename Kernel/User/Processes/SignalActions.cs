// SignalActions.cs -- what a signal does to a process. There is no delivery to handlers yet: a signal whose
// disposition is the default acts by its default (SIGCHLD, SIGURG, SIGWINCH and SIGCONT are ignored, SIGSTOP and
// the other stop signals are ignored too until job control exists, everything else terminates); an ignored signal
// or one with a handler installed is dropped (a program that catches SIGTERM to clean up is not killed by it).
// SIGKILL always terminates.
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
            if (signal == 0 || !Terminates(program, signal))
                return;
            if (world == Scheduler.Current)
                program.Files?.CloseAll();   // in its own world the files close with the lock (else the reaper does it)
            Scheduler.Kill(world, -signal);
        }
    }
}
