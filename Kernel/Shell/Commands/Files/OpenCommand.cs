// OpenCommand.cs -- `open FILE`: opens a file and keeps it open (prints its descriptor) until `close FD`; with it
// a test can hold a tardisk busy and watch `rm /tardisks/NAME` fail with EBUSY. `open` alone lists open files.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class OpenCommand : FsCommand
    {
        public override string Name => "open";
        public override string Summary => "open [FILE]  hold a file open (prints the fd; close FD ends it); no FILE: list";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length == 1)
            {
                for (int i = 0; i < OpenFileTable.MaxFiles; i++)
                {
                    OpenFile f = Root.Files.At(i);
                    if (f != null)
                        shell.WriteLine(string.Concat(f.Descriptor.ToString().PadLeft(4), string.Concat("  ", f.Owner.PadRight(8), " "), string.Concat(f.Node.Path, "  (", f.Node.Layer, ")")));
                }
                return 0;
            }
            if (args.Length != 2)
                return Usage(shell);
            Errno e = Root.Resolve(shell.WorkingDirectory, args[1], true, out FsNode node);
            int fd = -1;
            if (e == Errno.Ok)
                e = Root.Files.Open(node, "shell", out fd);
            if (e != Errno.Ok)
                return Fail(shell, args[1], e);
            shell.WriteLine(string.Concat("opened ", node.Path, " as fd ", fd.ToString()));
            return 0;
        }
    }
}
