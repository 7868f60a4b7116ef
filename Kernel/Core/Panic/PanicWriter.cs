// PanicWriter.cs -- builds panic-screen lines in a static buffer and sends each to the screen and, prefixed with
// `@BlueScreen: `, to the serial port. Never allocates: the heap may be what broke.
using Kernel.Console;
using Kernel.Text;

namespace Kernel.Panic
{
    internal static unsafe class PanicWriter
    {
        private static LineBuilder s_line;

        public static void Append(char c) => s_line.Append(c);

        public static void Append(string s) => s_line.Append(s);

        public static void Append(byte* ascii, int length) => s_line.AppendAscii(ascii, length);

        public static void AppendHex(ulong value, int digits = 1) => s_line.AppendHex(value, digits);

        public static void AppendDecimal(ulong value, int minDigits = 1) => s_line.AppendDecimal(value, minDigits);

        public static void EndLine()
        {
            KernelOutput.WriteSerial("@BlueScreen: ");
            int length = s_line.Length;
            for (int i = 0; i < length; i++)
                KernelOutput.WriteSerial(s_line[i]);
            KernelOutput.WriteSerial('\n');
            for (int i = 0; i < length; i++)
                KernelOutput.WriteScreen(s_line[i]);
            KernelOutput.WriteScreen('\n');
            s_line.Clear();
        }

        public static void Line(string text)
        {
            Append(text);
            EndLine();
        }
    }
}
