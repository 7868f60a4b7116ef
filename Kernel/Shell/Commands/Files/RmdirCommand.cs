// RmdirCommand.cs -- `rmdir DIR...`: removes empty directories (a tardisk's is hidden).
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class RmdirCommand : FsCommand
    {
        public override string Name => "rmdir";
        public override string Summary => "rmdir DIR...  remove empty directories";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length < 2)
                return Usage(shell);
            int status = 0;
            for (int i = 1; i < args.Length; i++)
            {
                Errno e = Root.Rmdir(shell.WorkingDirectory, args[i]);
                if (e != Errno.Ok)
                    status = Fail(shell, args[i], e);
            }
            return status;
        }
    }
}
