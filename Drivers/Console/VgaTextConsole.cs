// VgaTextConsole.cs -- the 80x25 VGA text screen at 0xB8000: light grey on black, scrolling, a hardware cursor,
// and the panic palette (white on purple).
using Kernel.Arch;

namespace Drivers.Console
{
    public static unsafe class VgaTextConsole
    {
        public const int Columns = 80, Rows = 25;
        private const ulong VGA_TEXT_BUFFER = 0xB8000;
        private const ushort CRTC_INDEX = 0x3D4, CRTC_DATA = 0x3D5;
        private const byte NormalAttribute = 0x07;
        private const byte PanicAttribute = 0x5F;     // white on magenta: the purple screen

        private static ushort* s_cells;
        private static int s_row, s_column;
        private static byte s_attribute = NormalAttribute;

        public static bool IsActive => s_cells != null;

        public static void Initialize()
        {
            s_cells = (ushort*)VGA_TEXT_BUFFER;
            Clear();
        }

        public static void Clear()
        {
            for (int i = 0; i < Columns * Rows; i++)
                s_cells[i] = (ushort)(s_attribute << 8 | ' ');
            s_row = s_column = 0;
            MoveCursor();
        }

        public static void EnterPanicMode()
        {
            if (s_cells == null)
                return;
            s_attribute = PanicAttribute;
            Clear();
        }

        public static void Write(char c)
        {
            if (s_cells == null)
                return;
            switch (c)
            {
                case '\n':
                    NewLine();
                    break;
                case '\r':
                    s_column = 0;
                    break;
                case '\b':
                    if (s_column > 0)
                        s_cells[s_row * Columns + --s_column] = (ushort)(s_attribute << 8 | ' ');
                    break;
                case '\t':
                    do
                        Put(' ');
                    while (s_column % 8 != 0);
                    break;
                default:
                    Put(c >= ' ' && c < 127 ? c : '?');
                    break;
            }
            MoveCursor();
        }

        private static void Put(char c)
        {
            if (s_column == Columns)
                NewLine();
            s_cells[s_row * Columns + s_column++] = (ushort)(s_attribute << 8 | c);
        }

        private static void NewLine()
        {
            s_column = 0;
            if (++s_row < Rows)
                return;
            Cpu.CopyMemory(s_cells, s_cells + Columns, (ulong)(Columns * (Rows - 1) * 2));
            for (int i = 0; i < Columns; i++)
                s_cells[(Rows - 1) * Columns + i] = (ushort)(s_attribute << 8 | ' ');
            s_row = Rows - 1;
        }

        private static void MoveCursor()
        {
            int position = s_row * Columns + s_column;
            Cpu.OutByte(CRTC_INDEX, 0x0F);
            Cpu.OutByte(CRTC_DATA, (byte)position);
            Cpu.OutByte(CRTC_INDEX, 0x0E);
            Cpu.OutByte(CRTC_DATA, (byte)(position >> 8));
        }
    }
}
