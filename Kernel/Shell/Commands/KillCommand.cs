// KillCommand.cs -- `kill WID`: ends a world; its memory goes back and its waiters wake.
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
            if (!Scheduler.Kill(world))
            {
                shell.WriteLine(string.Concat("kill: world ", args[1], " is not running"));
                return 1;
            }
            shell.WriteLine(string.Concat("killed world ", args[1], " (", name, ")"));
            return 0;
        }
    }
}
