// ChmodCommand.cs -- `chmod MODE FILE...`: sets permission bits, octal (`1644`) or symbolic (`+t`, `u+x,go-w`);
// `chmod +t FILE` is how a file is made persistent (sticky) on ESXi.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class ChmodCommand : FsCommand
    {
        public override string Name => "chmod";
        public override string Summary => "chmod MODE FILE...  set permissions (644, 1755, +t, u+x,go-w)";

        protected override int RunFs(Shell shell, string[] args)
        {
            // No options: a MODE such as "-t" or "-w" starts with '-' and is taken as the mode.
            if (args.Length < 3)
                return Usage(shell);
            string mode = args[1];
            int status = 0;
            for (int i = 2; i < args.Length; i++)
            {
                Errno e = Root.Chmod(shell.WorkingDirectory, args[i], mode);
                if (e == Errno.EINVAL)
                {
                    shell.WriteError(string.Concat("chmod: invalid mode: '", mode, "'"));
                    return 1;
                }
                if (e != Errno.Ok)
                    status = Fail(shell, args[i], e);
            }
            return status;
        }
    }
}
