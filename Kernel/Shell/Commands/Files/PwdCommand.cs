// PwdCommand.cs -- `pwd`: prints the shell's working directory.
namespace Kernel.Shell.Commands
{
    internal sealed class PwdCommand : ShellCommand
    {
        public override string Name => "pwd";
        public override string Summary => "print the working directory";

        public override int Run(Shell shell, string[] args)
        {
            shell.WriteLine(shell.WorkingDirectory);
            return 0;
        }
    }
}
