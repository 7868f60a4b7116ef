// EchoCommand.cs -- `echo [-n] WORDS...`: prints its arguments (with `> FILE` / `>> FILE` the shell writes them).
namespace Kernel.Shell.Commands
{
    internal sealed class EchoCommand : ShellCommand
    {
        public override string Name => "echo";
        public override string Summary => "echo [-n] TEXT...  print text (> FILE, >> FILE redirect)";

        public override int Run(Shell shell, string[] args)
        {
            int first = 1;
            bool newline = true;
            if (args.Length > 1 && args[1] == "-n")
            {
                newline = false;
                first = 2;
            }
            for (int i = first; i < args.Length; i++)
            {
                if (i > first)
                    shell.Write(' ');
                shell.Write(args[i]);
            }
            if (newline)
                shell.Write('\n');
            return 0;
        }
    }
}
