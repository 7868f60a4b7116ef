// KernelOutput.cs -- where kernel text goes: the serial port and the screen, each registered by its driver.
//
// Sinks are plain function pointers so that output works before the heap exists and inside the panic path,
// where nothing may allocate.
using Internal.Runtime;

namespace Kernel.Console
{
    public static unsafe class KernelOutput
    {
        // Guards one string at a time from every CPU and interrupt handler, so lines never interleave.
        private static KernelLock s_lock;

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
            ulong flags = s_lock.Enter(LockRank.Console);
            for (int i = 0; i < text.Length; i++)
                Write(text[i]);
            s_lock.Exit(flags);
        }

        /// <summary>The string and its newline as one piece (see <see cref="Write(string)"/>).</summary>
        public static void WriteLine(string text)
        {
            ulong flags = s_lock.Enter(LockRank.Console);
            Write(text);
            Write('\n');
            s_lock.Exit(flags);
        }

        public static void WriteSerial(string text)
        {
            for (int i = 0; i < text.Length; i++)
                WriteSerial(text[i]);
        }
    }
}
