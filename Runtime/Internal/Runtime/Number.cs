// Number.cs -- ToString/TryParse for the integer types: the standard formats "G", "D", "X"/"x", "B", "N", "F", "E"
// with an optional precision (invariant culture), and decimal or 0x-hex parsing. Shared source: also compiled into
// tests/Corlib.Tests, where the same formats are compared with the BCL's on random values.
using System;
using System.Text;

namespace Internal.Runtime
{
    public static unsafe partial class Number
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

        /// <summary>A signed integer of <paramref name="size"/> bytes (1, 2, 4, 8): hex and binary show its two's
        /// complement at that width, as the BCL does ((-1).ToString("X") is "FFFFFFFF" for an int).</summary>
        public static string FormatSigned(long value, int size, string format)
        {
            if (format is null || format.Length == 0)
                return Int64ToString(value);
            var sb = new StringBuilder();
            ulong magnitude = value < 0 ? (ulong)(-value) : (ulong)value;
            ulong bits = size == 8 ? (ulong)value : (ulong)value & ((1UL << (size * 8)) - 1);
            AppendInteger(sb, magnitude, value < 0, bits, format);
            return sb.ToString();
        }

        public static string FormatUnsigned(ulong value, string format)
        {
            if (format is null || format.Length == 0)
                return UInt64ToString(value);
            var sb = new StringBuilder();
            AppendInteger(sb, value, false, value, format);
            return sb.ToString();
        }

        public static string FormatInt64(long value, string format) => FormatSigned(value, 8, format);
        public static string FormatUInt64(ulong value, string format) => FormatUnsigned(value, format);

        private static void AppendInteger(StringBuilder sb, ulong magnitude, bool negative, ulong bits, string format)
        {
            if (!NumberLayout.TryParseStandard(format, out char kind, out int precision))
                throw NumberLayout.BadFormat(format);
            DecimalDigits d = DecimalDigits.FromUInt64(magnitude, negative);
            switch (kind)
            {
                case 'G':
                case 'g':
                    // An integer needs no rounding unless the precision is below its digit count (then: 1.23E+05).
                    if (precision > 0 && precision < d.Point)
                        NumberLayout.AppendGeneral(sb, d, precision, precision, kind == 'G' ? 'E' : 'e');
                    else
                        NumberLayout.AppendInteger(sb, d, 0);
                    return;
                case 'D':
                case 'd':
                    NumberLayout.AppendInteger(sb, d, precision);
                    return;
                case 'X':
                case 'x':
                    NumberLayout.AppendRadix(sb, bits, 4, kind == 'X', precision);
                    return;
                case 'B':
                case 'b':
                    NumberLayout.AppendRadix(sb, bits, 1, true, precision);
                    return;
                case 'F':
                case 'f':
                    NumberLayout.AppendFixed(sb, d, precision < 0 ? 2 : precision, groups: false);
                    return;
                case 'N':
                case 'n':
                    NumberLayout.AppendFixed(sb, d, precision < 0 ? 2 : precision, groups: true);
                    return;
                case 'E':
                case 'e':
                    NumberLayout.AppendScientific(sb, d, precision < 0 ? 6 : precision, kind, 3, trimZeros: false);
                    return;
                default:
                    throw NumberLayout.BadFormat(format);
            }
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
