// SchedStatsCommand.cs -- `sched-stats`: CPU time per CPU (run, idle, ready), per world and per group since boot,
// context switches.
using Kernel.Resources;
using Kernel.Text;
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
            // Lines are built on the stack (Columns): nothing is left behind per world or group.
            var line = new LineBuilder();
            line.Append("context switches: ");
            line.AppendDecimal((ulong)Scheduler.ContextSwitches);
            line.Append("  uptime ms: ");
            line.AppendDecimal((ulong)Clock.UptimeMilliseconds);
            Columns.WriteLine(shell, ref line);
            // Per CPU: time running worlds, idle, and the time the worlds it picked had waited ready.
            shell.WriteLine("CPU   WORLD   RUN(ms)  IDLE(ms)  READY(ms)  SWITCHES  KICKS");
            for (int cpu = 0; cpu < Kernel.Arch.PerCpu.MaxCpus; cpu++)
            {
                if (!Scheduler.CpuStatistics(cpu, out int world, out ulong busy, out ulong idle, out ulong ready, out ulong switches, out ulong kicks))
                    continue;
                line.Append("cpu");
                line.AppendDecimal((ulong)cpu);
                Columns.Number(ref line, world, cpu < 10 ? 6 : 5);
                Columns.Number(ref line, (long)(busy * 1000 / hz), 10);
                Columns.Number(ref line, (long)(idle * 1000 / hz), 10);
                Columns.Number(ref line, (long)(ready * 1000 / hz), 11);
                Columns.Number(ref line, (long)switches, 10);
                Columns.Number(ref line, (long)kicks, 7);
                Columns.WriteLine(shell, ref line);
            }
            shell.WriteLine("     WID  NAME              GROUP                            RUN(ms)  SWITCHES");
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
            {
                World w = worlds[i];
                if (w.Group == null)
                    continue;   // reaped and being reused since the snapshot
                Columns.Number(ref line, w.Id, 8);
                line.Append("  ");
                Columns.Text(ref line, w.Name, 18);
                Columns.Text(ref line, w.Group.Path, 31);
                Columns.Number(ref line, (long)(w.RunCycles * 1000 / hz), 10);
                Columns.Number(ref line, (long)w.Switches, 10);
                Columns.WriteLine(shell, ref line);
            }
            shell.WriteLine("GROUP                            SHARES  CPUMAX   RUN(ms)");
            ResourceGroupTree groups = Scheduler.Groups;
            for (int i = 0; i < groups.Count; i++)
            {
                ResourceGroup g = groups.At(i);
                Columns.Text(ref line, g.Path, 33);
                Columns.Number(ref line, g.CpuShares, 6);
                Columns.Number(ref line, g.CpuMax < 0 ? -1 : g.CpuMax, 8);
                Columns.Number(ref line, (long)(g.CpuUsedTotal * 1000 / hz), 10);
                Columns.WriteLine(shell, ref line);
            }
            return 0;
        }
    }
}
