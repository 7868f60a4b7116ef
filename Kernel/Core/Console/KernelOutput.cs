// KernelOutput.cs -- where kernel text goes: the serial port and the screen, each registered by its driver.
//
// Sinks are plain function pointers so that output works before the heap exists and inside the panic path,
// where nothing may allocate.
namespace Kernel.Console
{
    public static unsafe class KernelOutput
    {
        private static delegate*<byte, void> s_serial;
        private static delegate*<char, void> s_screen;

        public static void SetSerialSink(delegate*<byte, void> sink) => s_serial = sink;
        public static void SetScreenSink(delegate*<char, void> sink) => s_screen = sink;
        public static bool HasScreen => s_screen != null;

        public static void WriteSerial(char c)
        {
            if (s_serial == null)
                return;
            if (c == '\n')
                s_serial((byte)'\r');
            s_serial(c < 128 ? (byte)c : (byte)'?');
        }

        public static void WriteScreen(char c)
        {
            if (s_screen != null)
                s_screen(c);
        }

        public static void Write(char c)
        {
            WriteSerial(c);
            WriteScreen(c);
        }

        public static void Write(string text)
        {
            if (text is null)
                return;
            for (int i = 0; i < text.Length; i++)
                Write(text[i]);
        }

        public static void WriteLine(string text)
        {
            Write(text);
            Write('\n');
        }

        public static void WriteSerial(string text)
        {
            for (int i = 0; i < text.Length; i++)
                WriteSerial(text[i]);
        }
    }
}
