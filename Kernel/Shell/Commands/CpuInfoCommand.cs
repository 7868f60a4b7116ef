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
            shell.WriteLine(string.Concat("vendor   : ", info.Vendor));
            shell.WriteLine(string.Concat("model    : ", info.Brand));
            shell.WriteLine(string.Concat("family   : ", info.Family.ToString(), string.Concat("  model: ", info.Model.ToString(), "  stepping: ", info.Stepping.ToString())));
            shell.WriteLine(string.Concat("features : ", info.Features));
            shell.WriteLine(string.Concat("tsc      : ", (Clock.TscHz / 1000000).ToString(), " MHz"));
            shell.WriteLine("cpus     : 1 online");
            return 0;
        }
    }
}
