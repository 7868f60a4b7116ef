// Redirection.cs -- `cmd > FILE` and `cmd >> FILE`: the shell splits off the target (outside quotes), captures
// the command's output and writes it to the file through VisorFS (ENOSPC and friends reported like sh).
using System;
using Internal.Runtime;
using Kernel.VisorFs;

namespace Kernel.Shell
{
    internal static class Redirection
    {
        /// <summary>Splits `echo a > f` into `echo a`, `f`; target null when there is no redirection. False: `>` without a file.</summary>
        public static bool TrySplit(string line, out string command, out string target, out bool append)
        {
            command = line;
            target = null;
            append = false;
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (c == '"')
                    quoted = !quoted;
                if (c != '>' || quoted)
                    continue;
                append = i + 1 < line.Length && line[i + 1] == '>';
                string rest = line.Substring(append ? i + 2 : i + 1).Trim();
                if (rest.Length >= 2 && rest[0] == '"' && rest[rest.Length - 1] == '"')
                    rest = rest.Substring(1, rest.Length - 2);
                if (rest.Length == 0)
                    return false;
                command = line.Substring(0, i);
                target = rest;
                return true;
            }
            return true;
        }

        public static int WriteTo(Shell shell, string target, System.Text.StringBuilder captured, bool append, int status)
        {
            string text = captured.ToString();
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
            {
                shell.WriteError(string.Concat("sh: ", target, ": no file system"));
                return 1;
            }
            int length = global::VisorFs.Utf8.GetByteCount(text);
            byte[] bytes = new byte[length];
            global::VisorFs.Utf8.Encode(text, bytes);
            FsLock.Enter();
            Errno e = root.WriteFile(shell.WorkingDirectory, target, bytes, append);
            FsLock.Exit();
            if (e != Errno.Ok)
            {
                shell.WriteError(string.Concat("sh: can't create ", target, string.Concat(": ", ErrnoText.Describe(e))));
                return 1;
            }
            return status;
        }
    }
}
