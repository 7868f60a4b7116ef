// CpCommand.cs -- `cp [-r] SRC DST`: copies a file (into a directory keeps the name), with -r a directory tree;
// into /tardisks mounts the file live. Ctrl-C stops a tree copy and removes what it copied.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class CpCommand : FsCommand
    {
        public override string Name => "cp";
        public override string Summary => "cp [-r] SRC DST  copy a file, -r a directory (into /tardisks: mount it)";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "rR", out string flags);
            if (first < 0 || args.Length - first != 2)
                return Usage(shell);
            string source = args[first];
            string destination = args[first + 1];
            Errno e = flags.Length != 0
                ? Root.CopyRecursive(shell.WorkingDirectory, source, destination, shell.Interrupted)
                : Root.Copy(shell.WorkingDirectory, source, destination);
            if (e == Errno.Ok)
                return 0;
            if (e == Errno.EINTR)
                return Fail(shell, source, e);
            // Name the file the error is about: the source if it cannot be read, else the destination.
            bool sourceOk = Root.Resolve(shell.WorkingDirectory, source, true, out FsNode from) == Errno.Ok
                && (from.Kind == FileKind.File || (flags.Length != 0 && from.IsDirectory));
            return Fail(shell, sourceOk ? destination : source, e);
        }
    }
}
