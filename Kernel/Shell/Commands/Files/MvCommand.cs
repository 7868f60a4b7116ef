// MvCommand.cs -- `mv SRC DST`: renames a file or directory; moving an archive into /tardisks mounts it live.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class MvCommand : FsCommand
    {
        public override string Name => "mv";
        public override string Summary => "mv SRC DST  move or rename (into /tardisks: mount it)";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 3)
                return Usage(shell);
            Errno e = Root.Rename(shell.WorkingDirectory, args[1], args[2]);
            return e == Errno.Ok ? 0 : Fail(shell, args[1], e);
        }
    }
}
