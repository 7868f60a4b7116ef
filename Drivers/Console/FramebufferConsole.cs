// FramebufferConsole.cs -- text console on a linear 32-bit framebuffer (UEFI GOP, handed over by GRUB through
// multiboot2): 8x16 glyphs from the build-time font (Kernel/Boot/font.asm), light grey on black, scrolling,
// and the panic palette (white on purple), like VgaTextConsole.
//
// Runs from the first line of boot output, before the heap and static data exist and while the boot stub's
// tables are active (their direct map covers the first 4 GiB): no allocation, value-type statics only. The
// framebuffer is drawn through the direct map and registered with Paging so the kernel page tables map it too;
// a framebuffer above 4 GiB is refused (serial only), because the boot stub's map cannot reach it.
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Arch;
using Kernel.Boot;
using Kernel.Memory;

namespace Drivers.Console
{
    public static unsafe class FramebufferConsole
    {
        public const int GlyphWidth = 8, GlyphHeight = 16;
        private const ulong BootDirectMapEnd = 4UL << 30;
        // Same colours as the VGA text console: light grey on black, and bright white on magenta for the panic.
        private const uint NormalForeground = 0xAAAAAA, NormalBackground = 0x000000;
        private const uint PanicForeground = 0xFFFFFF, PanicBackground = 0xAA00AA;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_font_address")]
        private static extern byte* FontAddress();

        private static byte* s_base;
        private static byte* s_font;
        private static ulong s_pitch;
        private static int s_width, s_height, s_columns, s_rows;
        private static TextCursor s_cursor;
        private static int s_redShift, s_greenShift, s_blueShift;
        private static uint s_foreground, s_background;

        public static bool IsActive => s_base != null;
        public static int Columns => s_columns;
        public static int Rows => s_rows;

        /// <summary>Takes over a direct-colour 32-bpp framebuffer; false (console stays serial-only) otherwise.</summary>
        public static bool TryInitialize(FramebufferInfo info)
        {
            if (!info.IsPresent || info.Width < GlyphWidth || info.Height < GlyphHeight || info.Width > 16384 || info.Height > 16384
                || info.Pitch < info.Width * 4 || info.RedShift > 24 || info.GreenShift > 24 || info.BlueShift > 24)
                return false;
            ulong size = (ulong)info.Pitch * info.Height;
            if (info.Address + size > BootDirectMapEnd || !Paging.RegisterEarlyDevice(info.Address, size, Paging.WriteThrough))
                return false;
            s_font = FontAddress();
            s_pitch = info.Pitch;
            s_width = (int)info.Width;
            s_height = (int)info.Height;
            s_columns = s_width / GlyphWidth;
            s_rows = s_height / GlyphHeight;
            s_redShift = info.RedShift;
            s_greenShift = info.GreenShift;
            s_blueShift = info.BlueShift;
            s_foreground = Pixel(NormalForeground);
            s_background = Pixel(NormalBackground);
            s_base = (byte*)DirectMap.Pointer(info.Address);
            Clear();
            return true;
        }

        public static void Clear()
        {
            for (int y = 0; y < s_height; y++)
                FillLine(y);
            s_cursor.Reset(s_columns, s_rows);
        }

        public static void EnterPanicMode()
        {
            if (s_base == null)
                return;
            s_foreground = Pixel(PanicForeground);
            s_background = Pixel(PanicBackground);
            Clear();
        }

        public static void Write(char c)
        {
            if (s_base != null)
                s_cursor.Write(c, &DrawGlyph, &ScrollUp);
        }

        // Moves every text row up by one glyph height in one copy, then blanks the last text row.
        private static void ScrollUp()
        {
            ulong rowBytes = s_pitch * GlyphHeight;
            Cpu.CopyMemory(s_base, s_base + rowBytes, rowBytes * (ulong)(s_rows - 1));
            for (int y = 0; y < GlyphHeight; y++)
                FillLine((s_rows - 1) * GlyphHeight + y);
        }

        private static void DrawGlyph(int column, int row, char c)
        {
            byte* glyph = s_font + (c & 0x7F) * GlyphHeight;
            uint foreground = s_foreground, background = s_background;
            byte* line = s_base + (ulong)(row * GlyphHeight) * s_pitch + (ulong)(column * GlyphWidth * 4);
            for (int y = 0; y < GlyphHeight; y++, line += s_pitch)
            {
                uint bits = glyph[y];
                uint* pixel = (uint*)line;
                for (int x = 0; x < GlyphWidth; x++)
                    pixel[x] = (bits & (0x80u >> x)) != 0 ? foreground : background;
            }
        }

        private static void FillLine(int y)
        {
            uint* pixel = (uint*)(s_base + (ulong)y * s_pitch);
            uint background = s_background;
            for (int x = 0; x < s_width; x++)
                pixel[x] = background;
        }

        // 0xRRGGBB in the framebuffer's channel order (GRUB reports the bit position of each 8-bit channel).
        private static uint Pixel(uint rgb)
            => (rgb >> 16 & 0xFF) << s_redShift | (rgb >> 8 & 0xFF) << s_greenShift | (rgb & 0xFF) << s_blueShift;
    }
}
