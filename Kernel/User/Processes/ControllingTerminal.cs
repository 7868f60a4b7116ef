// ControllingTerminal.cs -- the console as a job-control terminal: the session it belongs to and its foreground
// process group (TIOCSCTTY, TIOCSPGRP/TIOCGPGRP, TIOCGSID). The kernel shell hands it to each program it starts
// (a new session whose group is in the foreground, as login does); ^C, ^Z and ^\ signal the foreground group
// (ConsoleInput); a process of another group of the session that reads it gets SIGTTIN (ConsoleFile).
namespace Kernel.User
{
    public static class ControllingTerminal
    {
        /// <summary>0: no session owns the terminal.</summary>
        public static int Session { get; private set; }
        public static int ForegroundGroup { get; private set; }

        /// <summary>The program's session takes the terminal, its group in the foreground (TIOCSCTTY; the kernel shell).</summary>
        public static void Attach(UserProgram program)
        {
            if (program == null)
                return;
            Session = program.Process.Session;
            ForegroundGroup = program.Process.ProcessGroup;
        }

        /// <summary>The kernel shell has the console back.</summary>
        public static void Detach() => Session = ForegroundGroup = 0;

        /// <summary>tcsetpgrp: 0 or -errno (ENOTTY when the caller's session does not own the terminal).</summary>
        public static long SetForeground(UserProgram caller, int group)
        {
            if (group <= 0)
                return -LinuxError.EINVAL;
            if (Session != 0 && caller.Process.Session != Session)
                return -LinuxError.ENOTTY;
            ForegroundGroup = group;
            return 0;
        }

        /// <summary>tcgetpgrp: the foreground group (with no owner, the caller's own group).</summary>
        public static int ForegroundFor(UserProgram caller) => ForegroundGroup != 0 ? ForegroundGroup : caller.Process.ProcessGroup;

        /// <summary>Whether the caller is in a background group of the terminal's session (reads get SIGTTIN).</summary>
        public static bool IsBackground(UserProgram caller) =>
            Session != 0 && ForegroundGroup != 0 && caller.Process.Session == Session && caller.Process.ProcessGroup != ForegroundGroup;

        /// <summary>A signal character typed: to the foreground group, or to the reader when nobody owns the terminal.</summary>
        public static void SignalForeground(int signal)
        {
            if (ForegroundGroup != 0 && ProcessGroups.Signal(ForegroundGroup, signal))
                return;
            if (Worlds.Scheduler.Current?.UserState is UserProgram reader)
                SignalActions.Send(Worlds.Scheduler.Current, reader, signal);
        }
    }
}
