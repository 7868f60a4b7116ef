// PsCommand.cs -- `ps`: every world with its id, cartel, type, state, resource group and name.
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class PsCommand : ShellCommand
    {
        public override string Name => "ps";
        public override string Summary => "list worlds (WID, CID, type, state, group, name)";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine("     WID      CID  TYPE    STATE  GROUP                            NAME");
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
            {
                World w = worlds[i];
                if (w.Group == null)
                    continue;   // reaped and being reused since the snapshot
                shell.WriteLine(string.Concat(
                    string.Concat(w.Id.ToString().PadLeft(8), w.CartelId.ToString().PadLeft(9), "  ", w.TypeName.PadRight(8)),
                    string.Concat(w.StateName.PadRight(7), w.Group.Path.PadRight(33)), w.Name));
            }
            return 0;
        }
    }
}
