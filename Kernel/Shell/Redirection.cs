// Redirection.cs -- `cmd > FILE` and `cmd >> FILE`: the shell splits off the target (outside quotes); the output
// streams into the file (RedirectedOutput); ENOSPC and friends are reported like sh.
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

        /// <summary>sh's message for a redirection target that cannot be created or written; status 1.</summary>
        public static int Fail(Shell shell, string target, Errno error)
        {
            shell.WriteError(string.Concat("sh: can't create ", target, string.Concat(": ", ErrnoText.Describe(error))));
            return 1;
        }
    }
}
