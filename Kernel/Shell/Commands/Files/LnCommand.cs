// LnCommand.cs -- `ln -s TARGET LINK`: makes a symlink in a ramdisk. VisorFS has no hard links (a tardisk's are
// resolved at mount), so plain `ln` is refused.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class LnCommand : FsCommand
    {
        public override string Name => "ln";
        public override string Summary => "ln -s TARGET LINK  make a symbolic link";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "s", out string flags);
            if (first < 0 || args.Length - first != 2)
                return Usage(shell);
            if (flags.Length == 0)
            {
                shell.WriteError("ln: hard links are not supported by VisorFS; use ln -s");
                return 1;
            }
            Errno e = Root.Symlink(shell.WorkingDirectory, args[first], args[first + 1]);
            return e == Errno.Ok ? 0 : Fail(shell, args[first + 1], e);
        }
    }
}
