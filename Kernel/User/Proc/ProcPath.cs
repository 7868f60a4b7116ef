// ProcPath.cs -- which absolute paths are /proc's: the path made canonical (empty and `.` parts dropped, `..` taken
// back), so `/proc/./12//stat` and `/proc/12/../self` name what they mean and `/proc/../etc` is not /proc at all.
using System.Collections.Generic;

namespace Kernel.User.Proc
{
    public static class ProcPath
    {
        public const string Root = "/proc";

        /// <summary>The parts below /proc (none for /proc itself), or null when the path is not in /proc.</summary>
        public static string[] Parts(string absolute)
        {
            if (absolute == null || absolute.Length < Root.Length || absolute[0] != '/')
                return null;
            var parts = new List<string>();
            int start = 1;
            for (int i = 1; i <= absolute.Length; i++)
            {
                if (i < absolute.Length && absolute[i] != '/')
                    continue;
                string part = absolute.Substring(start, i - start);
                start = i + 1;
                if (part.Length == 0 || part == ".")
                    continue;
                if (part == "..")
                {
                    if (parts.Count > 0)
                        parts.RemoveAt(parts.Count - 1);
                    continue;
                }
                parts.Add(part);
            }
            if (parts.Count == 0 || parts[0] != "proc")
                return null;
            parts.RemoveAt(0);
            return parts.ToArray();
        }

        /// <summary>A pid as /proc names it: decimal digits, no sign, no leading zero; -1 otherwise.</summary>
        public static int Pid(string part)
        {
            if (part.Length == 0 || part.Length > 9 || part[0] == '0')
                return -1;
            int value = 0;
            for (int i = 0; i < part.Length; i++)
            {
                if (part[i] < '0' || part[i] > '9')
                    return -1;
                value = value * 10 + (part[i] - '0');
            }
            return value;
        }
    }
}
