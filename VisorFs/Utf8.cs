// Utf8.cs -- strict UTF-8 to UTF-16 decoding for names read from archives and config files.

using System;

namespace VisorFs;

/// <summary>
/// A small strict UTF-8 decoder (the kernel has no System.Text). Rejects overlong forms, surrogates, values above
/// U+10FFFF and truncated sequences, so two different byte strings never decode to the same name.
/// </summary>
public static unsafe class Utf8
{
    /// <summary>
    /// Decodes <paramref name="bytes"/> into <paramref name="chars"/>; false on invalid UTF-8 or if
    /// <paramref name="chars"/> is too small. One UTF-16 unit per byte is always enough.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, Span<char> chars, out int charCount)
    {
        charCount = 0;
        int n = 0;
        int i = 0;
        int len = bytes.Length;
        if (chars.Length < len)
        {
            return false;
        }
        // Names are nearly always ASCII: widen those bytes without per-element bounds checks first.
        if (len > 0)
        {
            fixed (byte* src = bytes)
            fixed (char* dst = chars)
            {
                while (i < len && src[i] < 0x80)
                {
                    dst[i] = (char)src[i];
                    i++;
                }
            }
            n = i;
        }
        while (i < len)
        {
            int b = bytes[i];
            if (b < 0x80)
            {
                chars[n++] = (char)b;
                i++;
                continue;
            }
            int need;
            int cp;
            int min;
            if ((b & 0xE0) == 0xC0)
            {
                need = 1;
                cp = b & 0x1F;
                min = 0x80;
            }
            else if ((b & 0xF0) == 0xE0)
            {
                need = 2;
                cp = b & 0x0F;
                min = 0x800;
            }
            else if ((b & 0xF8) == 0xF0)
            {
                need = 3;
                cp = b & 0x07;
                min = 0x10000;
            }
            else
            {
                return false;
            }
            if (len - i <= need)
            {
                return false;
            }
            for (int k = 1; k <= need; k++)
            {
                int c = bytes[i + k];
                if ((c & 0xC0) != 0x80)
                {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            {
                return false;
            }
            i += need + 1;
            if (cp >= 0x10000)
            {
                cp -= 0x10000;
                chars[n++] = (char)(0xD800 + (cp >> 10));
                chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
            }
            else
            {
                chars[n++] = (char)cp;
            }
        }
        charCount = n;
        return true;
    }

    /// <summary>
    /// Best-effort text for diagnostics: printable ASCII kept, everything else shown as '?', cut at 256 bytes.
    /// </summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        int n = bytes.Length < 256 ? bytes.Length : 256;
        char[] chars = new char[n];
        for (int i = 0; i < n; i++)
        {
            byte b = bytes[i];
            chars[i] = b >= 0x20 && b < 0x7F ? (char)b : '?';
        }
        return new string(chars, 0, n);
    }

    /// <summary>Bytes needed to encode <paramref name="s"/>; -1 if it holds an unpaired surrogate.</summary>
    public static int GetByteCount(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c < 0x80)
            {
                n += 1;
            }
            else if (c < 0x800)
            {
                n += 2;
            }
            else if (c >= 0xD800 && c <= 0xDBFF)
            {
                if (i + 1 >= s.Length || s[i + 1] < 0xDC00 || s[i + 1] > 0xDFFF)
                {
                    return -1;
                }
                n += 4;
                i++;
            }
            else if (c >= 0xDC00 && c <= 0xDFFF)
            {
                return -1;
            }
            else
            {
                n += 3;
            }
        }
        return n;
    }

    /// <summary>Encodes <paramref name="s"/> (validated with <see cref="GetByteCount"/>) into <paramref name="bytes"/>.</summary>
    public static int Encode(string s, Span<byte> bytes)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int c = s[i];
            if (c >= 0xD800 && c <= 0xDBFF)
            {
                c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                i++;
            }
            if (c < 0x80)
            {
                bytes[n++] = (byte)c;
            }
            else if (c < 0x800)
            {
                bytes[n++] = (byte)(0xC0 | (c >> 6));
                bytes[n++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (c < 0x10000)
            {
                bytes[n++] = (byte)(0xE0 | (c >> 12));
                bytes[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[n++] = (byte)(0x80 | (c & 0x3F));
            }
            else
            {
                bytes[n++] = (byte)(0xF0 | (c >> 18));
                bytes[n++] = (byte)(0x80 | ((c >> 12) & 0x3F));
                bytes[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                bytes[n++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return n;
    }
}
