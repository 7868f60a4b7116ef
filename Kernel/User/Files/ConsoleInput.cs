// ConsoleInput.cs -- the console's line discipline for userworlds (Linux's canonical mode, ICANON|ECHO): bytes from
// the serial port and the keyboard are echoed and collected into a line; Backspace/DEL erases, Enter (CR or LF)
// ends the line with '\n', Ctrl-D on an empty line is end of file, Ctrl-D after text hands the text over. A read
// gets at most one line, the rest of a long line stays for the next read. Only the foreground program reads: the
// shell waits for it meanwhile, so nobody else takes these bytes.
using System;
using System.Text;
using Drivers.Input;
using Drivers.Serial;
using Kernel.Console;

namespace Kernel.User
{
    public static class ConsoleInput
    {
        private const int MaxLine = 4096;
        private static readonly byte[] s_line = new byte[MaxLine];
        private static int s_length;      // bytes collected (the line being typed, or a finished line's rest)
        private static int s_start;       // a finished line's next unread byte
        private static bool s_ready;      // the line is finished: reads take from it

        /// <summary>Blocks for a line; returns how many bytes were copied (0: end of file), or -1 for Ctrl-C.</summary>
        public static int ReadLine(Span<byte> into, IUserOutput echo)
        {
            while (!s_ready)
            {
                int c = Uart16550.ReadByte();
                if (c < 0)
                    c = Ps2Keyboard.ReadByte();
                if (c < 0)
                {
                    KernelInput.WaitForInput();
                    continue;
                }
                if (c == 3)
                {
                    Uart16550.ClearInterrupt();
                    s_length = 0;
                    echo?.Write("^C\n");
                    return -1;
                }
                if (c == 4)
                {
                    s_ready = true;   // an empty line here is end of file
                    break;
                }
                if (c == 8 || c == 0x7F)
                {
                    if (s_length > 0)
                    {
                        s_length--;
                        echo?.Write("\b \b");
                    }
                    continue;
                }
                if (c == '\r' || c == '\n')
                {
                    s_line[s_length++] = (byte)'\n';
                    echo?.Write("\n");
                    s_ready = true;
                    break;
                }
                if (s_length < MaxLine - 1)
                {
                    s_line[s_length++] = (byte)c;
                    echo?.Write(((char)c).ToString());
                }
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
            return n;
        }
    }
}
