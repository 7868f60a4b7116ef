// CloseCommand.cs -- `close FD`: closes a file `open` held open.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class CloseCommand : FsCommand
    {
        public override string Name => "close";
        public override string Summary => "close FD  close a file held open by open";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 2 || !int.TryParse(args[1], out int fd))
                return Usage(shell);
            Errno e = Root.Files.Close(fd);
            return e == Errno.Ok ? 0 : Fail(shell, args[1], e);
        }
    }
}
