// TerminalSettings.cs -- the console's termios as TCGETS reports it (the kernel's 36-byte struct termios): canonical
// mode with echo and signals, CR read as NL, NL written as CR NL, 38400 8N1, and Linux's default control characters.
namespace Kernel.User
{
    public static unsafe class TerminalSettings
    {
        private const uint Icrnl = 0x100, Opost = 0x1, Onlcr = 0x4, B38400 = 0xF, Cs8 = 0x30, Cread = 0x80;
        private const uint Isig = 0x1, Icanon = 0x2, Echo = 0x8, Echoe = 0x10, Echok = 0x20, Iexten = 0x8000;

        public static void Write(byte* t)
        {
            for (int i = 0; i < 36; i++)
                t[i] = 0;
            *(uint*)(t + 0) = Icrnl;
            *(uint*)(t + 4) = Opost | Onlcr;
            *(uint*)(t + 8) = B38400 | Cs8 | Cread;
            *(uint*)(t + 12) = Isig | Icanon | Echo | Echoe | Echok | Iexten;
            byte* cc = t + 17;
            cc[0] = 3;      // VINTR ^C
            cc[1] = 0x1C;   // VQUIT ^\
            cc[2] = 0x7F;   // VERASE
            cc[3] = 0x15;   // VKILL ^U
            cc[4] = 4;      // VEOF ^D
            cc[6] = 1;      // VMIN
            cc[10] = 0x1A;  // VSUSP ^Z
        }
    }
}
