// TerminalSettings.cs -- the console's termios as TCGETS reports it (the kernel's 36-byte struct termios): canonical
// mode with echo and signals unless a program changed the local modes, CR read as NL, NL written as CR NL, 38400
// 8N1, and Linux's default control characters.
namespace Kernel.User
{
    public static unsafe class TerminalSettings
    {
        private const uint Icrnl = 0x100, Opost = 0x1, Onlcr = 0x4, B38400 = 0xF, Cs8 = 0x30, Cread = 0x80;
        private const uint Isig = 0x1, Icanon = 0x2, Echo = 0x8, Echoe = 0x10, Echok = 0x20, Iexten = 0x8000;

        /// <summary>The local modes a program set (TCSETS*): canonical input and echo can be turned off (a shell's
        /// line editor does); the rest of the settings are fixed.</summary>
        public static uint LocalModes = Isig | Icanon | Echo | Echoe | Echok | Iexten;

        public static bool Canonical => (LocalModes & Icanon) != 0;
        public static bool Echoes => (LocalModes & Echo) != 0;
        public static bool Signals => (LocalModes & Isig) != 0;

        /// <summary>TCSETS: takes c_lflag from the program's termios.</summary>
        public static void Read(byte* t) => LocalModes = *(uint*)(t + 12);

        /// <summary>A program the shell starts finds the console as a login shell leaves it.</summary>
        public static void Reset() => LocalModes = Isig | Icanon | Echo | Echoe | Echok | Iexten;

        public static void Write(byte* t)
        {
            for (int i = 0; i < 36; i++)
                t[i] = 0;
            *(uint*)(t + 0) = Icrnl;
            *(uint*)(t + 4) = Opost | Onlcr;
            *(uint*)(t + 8) = B38400 | Cs8 | Cread;
            *(uint*)(t + 12) = LocalModes;
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
