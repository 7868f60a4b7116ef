// Log.cs -- the vmkernel log: ESXi's line format, kept in a ring buffer (dmesg) and mirrored to the console
// above a threshold set by the `loglevel=` kernel option.
//
// Line format (ESXi 5.x-7.x): `2026-11-26T04:20:10.123Z cpu0:1)WARNING: Module: message`
//   time in UTC with milliseconds, `cpu<N>:<world id>)`, `WARNING: `/`ALERT: ` for those levels, module, message.
// Formatting happens in a static line buffer with interrupts off: logging works before the heap exists, from
// interrupt handlers, and never allocates.
using Kernel.Arch;
using Kernel.Console;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.Logging
{
    public static unsafe class Log
    {
        private const int RingChars = 128 * 1024;
        private const int LineChars = 512;

        private struct Buffers
        {
            public fixed char Ring[RingChars];
            public fixed char Line[LineChars];
        }

        private static Buffers s_buffers;
        private static LogRing s_ring;
        private static bool s_initialized;
        private static int s_lineLength;

        public static LogLevel ConsoleThreshold = LogLevel.Info;
        public static ulong LinesLogged;

        private static void EnsureInitialized()
        {
            if (s_initialized)
                return;
            fixed (char* ring = s_buffers.Ring)
                s_ring.Initialize(ring, RingChars);
            s_initialized = true;
        }

        public static void Debug(string module, string message) => Write(LogLevel.Debug, module, message);
        public static void Info(string module, string message) => Write(LogLevel.Info, module, message);
        public static void Warning(string module, string message) => Write(LogLevel.Warning, module, message);
        public static void Alert(string module, string message) => Write(LogLevel.Alert, module, message);

        public static void Write(LogLevel level, string module, string message)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            EnsureInitialized();
            s_lineLength = 0;
            AppendTimestamp(Clock.WallMilliseconds);
            Append(" cpu");
            AppendNumber((ulong)CurrentWorld.Cpu, 1);
            Append(':');
            AppendNumber((ulong)CurrentWorld.Id, 1);
            Append(')');
            if (level == LogLevel.Warning)
                Append("WARNING: ");
            else if (level == LogLevel.Alert)
                Append("ALERT: ");
            Append(module);
            Append(": ");
            Append(message);
            LinesLogged++;
            fixed (char* line = s_buffers.Line)
            {
                for (int i = 0; i < s_lineLength; i++)
                    s_ring.Append(line[i]);
                s_ring.Append('\n');
                if (level >= ConsoleThreshold)
                {
                    for (int i = 0; i < s_lineLength; i++)
                        KernelOutput.Write(line[i]);
                    KernelOutput.Write('\n');
                }
            }
            Cpu.RestoreInterrupts(flags);
        }

        private static void Append(char c)
        {
            if (s_lineLength < LineChars)
            {
                fixed (char* line = s_buffers.Line)
                    line[s_lineLength++] = c;
            }
        }

        private static void Append(string s)
        {
            if (s is null)
                return;
            for (int i = 0; i < s.Length; i++)
                Append(s[i] == '\n' ? ' ' : s[i]);
        }

        private static void AppendNumber(ulong value, int minDigits)
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

        private static void AppendTimestamp(long unixMilliseconds)
        {
            CivilTime t = CivilTime.FromUnixMilliseconds(unixMilliseconds);
            AppendNumber((ulong)t.Year, 4);
            Append('-');
            AppendNumber((ulong)t.Month, 2);
            Append('-');
            AppendNumber((ulong)t.Day, 2);
            Append('T');
            AppendNumber((ulong)t.Hour, 2);
            Append(':');
            AppendNumber((ulong)t.Minute, 2);
            Append(':');
            AppendNumber((ulong)t.Second, 2);
            Append('.');
            AppendNumber((ulong)t.Millisecond, 3);
            Append('Z');
        }

        /// <summary>Writes every complete line still in the ring (oldest first) to a character sink.</summary>
        public static void Dump(delegate*<char, void> sink)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            EnsureInitialized();
            int count = s_ring.Count;
            for (int i = s_ring.FirstLineStart(); i < count; i++)
                sink(s_ring.At(i));
            Cpu.RestoreInterrupts(flags);
        }

        /// <summary>Copies the ring's complete lines into a new string (for dmesg).</summary>
        public static string Snapshot()
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            EnsureInitialized();
            int start = s_ring.FirstLineStart();
            int count = s_ring.Count;
            char[] chars = new char[count - start];
            for (int i = start; i < count; i++)
                chars[i - start] = s_ring.At(i);
            Cpu.RestoreInterrupts(flags);
            return new string(chars, 0, chars.Length);
        }
    }
}
