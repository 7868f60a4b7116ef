// KillCommand.cs -- `kill WID`: ends a world; its memory goes back and its waiters wake. A world inside a mutex ends
// at its last unlock; one that has not let go within the grace period is ended anyway, with a warning.
using Kernel.Logging;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class KillCommand : ShellCommand
    {
        public override string Name => "kill";
        public override string Summary => "kill WID: end a world";

        public override int Run(Shell shell, string[] args)
        {
            if (args.Length != 2 || !int.TryParse(args[1], out int id))
            {
                shell.WriteLine("usage: kill WID");
                return 1;
            }
            World world = Scheduler.Find(id);
            if (world == null)
            {
                shell.WriteLine(string.Concat("kill: no world ", args[1]));
                return 1;
            }
            if (world == Scheduler.Current || world.IsIdle || world.Id == 1)
            {
                shell.WriteLine(string.Concat("kill: world ", args[1], " (", world.Name, ") cannot be killed"));
                return 1;
            }
            if (world.IsCritical)
            {
                // Killing the serial driver would leave a headless host with no console for good.
                shell.WriteLine(string.Concat("kill: world ", args[1], " (", world.Name, ") is a critical system world and cannot be killed"));
                return 1;
            }
            string name = world.Name;
            if (!Scheduler.Terminate(world, GraceMilliseconds, out bool forced))
            {
                shell.WriteLine(string.Concat("kill: world ", args[1], " is not running"));
                return 1;
            }
            if (forced)
            {
                // The world held a mutex and did not let go (a deferred kill waits for its last unlock): the operator
                // asked for it to end, so it ended anyway, and the log says what that may have cost.
                Log.Warning("World", string.Concat("World ", args[1], " (", name, ") still held a lock ",
                    GraceMilliseconds.ToString(), " ms after kill; ended it anyway, the state the lock protects may be inconsistent"));
            }
            shell.WriteLine(string.Concat("killed world ", args[1], " (", name, ")"));
            return 0;
        }

        private const int GraceMilliseconds = 2000;
    }
}
