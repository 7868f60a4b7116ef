// Columns.cs -- table output without allocating: padded text and numbers appended to a stack LineBuilder and
// written to the shell in one go (ls -l, vdf and friends print a line per entry; building those lines with
// string.Concat would make several strings per line for the collector).
using Kernel.Text;

namespace Kernel.Shell
{
    internal static class Columns
    {
        /// <summary>Text padded with spaces to <paramref name="width"/>, on the right (left-aligned) or on the left.</summary>
        public static void Text(ref LineBuilder line, string text, int width, bool alignRight = false)
        {
            int pad = width - (text == null ? 0 : text.Length);
            if (alignRight)
                Spaces(ref line, pad);
            line.Append(text);
            if (!alignRight)
                Spaces(ref line, pad);
        }

        /// <summary>A decimal number right-aligned in <paramref name="width"/>.</summary>
        public static void Number(ref LineBuilder line, long value, int width)
        {
            int digits = 1;
            for (long v = value < 0 ? -value : value; v >= 10; v /= 10)
                digits++;
            Spaces(ref line, width - digits - (value < 0 ? 1 : 0));
            if (value < 0)
                line.Append('-');
            line.AppendDecimal((ulong)(value < 0 ? -value : value));
        }

        public static void Spaces(ref LineBuilder line, int count)
        {
            for (int i = 0; i < count; i++)
                line.Append(' ');
        }

        public static void WriteLine(Shell shell, ref LineBuilder line)
        {
            for (int i = 0; i < line.Length; i++)
                shell.Write(line[i]);
            shell.Write('\n');
            line.Clear();
        }
    }
}
