// Number.cs -- integer formatting and parsing for ToString/TryParse ("D", "X"/"x" with an optional width).
using System;

namespace Internal.Runtime
{
    public static unsafe class Number
    {
        public static string Int64ToString(long value)
            => value < 0 ? string.Concat("-", UInt64ToString((ulong)(-value))) : UInt64ToString((ulong)value);

        public static string UInt64ToString(ulong value)
        {
            char* buffer = stackalloc char[20];
            int i = 20;
            do
            {
                buffer[--i] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);
            return new string(buffer, i, 20 - i);
        }

        public static string ToHex(ulong value, int minDigits, bool upper = true)
        {
            char* buffer = stackalloc char[16];
            int i = 16;
            do
            {
                int d = (int)(value & 0xF);
                buffer[--i] = (char)(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
                value >>= 4;
            }
            while (value != 0);
            while (16 - i < minDigits && i > 0)
                buffer[--i] = '0';
            return new string(buffer, i, 16 - i);
        }

        public static string FormatInt64(long value, string format)
        {
            if (format is not null && format.Length > 0 && (format[0] == 'X' || format[0] == 'x'))
                return FormatUInt64((ulong)value, format);
            string digits = UInt64ToString(value < 0 ? (ulong)(-value) : (ulong)value);
            digits = digits.PadLeft(Width(format), '0');
            return value < 0 ? string.Concat("-", digits) : digits;
        }

        public static string FormatUInt64(ulong value, string format)
        {
            int width = Width(format);
            if (format is not null && format.Length > 0 && (format[0] == 'X' || format[0] == 'x'))
                return ToHex(value, width, format[0] == 'X');
            return UInt64ToString(value).PadLeft(width, '0');
        }

        private static int Width(string format)
        {
            int width = 0;
            if (format is null)
                return 0;
            for (int i = 1; i < format.Length && char.IsDigit(format[i]); i++)
                width = width * 10 + format[i] - '0';
            return width;
        }

        /// <summary>Decimal, or hexadecimal with a 0x prefix when allowHex (the BCL's TryParse is decimal only).</summary>
        public static bool TryParseUInt64(string s, out ulong result, bool allowHex = false)
        {
            result = 0;
            if (string.IsNullOrEmpty(s))
                return false;
            int i = 0;
            uint radix = 10;
            if (allowHex && s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
            {
                radix = 16;
                i = 2;
            }
            for (; i < s.Length; i++)
            {
                char c = s[i];
                uint digit;
                if (c >= '0' && c <= '9')
                    digit = (uint)(c - '0');
                else if (radix == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                    digit = (uint)((c | 0x20) - 'a' + 10);
                else
                    return false;
                if (result > (ulong.MaxValue - digit) / radix)
                    return false;
                result = result * radix + digit;
            }
            return true;
        }

        public static bool TryParseInt64(string s, out long result)
        {
            result = 0;
            if (string.IsNullOrEmpty(s))
                return false;
            bool negative = s[0] == '-';
            if (!TryParseUInt64(negative ? s.Substring(1) : s, out ulong magnitude))
                return false;
            if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
                return false;
            result = negative ? (long)(0 - magnitude) : (long)magnitude;
            return true;
        }
    }
}
