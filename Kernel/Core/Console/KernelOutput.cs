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

        /// <summary>
        /// Writes the whole string with interrupts off, so that a log line from another world (which is written the
        /// same way) lands before or after it, never inside it (a test saw "sh: can't create" + a log line + " /fill").
        /// </summary>
        public static void Write(string text)
        {
            if (text is null)
                return;
            ulong flags = Kernel.Arch.Cpu.SaveAndDisableInterrupts();
            for (int i = 0; i < text.Length; i++)
                Write(text[i]);
            Kernel.Arch.Cpu.RestoreInterrupts(flags);
        }

        /// <summary>The string and its newline as one piece (see <see cref="Write(string)"/>).</summary>
        public static void WriteLine(string text)
        {
            ulong flags = Kernel.Arch.Cpu.SaveAndDisableInterrupts();
            Write(text);
            Write('\n');
            Kernel.Arch.Cpu.RestoreInterrupts(flags);
        }

        public static void WriteSerial(string text)
        {
            for (int i = 0; i < text.Length; i++)
                WriteSerial(text[i]);
        }
    }
}
