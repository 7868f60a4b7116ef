// TouchCommand.cs -- `touch FILE...`: creates empty files or updates their time.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class TouchCommand : FsCommand
    {
        public override string Name => "touch";
        public override string Summary => "touch FILE...  create files or update their time";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length < 2)
                return Usage(shell);
            int status = 0;
            for (int i = 1; i < args.Length; i++)
            {
                Errno e = Root.Touch(shell.WorkingDirectory, args[i]);
                if (e != Errno.Ok)
                    status = Fail(shell, args[i], e);
            }
            return status;
        }
    }
}
