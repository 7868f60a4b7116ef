// StatCommand.cs -- `stat PATH...`: size, type, mode, the layer that holds it (ramdisk or tardisk) and its time.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class StatCommand : FsCommand
    {
        public override string Name => "stat";
        public override string Summary => "stat PATH...  show file status and the layer holding it";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length < 2)
                return Usage(shell);
            int status = 0;
            for (int i = 1; i < args.Length; i++)
            {
                Errno e = Root.Resolve(shell.WorkingDirectory, args[i], false, out FsNode node);
                if (e != Errno.Ok)
                {
                    status = Fail(shell, args[i], e);
                    continue;
                }
                shell.WriteLine(string.Concat("  File: ", node.Path, node.Kind == FileKind.Symlink ? string.Concat(" -> ", node.LinkTarget) : ""));
                shell.WriteLine(string.Concat("  Size: ", node.Size.ToString().PadRight(12), string.Concat("Blocks: ", ((node.Size + 511) / 512).ToString().PadRight(8), KindText(node.Kind))));
                shell.WriteLine(string.Concat("Device: ", node.Layer));
                shell.WriteLine(string.Concat("Access: (", FileMode.Octal(node.Mode & FileMode.PermissionMask).PadLeft(4, '0'), string.Concat("/", FileMode.ToText(node.Kind, node.Mode), ")  Uid: (    0/    root)   Gid: (    0/    root)")));
                shell.WriteLine(string.Concat("Modify: ", LsCommand.FormatTime(node.ModificationTime)));
            }
            return status;
        }

        private static string KindText(FileKind kind) => kind switch
        {
            FileKind.Directory => "directory",
            FileKind.Symlink => "symbolic link",
            FileKind.CharDevice => "character special file",
            FileKind.BlockDevice => "block special file",
            FileKind.Fifo => "fifo",
            _ => "regular file",
        };
    }
}
