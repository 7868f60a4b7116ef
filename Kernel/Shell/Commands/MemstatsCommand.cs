// MemstatsCommand.cs -- `memstats -r group-stats`: the resource group table in ESXi's column order (KB).
//   conResv = reservations handed to child groups; availResv = reservation still available to new children;
//   heapSize = heap page runs charged to the group itself (part of memSize): the kernel heap behind `new` for
//   host/system, the group's own heap behind its worlds' `new` (GroupHeaps) and the worlds' raw heaps for others.
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class MemstatsCommand : ShellCommand
    {
        public override string Name => "memstats";
        public override string Summary => "memstats -r group-stats: resource group memory (KB)";

        public override int Run(Shell shell, string[] args)
        {
            if (args.Length < 3 || args[1] != "-r" || args[2] != "group-stats")
            {
                shell.WriteLine("usage: memstats -r group-stats");
                return 1;
            }
            ResourceGroupTree groups = Scheduler.Groups;
            shell.WriteLine(" gid  name              parGid nChild        min        max   minLimit  shares    conResv  availResv    memSize memSizePeak   heapSize");
            for (int i = 0; i < groups.Count; i++)
            {
                ResourceGroup g = groups.At(i);
                shell.WriteLine(string.Concat(
                    string.Concat(g.Id.ToString().PadLeft(4), "  ", g.Name.PadRight(16), (g.Parent == null ? "-1" : g.Parent.Id.ToString()).PadLeft(7)),
                    string.Concat(g.ChildCount.ToString().PadLeft(7), Kb(g.MemMin), Kb(g.MemMax), Kb(g.MemMinLimit)),
                    string.Concat(g.MemShares.ToString().PadLeft(8), Kb(g.ChildReservations), Kb(groups.AvailableReservation(g))),
                    string.Concat(Kb(g.MemSize), Kb(g.MemSizePeak).PadLeft(12), Kb(g.HeapSize))));
            }
            return 0;
        }

        private static string Kb(long bytes) => (bytes < 0 ? "-1" : (bytes / 1024).ToString()).PadLeft(11);
    }
}
