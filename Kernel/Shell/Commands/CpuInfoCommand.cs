// CpuInfoCommand.cs -- `cpuinfo`: what CPUID says about the processor, and the calibrated TSC rate.
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
            shell.WriteLine("cpus     : 1 online");
            return 0;
        }
    }
}
