// DmesgCommand.cs -- `dmesg`: the vmkernel log ring, oldest line first.
using Kernel.Logging;

namespace Kernel.Shell.Commands
{
    internal sealed class DmesgCommand : ShellCommand
    {
        public override string Name => "dmesg";
        public override string Summary => "print the vmkernel log";

        public override int Run(Shell shell, string[] args)
        {
            string text = Log.Snapshot();
            shell.Write(text);
            return 0;
        }
    }
}
