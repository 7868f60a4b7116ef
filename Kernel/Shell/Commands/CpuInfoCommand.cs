// CpuInfoCommand.cs -- `cpuinfo`: what CPUID says about the processor, the calibrated TSC rate, and every CPU
// brought up with its local APIC ID.
using Kernel.Arch;
using Kernel.Time;

namespace Kernel.Shell.Commands
{
    internal sealed class CpuInfoCommand : ShellCommand
    {
        public override string Name => "cpuinfo";
        public override string Summary => "processor identification and features";

        public override int Run(Shell shell, string[] args)
        {
            CpuInfo info = CpuInfo.Read();
            shell.WriteLine($"vendor   : {info.Vendor}");
            shell.WriteLine($"model    : {info.Brand}");
            shell.WriteLine($"family   : {info.Family}  model: {info.Model}  stepping: {info.Stepping}");
            shell.WriteLine($"features : {info.Features}");
            shell.WriteLine($"tsc      : {Clock.TscHz / 1000000} MHz");
            shell.WriteLine($"cpus     : {PerCpu.Count} online");
            for (int i = 0; i < PerCpu.Count; i++)
                shell.WriteLine($"cpu{i,-5}: APIC ID {PerCpu.ApicIdOf(i)}{(i == 0 ? ", bootstrap" : "")}{(i == 0 || Kernel.Worlds.Scheduler.RunsWorlds(i) ? ", runs worlds" : ", parked")}");
            return 0;
        }
    }
}
