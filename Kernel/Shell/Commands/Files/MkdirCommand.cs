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
                if (e == Errno.EINTR)
                    return Fail(shell, args[i], e);
                if (e != Errno.Ok)
                    status = Fail(shell, args[i], e);
            }
            return status;
        }

        // `mkdir -p`: each component from the top down, made when missing. A loop, not recursion: a path may be
        // 2,000 levels deep and a world's stack is 64 KiB. Ctrl-C stops between levels (what was made stays).
        private static Errno MakeAll(Shell shell, string path)
        {
            Errno e = Root.Resolve("/", path, true, out FsNode node);
            if (e == Errno.Ok)
                return node.IsDirectory ? Errno.Ok : Errno.EEXIST;
            if (e != Errno.ENOENT)
                return e;
            int end = 1;
            while (end < path.Length)
            {
                while (end < path.Length && path[end] == '/')
                    end++;
                while (end < path.Length && path[end] != '/')
                    end++;
                if (shell.Interrupted())
                    return Errno.EINTR;
                string prefix = path.Substring(0, end);
                e = Root.Resolve("/", prefix, true, out node);
                if (e == Errno.ENOENT)
                    e = Root.Mkdir("/", prefix, 0x1ED);
                else if (e == Errno.Ok && !node.IsDirectory)
                    e = end >= path.Length ? Errno.EEXIST : Errno.ENOTDIR;
                if (e != Errno.Ok)
                    return e;
            }
            return Errno.Ok;
        }
    }
}
