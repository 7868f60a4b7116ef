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
        private static TextCursor s_cursor;
        private static byte s_attribute = NormalAttribute;

        public static bool IsActive => s_cells != null;

        public static void Initialize()
        {
            s_cells = (ushort*)Kernel.Memory.DirectMap.Pointer(VGA_TEXT_BUFFER);
            Clear();
        }

        public static void Clear()
        {
            for (int i = 0; i < Columns * Rows; i++)
                s_cells[i] = (ushort)(s_attribute << 8 | ' ');
            s_cursor.Reset(Columns, Rows);
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
            s_cursor.Write(c, &DrawCell, &ScrollUp);
            MoveCursor();
        }

        private static void DrawCell(int column, int row, char c) => s_cells[row * Columns + column] = (ushort)(s_attribute << 8 | c);

        private static void ScrollUp()
        {
            Cpu.CopyMemory(s_cells, s_cells + Columns, (ulong)(Columns * (Rows - 1) * 2));
            for (int i = 0; i < Columns; i++)
                s_cells[(Rows - 1) * Columns + i] = (ushort)(s_attribute << 8 | ' ');
        }

        private static void MoveCursor()
        {
            int position = s_cursor.Row * Columns + s_cursor.Column;
            Cpu.OutByte(CRTC_INDEX, 0x0F);
            Cpu.OutByte(CRTC_DATA, (byte)position);
            Cpu.OutByte(CRTC_INDEX, 0x0E);
            Cpu.OutByte(CRTC_DATA, (byte)(position >> 8));
        }
    }
}
