// HelpCommand.cs -- `help`: lists every command with its summary, and the kernel options.
namespace Kernel.Shell.Commands
{
    internal sealed class HelpCommand : ShellCommand
    {
        public override string Name => "help";
        public override string Summary => "list commands and kernel options";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine("Commands:");
            CommandTable commands = shell.Commands;
            for (int i = 0; i < commands.Count; i++)
                shell.WriteLine(string.Concat("  ", commands[i].Name.PadRight(10), commands[i].Summary));
            shell.WriteLine("Kernel options (boot command line or --kernelopt):");
            shell.Write(Init.KernelOptions.Describe());
            return 0;
        }
    }
}
