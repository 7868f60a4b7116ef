// PsCommand.cs -- `ps`: every world with its id, cartel, type, state, CPU (running on, or last ran on), resource group
// and name.
using Kernel.Text;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class PsCommand : ShellCommand
    {
        public override string Name => "ps";
        public override string Summary => "list worlds (WID, CID, type, state, the CPU it runs or last ran on, group, name)";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine("     WID      CID  TYPE    STATE  CPU  GROUP                            NAME");
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
            {
                World w = worlds[i];
                if (w.Group == null)
                    continue;   // reaped and being reused since the snapshot
                // Built on the stack (Columns): a line per world must not leave strings behind.
                var line = new LineBuilder();
                Columns.Number(ref line, w.Id, 8);
                Columns.Number(ref line, w.CartelId, 9);
                line.Append("  ");
                Columns.Text(ref line, w.TypeName, 8);
                Columns.Text(ref line, w.StateName, 7);
                Columns.Number(ref line, w.Cpu, 3);
                line.Append("  ");
                Columns.Text(ref line, w.Group.Path, 33);
                line.Append(w.Name);
                Columns.WriteLine(shell, ref line);
            }
            return 0;
        }
    }
}
