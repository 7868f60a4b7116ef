// PanicWriter.cs -- builds panic-screen lines in a static buffer and sends each to the screen and, prefixed with
// `@BlueScreen: `, to the serial port. Never allocates: the heap may be what broke.
using Kernel.Console;

namespace Kernel.Panic
{
    internal static unsafe class PanicWriter
    {
        private const int LineChars = 160;

        private struct LineBuffer
        {
            public fixed char Chars[LineChars];
        }

        private static LineBuffer s_line;
        private static int s_length;

        public static void Append(char c)
        {
            if (s_length < LineChars)
            {
                fixed (char* line = s_line.Chars)
                    line[s_length++] = c;
            }
        }

        public static void Append(string s)
        {
            if (s is null)
                return;
            for (int i = 0; i < s.Length; i++)
                Append(s[i]);
        }

        public static void Append(byte* ascii, int length)
        {
            for (int i = 0; i < length; i++)
                Append((char)ascii[i]);
        }

        public static void AppendHex(ulong value, int digits = 1)
        {
            Append("0x");
            int shown = 16;
            while (shown > digits && ((value >> ((shown - 1) * 4)) & 0xF) == 0)
                shown--;
            for (int i = shown - 1; i >= 0; i--)
            {
                int d = (int)((value >> (i * 4)) & 0xF);
                Append((char)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }

        public static void AppendDecimal(ulong value, int minDigits = 1)
        {
            char* digits = stackalloc char[20];
            int n = 0;
            do
            {
                digits[n++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);
            for (int i = n; i < minDigits; i++)
                Append('0');
            while (n > 0)
                Append(digits[--n]);
        }

        public static void EndLine()
        {
            KernelOutput.WriteSerial("@BlueScreen: ");
            fixed (char* line = s_line.Chars)
            {
                for (int i = 0; i < s_length; i++)
                    KernelOutput.WriteSerial(line[i]);
                KernelOutput.WriteSerial('\n');
                for (int i = 0; i < s_length; i++)
                    KernelOutput.WriteScreen(line[i]);
                KernelOutput.WriteScreen('\n');
            }
            s_length = 0;
        }

        public static void Line(string text)
        {
            Append(text);
            EndLine();
        }
    }
}
