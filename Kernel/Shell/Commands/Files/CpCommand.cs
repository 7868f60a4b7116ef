// CpCommand.cs -- `cp SRC DST`: copies a file (into a directory keeps the name); into /tardisks mounts it live.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class CpCommand : FsCommand
    {
        public override string Name => "cp";
        public override string Summary => "cp SRC DST  copy a file (into /tardisks: mount it)";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length != 3)
                return Usage(shell);
            Errno e = Root.Copy(shell.WorkingDirectory, args[1], args[2]);
            if (e == Errno.Ok)
                return 0;
            // Name the file the error is about: the source if it cannot be read, else the destination.
            bool sourceOk = Root.Resolve(shell.WorkingDirectory, args[1], true, out FsNode source) == Errno.Ok && source.Kind == FileKind.File;
            return Fail(shell, sourceOk ? args[2] : args[1], e);
        }
    }
}
