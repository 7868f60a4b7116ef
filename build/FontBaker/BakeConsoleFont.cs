// BakeConsoleFont.cs -- MSBuild task: renders ASCII from a GRUB PF2 font (unicode.pf2, Unifont 16) into the
// console's 8x16 cell bitmap, so the kernel carries a font without a copied font file in the repository.
//
// PF2 (GRUB's font format, big-endian): sections {char[4] name, u32 length, data} starting with 'FILE' "PFF2";
// 'ASCE'/'DESC' u16 ascent/descent; 'CHIX' index of 9-byte entries {u32 code point, u8 flags, u32 offset of the
// glyph from the file start}; 'DATA' (length 0xFFFFFFFF: runs to the end). A glyph is {u16 width, u16 height,
// s16 x offset, s16 y offset (bottom of the bitmap relative to the baseline, up is positive), s16 advance} then
// width*height bits, row-major, most significant bit first, with no padding between rows.
//
// Output: 128 glyphs * 16 rows, one byte per row, bit 7 = leftmost pixel; code points without a glyph (controls,
// DEL) stay blank. Written only when the bytes change, so the kernel link stays incremental.
using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class BakeConsoleFont : Task
{
    private const int CellWidth = 8, CellHeight = 16, GlyphCount = 128;

    [Required] public string Pf2File { get; set; }
    [Required] public string OutputFile { get; set; }

    public override bool Execute()
    {
        byte[] font;
        try
        {
            font = File.ReadAllBytes(Pf2File);
        }
        catch (IOException e)
        {
            Log.LogError("cannot read the console font source {0}: {1} (install grub-common)", Pf2File, e.Message);
            return false;
        }
        string error;
        byte[] cells = Bake(font, out error);
        if (cells == null)
        {
            Log.LogError("{0}: {1}", Pf2File, error);
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(OutputFile));
        if (!File.Exists(OutputFile) || !AreEqual(File.ReadAllBytes(OutputFile), cells))
            File.WriteAllBytes(OutputFile, cells);
        return true;
    }

    private static byte[] Bake(byte[] font, out string error)
    {
        error = null;
        int ascent = -1;
        var index = new Dictionary<uint, uint>();
        int position = 0;
        while (position + 8 <= font.Length)
        {
            string name = System.Text.Encoding.ASCII.GetString(font, position, 4);
            uint length = U32(font, position + 4);
            int body = position + 8;
            if (name == "DATA")
                break;
            if (length > (uint)(font.Length - body))
            {
                error = "section " + name + " runs past the end of the file";
                return null;
            }
            if (name == "ASCE" && length >= 2)
                ascent = U16(font, body);
            else if (name == "CHIX")
                for (int e = body; e + 9 <= body + (int)length; e += 9)
                    index[U32(font, e)] = U32(font, e + 5);
            position = body + (int)length;
        }
        if (ascent < 0 || index.Count == 0)
        {
            error = "not a PF2 font (no ASCE or CHIX section)";
            return null;
        }

        var cells = new byte[GlyphCount * CellHeight];
        for (uint c = 32; c < 127; c++)
        {
            if (!index.TryGetValue(c, out uint offset) || offset > font.Length - 10)
            {
                error = "no glyph for U+" + c.ToString("X4");
                return null;
            }
            int o = (int)offset;
            int width = U16(font, o), height = U16(font, o + 2);
            int xOffset = (short)U16(font, o + 4), yOffset = (short)U16(font, o + 6);
            long bits = (long)width * height;
            if (o + 10 + (bits + 7) / 8 > font.Length)
            {
                error = "glyph for U+" + c.ToString("X4") + " runs past the end of the file";
                return null;
            }
            // The bitmap's top row sits (yOffset + height) above the baseline, which is `ascent` rows below the top.
            int top = ascent - (yOffset + height);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    long bit = (long)y * width + x;
                    if ((font[o + 10 + bit / 8] & (0x80 >> (int)(bit % 8))) == 0)
                        continue;
                    int row = top + y, column = xOffset + x;
                    if (row >= 0 && row < CellHeight && column >= 0 && column < CellWidth)
                        cells[c * CellHeight + row] |= (byte)(0x80 >> column);
                }
        }
        return cells;
    }

    private static uint U32(byte[] b, int i) => (uint)(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);
    private static int U16(byte[] b, int i) => b[i] << 8 | b[i + 1];

    private static bool AreEqual(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
            return false;
        for (int i = 0; i < a.Length; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
}
