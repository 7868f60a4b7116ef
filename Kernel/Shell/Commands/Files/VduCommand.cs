// VduCommand.cs -- `vdu [-h] [PATH]`: VisorFS usage per directory, like du: every directory below PATH with the
// bytes of the files in it and below (1K blocks, or human sizes with -h), PATH itself last.
using System.Collections.Generic;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class VduCommand : FsCommand
    {
        private const int MaxDepth = 64;

        public override string Name => "vdu";
        public override string Summary => "vdu [-h] [PATH]  visorfs usage per directory";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "hs", out string flags);
            if (first < 0 || args.Length - first > 1)
                return Usage(shell);
            string path = first < args.Length ? args[first] : ".";
            Errno e = Root.Resolve(shell.WorkingDirectory, path, true, out FsNode node);
            if (e != Errno.Ok)
                return Fail(shell, path, e);
            bool human = flags.IndexOf('h') >= 0;
            bool summary = flags.IndexOf('s') >= 0;
            long total = node.IsDirectory ? Walk(shell, node, path, human, summary, 0) : node.Size;
            Print(shell, total, path, human);
            return 0;
        }

        private static long Walk(Shell shell, FsNode dir, string shown, bool human, bool summary, int depth)
        {
            if (dir.TardisksDir || depth > MaxDepth)
                return 0;
            var entries = new List<DirEntry>();
            Root.ReadDirectory(dir, entries);
            long total = 0;
            for (int i = 0; i < entries.Count; i++)
            {
                FsNode child = entries[i].Node;
                if (child.IsDirectory)
                {
                    string childShown = shown == "/" ? string.Concat("/", entries[i].Name) : string.Concat(shown, "/", entries[i].Name);
                    long sub = Walk(shell, child, childShown, human, summary, depth + 1);
                    if (!summary)
                        Print(shell, sub, childShown, human);
                    total += sub;
                }
                else if (child.Kind == FileKind.File)
                {
                    total += child.Size;
                }
            }
            return total;
        }

        private static void Print(Shell shell, long bytes, string path, bool human)
            => shell.WriteLine(string.Concat((human ? SizeText.Human(bytes) : SizeText.Kilobytes(bytes)).PadRight(8), path));
    }
}
