// LsCommand.cs -- `ls [-la] [PATH...]`: names one per line, or long lines with the mode string (the sticky bit
// shows as T/t), size, time and symlink target; names starting with `.` (the `.#` markers too) only with -a.
using System.Collections.Generic;
using Kernel.Text;
using Kernel.Time;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class LsCommand : FsCommand
    {
        public override string Name => "ls";
        public override string Summary => "ls [-la] [PATH...]  list directory contents";

        protected override int RunFs(Shell shell, string[] args)
        {
            int first = ParseFlags(args, "laA1dh", out string flags);
            if (first < 0)
                return Usage(shell);
            bool longFormat = flags.IndexOf('l') >= 0;
            bool all = flags.IndexOf('a') >= 0 || flags.IndexOf('A') >= 0;
            int status = 0;
            int operands = args.Length - first;
            if (operands == 0)
                return List(shell, ".", longFormat, all, false);
            for (int i = first; i < args.Length; i++)
                if (List(shell, args[i], longFormat, all, operands > 1) != 0)
                    status = 1;
            return status;
        }

        private int List(Shell shell, string path, bool longFormat, bool all, bool heading)
        {
            // A symlink named on the command line is shown as itself with -l, or when it leads nowhere or to a
            // file (as ls does); without -l a link to a directory lists the directory.
            Errno lnk = Root.Resolve(shell.WorkingDirectory, path, false, out FsNode self);
            Errno e = Root.Resolve(shell.WorkingDirectory, path, true, out FsNode node);
            if (lnk == Errno.Ok && self.Kind == FileKind.Symlink && (longFormat || e != Errno.Ok || !node.IsDirectory))
            {
                Print(shell, self, path, longFormat);
                return 0;
            }
            if (e != Errno.Ok)
                return Fail(shell, path, e);
            if (!node.IsDirectory)
            {
                Print(shell, node, path, longFormat);
                return 0;
            }
            var entries = new List<DirEntry>();
            Root.ReadDirectory(node, entries);
            DirEntryOrder.ByName(entries);
            if (heading)
                shell.WriteLine(string.Concat(path, ":"));
            if (longFormat)
            {
                long blocks = 0;
                for (int i = 0; i < entries.Count; i++)
                    if (all || entries[i].Name[0] != '.')
                        blocks += (entries[i].Node.Size + 1023) / 1024;
                var total = new LineBuilder();
                total.Append("total ");
                total.AppendDecimal((ulong)blocks);
                Columns.WriteLine(shell, ref total);
            }
            for (int i = 0; i < entries.Count; i++)
            {
                if (!all && entries[i].Name.Length > 0 && entries[i].Name[0] == '.')
                    continue;
                Print(shell, entries[i].Node, entries[i].Name, longFormat);
                if ((i & 63) == 63 && shell.Interrupted())
                    return Shell.InterruptedStatus;
            }
            return 0;
        }

        // `-rw-r--r--    1 root     root           123 Nov 26 06:09 motd` as busybox prints it, built without allocating.
        private static void Print(Shell shell, FsNode node, string name, bool longFormat)
        {
            if (!longFormat)
            {
                shell.WriteLine(name);
                return;
            }
            var line = new LineBuilder();
            FileMode.Append(ref line, node.Kind, node.Mode);
            line.Append("    1 root     root     ");
            Columns.Number(ref line, node.Size, 10);
            line.Append(' ');
            AppendTime(ref line, node.ModificationTime);
            line.Append(' ');
            line.Append(name);
            if (node.Kind == FileKind.Symlink)
            {
                line.Append(" -> ");
                line.Append(node.LinkTarget);
            }
            Columns.WriteLine(shell, ref line);
        }

        private static readonly string[] s_months = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

        /// <summary>`Nov 26 06:09`.</summary>
        public static void AppendTime(ref LineBuilder line, long unixSeconds)
        {
            CivilTime t = CivilTime.FromUnixMilliseconds(unixSeconds * 1000);
            line.Append(t.Month >= 1 && t.Month <= 12 ? s_months[t.Month - 1] : "???");
            line.Append(' ');
            Columns.Number(ref line, t.Day, 2);
            line.Append(' ');
            line.AppendDecimal((ulong)t.Hour, 2);
            line.Append(':');
            line.AppendDecimal((ulong)t.Minute, 2);
        }

        /// <summary>`Nov 26 06:09` as a string (for stat).</summary>
        public static string FormatTime(long unixSeconds)
        {
            var line = new LineBuilder();
            AppendTime(ref line, unixSeconds);
            char[] chars = new char[line.Length];
            for (int i = 0; i < chars.Length; i++)
                chars[i] = line[i];
            string text = new string(chars, 0, chars.Length);
            return text;
        }
    }
}
