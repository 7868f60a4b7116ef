// SchedStatsCommand.cs -- `sched-stats`: CPU time per world and per group since boot, context switches.
using Kernel.Resources;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class SchedStatsCommand : ShellCommand
    {
        public override string Name => "sched-stats";
        public override string Summary => "CPU use per world and group";

        public override int Run(Shell shell, string[] args)
        {
            ulong hz = Clock.TscHz == 0 ? 1 : Clock.TscHz;
            shell.WriteLine(string.Concat("context switches: ", Scheduler.ContextSwitches.ToString(), "  uptime ms: ", Clock.UptimeMilliseconds.ToString()));
            shell.WriteLine("     WID  NAME              GROUP                            RUN(ms)  SWITCHES");
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
            {
                World w = worlds[i];
                if (w.Group == null)
                    continue;   // reaped and being reused since the snapshot
                shell.WriteLine(string.Concat(
                    string.Concat(w.Id.ToString().PadLeft(8), "  ", w.Name.PadRight(18)),
                    string.Concat(w.Group.Path.PadRight(31), (w.RunCycles * 1000 / hz).ToString().PadLeft(10)),
                    w.Switches.ToString().PadLeft(10)));
            }
            shell.WriteLine("GROUP                            SHARES  CPUMAX   RUN(ms)");
            ResourceGroupTree groups = Scheduler.Groups;
            for (int i = 0; i < groups.Count; i++)
            {
                ResourceGroup g = groups.At(i);
                shell.WriteLine(string.Concat(g.Path.PadRight(33), g.CpuShares.ToString().PadLeft(6),
                    (g.CpuMax < 0 ? "-1" : g.CpuMax.ToString()).PadLeft(8), (g.CpuUsedTotal * 1000 / hz).ToString().PadLeft(10)));
            }
            return 0;
        }
    }
}
