// UnameCommand.cs -- `uname [-a|-s|-n|-r|-v|-m]`, in the shape of ESXi's uname.
namespace Kernel.Shell.Commands
{
    internal sealed class UnameCommand : ShellCommand
    {
        public override string Name => "uname";
        public override string Summary => "print system information (-a for all)";

        public override int Run(Shell shell, string[] args)
        {
            string option = args.Length > 1 ? args[1] : "-s";
            switch (option)
            {
                case "-a":
                    shell.WriteLine(string.Concat(KernelVersion.Product, " ", shell.HostName, " ", KernelVersion.Version,
                        " #1 SMP Release ", KernelVersion.Build, " x86_64 x86_64 x86_64 vmk"));
                    return 0;
                case "-s":
                    shell.WriteLine(KernelVersion.Product);
                    return 0;
                case "-n":
                    shell.WriteLine(shell.HostName);
                    return 0;
                case "-r":
                    shell.WriteLine(KernelVersion.Version);
                    return 0;
                case "-v":
                    shell.WriteLine(string.Concat("#1 SMP Release ", KernelVersion.Build));
                    return 0;
                case "-m":
                    shell.WriteLine("x86_64");
                    return 0;
                default:
                    shell.WriteLine(string.Concat("uname: invalid option '", option, "' (use -a, -s, -n, -r, -v or -m)"));
                    return 1;
            }
        }
    }
}
