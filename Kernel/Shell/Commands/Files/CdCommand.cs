// CdCommand.cs -- `cd [DIR]`: changes the shell's working directory (shown in the prompt); no argument = `/`.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class CdCommand : FsCommand
    {
        public override string Name => "cd";
        public override string Summary => "cd [DIR]  change the working directory";

        protected override int RunFs(Shell shell, string[] args)
        {
            string path = args.Length > 1 ? args[1] : "/";
            Errno e = Root.Resolve(shell.WorkingDirectory, path, true, out FsNode node);
            if (e == Errno.Ok && !node.IsDirectory)
                e = Errno.ENOTDIR;
            if (e != Errno.Ok)
                return Fail(shell, path, e);
            shell.WorkingDirectory = node.Path;
            return 0;
        }
    }
}
