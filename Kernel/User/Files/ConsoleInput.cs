// ConsoleInput.cs -- the console's line discipline for userworlds: Linux's canonical mode (ICANON|ECHO) by default,
// raw bytes when a program turns ICANON off (a shell's line editor), echo only with ECHO, Ctrl-C only with ISIG.
// Bytes from the serial port and the keyboard are pumped without blocking into one buffer: in canonical mode they
// are echoed and collected into a line (Backspace/DEL erases, Enter -- CR or LF -- ends it with '\n', Ctrl-D on an
// empty line is end of file, Ctrl-D after text hands the text over); in raw mode every byte is ready at once. A read
// takes at most one line; poll asks the same pump whether a read would return now. With ISIG, ^C, ^Z and ^\ drop
// the line and send SIGINT, SIGTSTP and SIGQUIT to the terminal's foreground group (ControllingTerminal). While a
// program runs, the kernel shell pumps too (Watch), so a foreground `sleep` nobody reads for still gets its ^C; a
// mutex keeps the pumps apart.
using System;
using Drivers.Input;
using Drivers.Serial;
using Kernel.Console;

namespace Kernel.User
{
    public static class ConsoleInput
    {
        private const int MaxLine = 4096;
        private static readonly byte[] s_line = new byte[MaxLine];
        private static int s_length;      // bytes collected
        private static int s_start;       // the next unread byte of a ready buffer
        private static bool s_ready;      // reads take from the buffer (a finished line, raw bytes, or end of file)
        private static readonly Kernel.Sync.Mutex s_pumping = new Kernel.Sync.Mutex();

        public const int Interrupted = -2;

        /// <summary>Blocks until input is ready; returns how many bytes were copied (0: end of file), or Interrupted
        /// when the reader has a signal handler to run or was stopped (looked for every 10 ticks).</summary>
        public static int Read(Span<byte> into, IUserOutput echo)
        {
            s_pumping.Lock();
            while (!Pump(echo))
            {
                if (SignalDelivery.CurrentInterrupted())
                {
                    s_pumping.Unlock();
                    return Interrupted;
                }
                s_pumping.Unlock();
                KernelInput.WaitForInput(10);
                s_pumping.Lock();
            }
            if (SignalDelivery.CurrentInterrupted())
            {
                s_pumping.Unlock();
                return Interrupted;
            }
            int n = s_length - s_start;
            if (n > into.Length)
                n = into.Length;
            new ReadOnlySpan<byte>(s_line, s_start, n).CopyTo(into);
            s_start += n;
            if (s_start >= s_length)
            {
                s_start = s_length = 0;
                s_ready = false;
            }
            s_pumping.Unlock();
            return n;
        }

        /// <summary>poll: whether a read would return now (input ready or end of file).</summary>
        public static bool Poll(IUserOutput echo)
        {
            s_pumping.Lock();
            bool ready = Pump(echo);
            s_pumping.Unlock();
            return ready;
        }

        /// <summary>The kernel shell, while its program runs: takes what was typed (echo, the signal characters).</summary>
        public static void Watch(IUserOutput echo)
        {
            if (!s_pumping.TryLock())
                return;   // a reader is pumping
            Pump(echo);
            s_pumping.Unlock();
        }

        // Takes what was typed, without waiting; true when a read can return.
        private static bool Pump(IUserOutput echo)
        {
            bool canonical = TerminalSettings.Canonical;
            if (!canonical && s_length > s_start)
                s_ready = true;
            while (!s_ready)
            {
                int c = Uart16550.ReadByte();
                if (c < 0)
                    c = Ps2Keyboard.ReadByte();
                if (c < 0)
                    break;
                int signal = !TerminalSettings.Signals ? 0 : c == 3 ? SignalActions.SigInt : c == 0x1A ? SignalActions.SigTstp : c == 0x1C ? SignalActions.SigQuit : 0;
                if (signal != 0)
                {
                    if (c == 3)
                        Uart16550.ClearInterrupt();
                    s_length = s_start = 0;
                    echo?.Write(c == 3 ? "^C\n" : c == 0x1A ? "^Z\n" : "^\\\n");
                    ControllingTerminal.SignalForeground(signal);   // may end the caller (its default action)
                    break;
                }
                if (!canonical)
                {
                    if (s_length < MaxLine)
                        s_line[s_length++] = (byte)c;
                    if (TerminalSettings.Echoes)
                        echo?.Write(((char)c).ToString());
                    s_ready = true;
                    continue;   // the loop ends; further bytes wait for the next read
                }
                if (c == 4)
                {
                    s_ready = true;   // an empty line here is end of file
                }
                else if (c == 8 || c == 0x7F)
                {
                    if (s_length > 0)
                    {
                        s_length--;
                        if (TerminalSettings.Echoes)
                            echo?.Write("\b \b");
                    }
                }
                else if (c == '\r' || c == '\n')
                {
                    s_line[s_length++] = (byte)'\n';
                    if (TerminalSettings.Echoes)
                        echo?.Write("\n");
                    s_ready = true;
                }
                else if (s_length < MaxLine - 1)
                {
                    s_line[s_length++] = (byte)c;
                    if (TerminalSettings.Echoes)
                        echo?.Write(((char)c).ToString());
                }
            }
            return s_ready;
        }
    }
}
