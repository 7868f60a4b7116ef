// RmCommand.cs -- `rm [-rf] FILE...`: deletes files (a tardisk's are hidden), with -r directories and what they
// hold; `rm /tardisks/NAME` unmounts a tardisk and fails with "Device or resource busy" while one of its files is open.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class RmCommand : FsCommand
    {
        public override string Name => "rm";
        public override string Summary => "rm [-rf] FILE...  remove files, -r directories too (/tardisks/NAME: unmount)";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "rfR", out string flags);
            if (first < 0 || (first >= args.Length && flags.Length == 0))
                return Usage(shell);
            bool force = flags.IndexOf('f') >= 0;
            bool recursive = flags.IndexOf('r') >= 0 || flags.IndexOf('R') >= 0;
            int status = 0;
            for (int i = first; i < args.Length; i++)
            {
                Errno e = recursive
                    ? Root.RemoveTree(shell.WorkingDirectory, args[i], shell.Interrupted)
                    : Root.Unlink(shell.WorkingDirectory, args[i]);
                if (e == Errno.ENOENT && force)
                    continue;
                if (e == Errno.EINTR)
                    return Fail(shell, args[i], e);   // Ctrl-C: stop here, leave what was not reached
                if (e != Errno.Ok)
                    status = Fail(shell, args[i], e);
            }
            return status;
        }
    }
}
