// MkdirCommand.cs -- `mkdir [-p] DIR...`: makes directories (with -p, the missing parents too).
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class MkdirCommand : FsCommand
    {
        public override string Name => "mkdir";
        public override string Summary => "mkdir [-p] DIR...  make directories";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "p", out string flags);
            if (first < 0 || first >= args.Length)
                return Usage(shell);
            bool parents = flags.IndexOf('p') >= 0;
            int status = 0;
            for (int i = first; i < args.Length; i++)
            {
                Errno e = parents ? MakeAll(shell, FsPath.Absolute(shell.WorkingDirectory, args[i])) : Root.Mkdir(shell.WorkingDirectory, args[i], 0x1ED);
                if (e != Errno.Ok)
                    status = Fail(shell, args[i], e);
            }
            return status;
        }

        private static Errno MakeAll(Shell shell, string path)
        {
            Errno e = Root.Resolve("/", path, true, out FsNode node);
            if (e == Errno.Ok)
                return node.IsDirectory ? Errno.Ok : Errno.EEXIST;
            string parent = FsPath.DirectoryPart(path);
            if (parent != path && parent != "/")
            {
                e = MakeAll(shell, parent);
                if (e != Errno.Ok)
                    return e;
            }
            return Root.Mkdir("/", path, 0x1ED);
        }
    }
}
