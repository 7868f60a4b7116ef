// ProgramRunner.cs -- a command word with a slash that is no built-in (`/bin/hello`, `./tool`) runs the file as a
// user program: a static ELF executable from VisorFS in its own userworld (Kernel/User), in the foreground. The shell
// waits for it (handing it the terminal: ControllingTerminal); a program killed by a fault is reported as sh reports a signal, any other nonzero exit status with
// its number. Userworlds run in host/user/uw (user memory: past the limit the program is the one that goes), or where
// an ESXi-style placement as the first argument says (`/bin/prog ++group=PATH,max=MB ARGS`: GroupPlacement); the
// program does not see that argument, as on ESXi.
using Kernel.Arch;
using Kernel.Resources;
using Kernel.User;
using Kernel.VisorFs;
using Kernel.Worlds;

namespace Kernel.Shell
{
    internal static class ProgramRunner
    {
        private const long MaxProgramBytes = 64L << 20;
        private const string GroupPath = "host/user/uw";

        private sealed class ShellOutput : IUserOutput
        {
            private readonly Shell _shell;
            public ShellOutput(Shell shell) => _shell = shell;
            public void Write(string text) => _shell.Write(text);
        }

        /// <summary>False when there is no such file (the caller reports "not found"); else runs it and sets the status.</summary>
        public static bool TryRun(Shell shell, string[] words, out int status)
        {
            status = 0;
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
                return false;
            string path = words[0];
            Errno e = root.ReadAll(shell.WorkingDirectory, path, MaxProgramBytes, out byte[] file);
            if (e == Errno.ENOENT || e == Errno.ENOTDIR)
                return false;
            if (e != Errno.Ok)
            {
                shell.WriteError(string.Concat("sh: ", path, ": ", ErrnoText.Describe(e)));
                status = 126;
                return true;
            }
            var placement = new GroupPlacement { Path = GroupPath, Affinity = ulong.MaxValue };
            if (words.Length > 1 && words[1].StartsWith(GroupPlacement.Prefix))
            {
                if (!GroupPlacement.TryParse(words[1], GroupPath, out placement, out string bad))
                {
                    shell.WriteError(string.Concat("sh: ", path, ": invalid placement '", bad, "'"));
                    status = 126;
                    return true;
                }
                words = WithoutPlacement(words);
            }
            GroupError error = placement.Apply(out ResourceGroup group, out string fullPath);
            if (error != GroupError.None)
            {
                shell.WriteError(string.Concat("sh: ", path, ": ", fullPath, ": ", ResourceGroupTree.Describe(error)));
                status = 126;
                return true;
            }
            var output = new ShellOutput(shell);
            World world = UserProgram.Start(path, words, file, output, group, shell.WorkingDirectory, out string reason);
            if (world == null)
            {
                shell.WriteError(string.Concat("sh: ", path, ": ", reason));
                status = 126;
                return true;
            }
            // Takes effect from its next time in the ready queue (it was started already; its children inherit none yet).
            world.Affinity = placement.Affinity;
            // The program's session gets the terminal (its group in the foreground: ^C, ^Z, job control); while it
            // runs the shell takes typed bytes for it, so the signal characters work when nobody reads.
            int id = world.Id;   // a world object reused for another world has another id
            ControllingTerminal.Attach(world.UserState as UserProgram);
            while (world.Id == id && world.State != WorldState.Dead)
            {
                ConsoleInput.Watch(output);
                Scheduler.Sleep(10);
            }
            status = Scheduler.Join(world);
            ControllingTerminal.Detach();
            // A fault ends a program with 128 + the signal (UserFaults); a kill (the memory policy, `kill`) with -9.
            int signal = status > 128 && status < 160 ? status - 128 : status < 0 ? -status : 0;
            if (signal != 0)
                shell.WriteLine(string.Concat(path, ": killed by signal ", signal.ToString(), " (", SignalName(signal), ")"));
            else if (status != 0)
                shell.WriteLine(string.Concat(path, ": exit status ", status.ToString()));
            return true;
        }

        private static string[] WithoutPlacement(string[] words)
        {
            var argv = new string[words.Length - 1];
            argv[0] = words[0];
            for (int i = 2; i < words.Length; i++)
                argv[i - 1] = words[i];
            return argv;
        }

        private static string SignalName(int signal) => signal switch
        {
            9 => "Killed",
            UserFaults.SigIll => "Illegal instruction",
            UserFaults.SigTrap => "Trace/breakpoint trap",
            UserFaults.SigBus => "Bus error",
            UserFaults.SigFpe => "Floating point exception",
            UserFaults.SigSegv => "Segmentation fault",
            _ => "Killed",
        };
    }
}
