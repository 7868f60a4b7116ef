// Log.cs -- the vmkernel log: ESXi's line format, kept in a ring buffer (dmesg) and mirrored to the console
// above a threshold set by the `loglevel=` kernel option.
//
// Line format (ESXi 5.x-7.x): `2026-11-26T04:20:10.123Z cpu0:1)WARNING: Module: message`
//   time in UTC with milliseconds, `cpu<N>:<world id>)`, `WARNING: `/`ALERT: ` for those levels, module, message.
// Formatting happens in a static line buffer with interrupts off: logging works before the heap exists, from
// interrupt handlers, and never allocates.
using Internal.Runtime;
using System;
using Kernel.Arch;
using Kernel.Console;
using Kernel.Text;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.Logging
{
    public static unsafe class Log
    {
        // Guards the log ring and the line being built: one writer at a time on every CPU (lines never interleave), and interrupt handlers log too.
        private static KernelLock s_lock;

        private const int RingChars = 128 * 1024;

        private struct RingBuffer
        {
            public fixed char Chars[RingChars];
        }

        private static RingBuffer s_buffer;
        private static LogRing s_ring;
        private static bool s_initialized;
        private static LineBuilder s_line;

        public static LogLevel ConsoleThreshold = LogLevel.Info;

        // The console's prompt keeper (the shell): called with false to ask whether a prompt is waiting on the console
        // (then the log line goes on a line of its own), with true to draw the prompt and the half-typed line again
        // after it, so the prompt is always the last thing on the console. Must not allocate or block.
        private static delegate*<bool, bool> s_consolePrompt;

        public static void SetConsolePrompt(delegate*<bool, bool> keeper) => s_consolePrompt = keeper;
        public static ulong LinesLogged;

        private static void EnsureInitialized()
        {
            if (s_initialized)
                return;
            fixed (char* ring = s_buffer.Chars)
                s_ring.Initialize(ring, RingChars);
            s_initialized = true;
        }

        public static void Debug(string module, string message) => Write(LogLevel.Debug, module, message);
        public static void Info(string module, string message) => Write(LogLevel.Info, module, message);
        public static void Warning(string module, string message) => Write(LogLevel.Warning, module, message);
        public static void Alert(string module, string message) => Write(LogLevel.Alert, module, message);

        public static void Write(LogLevel level, string module, string message)
        {
            ulong flags = s_lock.Enter(LockRank.Log);
            EnsureInitialized();
            s_line.Clear();
            AppendTimestamp(Clock.WallMilliseconds);
            s_line.Append(" cpu");
            s_line.AppendDecimal((ulong)ThisCpu.Index);   // the CPU writing the line (cpuN:WID)
            s_line.Append(':');
            s_line.AppendDecimal((ulong)CurrentWorld.Id);
            s_line.Append(')');
            if (level == LogLevel.Warning)
                s_line.Append("WARNING: ");
            else if (level == LogLevel.Alert)
                s_line.Append("ALERT: ");
            s_line.AppendSingleLine(module);
            s_line.Append(": ");
            s_line.AppendSingleLine(message);
            LinesLogged++;
            int length = s_line.Length;
            for (int i = 0; i < length; i++)
                s_ring.Append(s_line[i]);
            s_ring.Append('\n');
            if (level >= ConsoleThreshold)
            {
                bool atPrompt = s_consolePrompt != null && s_consolePrompt(false);
                if (atPrompt)
                    KernelOutput.Write('\n');
                for (int i = 0; i < length; i++)
                    KernelOutput.Write(s_line[i]);
                KernelOutput.Write('\n');
                if (atPrompt)
                    s_consolePrompt(true);
            }
            s_lock.Exit(flags);
        }

        private static void AppendTimestamp(long unixMilliseconds)
        {
            CivilTime t = CivilTime.FromUnixMilliseconds(unixMilliseconds);
            s_line.AppendDecimal((ulong)t.Year, 4);
            s_line.Append('-');
            s_line.AppendDecimal((ulong)t.Month, 2);
            s_line.Append('-');
            s_line.AppendDecimal((ulong)t.Day, 2);
            s_line.Append('T');
            s_line.AppendDecimal((ulong)t.Hour, 2);
            s_line.Append(':');
            s_line.AppendDecimal((ulong)t.Minute, 2);
            s_line.Append(':');
            s_line.AppendDecimal((ulong)t.Second, 2);
            s_line.Append('.');
            s_line.AppendDecimal((ulong)t.Millisecond, 3);
            s_line.Append('Z');
        }

        /// <summary>Characters ever logged: a position for <see cref="ReadSince"/>.</summary>
        public static long Position
        {
            get
            {
                ulong flags = s_lock.Enter(LockRank.Log);
                EnsureInitialized();
                long position = s_ring.TotalWritten;
                s_lock.Exit(flags);
                return position;
            }
        }

        /// <summary>
        /// Copies up to <paramref name="into"/>.Length characters logged since <paramref name="from"/> (a value of
        /// <see cref="Position"/>) and advances it; characters the ring already overwrote are skipped and counted in
        /// <paramref name="lost"/>. For the log writer world.
        /// </summary>
        public static int ReadSince(ref long from, Span<char> into, out long lost)
        {
            ulong flags = s_lock.Enter(LockRank.Log);
            EnsureInitialized();
            long total = s_ring.TotalWritten;
            long oldest = total - s_ring.Count;
            lost = from < oldest ? oldest - from : 0;
            if (from < oldest)
                from = oldest;
            int n = 0;
            while (from < total && n < into.Length)
            {
                into[n++] = s_ring.At((int)(from - oldest));
                from++;
            }
            s_lock.Exit(flags);
            return n;
        }

        /// <summary>Writes every complete line still in the ring (oldest first) to a character sink.</summary>
        public static void Dump(delegate*<char, void> sink)
        {
            ulong flags = s_lock.Enter(LockRank.Log);
            EnsureInitialized();
            int count = s_ring.Count;
            for (int i = s_ring.FirstLineStart(); i < count; i++)
                sink(s_ring.At(i));
            s_lock.Exit(flags);
        }

        /// <summary>Copies the ring's complete lines into a new string (for dmesg).</summary>
        public static string Snapshot()
        {
            ulong flags = s_lock.Enter(LockRank.Log);
            EnsureInitialized();
            int start = s_ring.FirstLineStart();
            int count = s_ring.Count;
            char[] chars = new char[count - start];
            for (int i = start; i < count; i++)
                chars[i - start] = s_ring.At(i);
            s_lock.Exit(flags);
            return new string(chars, 0, chars.Length);
        }
    }
}
