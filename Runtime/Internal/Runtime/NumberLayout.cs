// NumberLayout.cs -- the standard numeric format strings over decimal digits, with the invariant culture's symbols
// ('-', '.', ','): "D"/"F"/"N"/"E"/"G" with an optional precision, as the BCL lays them out. Custom format strings
// ("0.00", "#,##0") are not supported: FormatException. Shared source: also compiled into tests/Corlib.Tests.
using System;
using System.Text;

namespace Internal.Runtime
{
    public static class NumberLayout
    {
        /// <summary>Splits a standard format ("X8", "F", null) into its letter and precision (-1 when absent).</summary>
        public static bool TryParseStandard(string format, out char kind, out int precision)
        {
            kind = 'G';
            precision = -1;
            if (format is null || format.Length == 0)
                return true;
            char c = format[0];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) || format.Length > 4)
                return false;
            kind = c;
            if (format.Length == 1)
                return true;
            int p = 0;
            for (int i = 1; i < format.Length; i++)
            {
                if (format[i] < '0' || format[i] > '9')
                    return false;
                p = p * 10 + format[i] - '0';
            }
            precision = p;
            return true;
        }

        public static FormatException BadFormat(string format)
            => new FormatException(string.Concat("Format specifier '", format, "' is not supported."));

        /// <summary>"F": fixed point with <paramref name="decimals"/> digits after the point.</summary>
        public static void AppendFixed(StringBuilder sb, DecimalDigits d, int decimals, bool groups)
        {
            d.RoundTo(d.Point + decimals);
            if (d.Negative && (!d.IsZero || d.NegativeZeroShown))
                sb.Append('-');
            int integerDigits = d.Point > 0 ? d.Point : 1;
            for (int i = 0; i < integerDigits; i++)
            {
                sb.Append(d.Point > 0 ? d.DigitAt(i) : '0');
                int left = integerDigits - 1 - i;
                if (groups && left > 0 && left % 3 == 0)
                    sb.Append(',');
            }
            if (decimals > 0)
            {
                sb.Append('.');
                for (int i = 0; i < decimals; i++)
                    sb.Append(d.DigitAt(d.Point + i));
            }
        }

        /// <summary>"E": one digit, the point, <paramref name="decimals"/> digits, then E+ddd (at least three).</summary>
        public static void AppendScientific(StringBuilder sb, DecimalDigits d, int decimals, char e, int minExponentDigits, bool trimZeros)
        {
            d.RoundTo(decimals + 1);
            if (d.Negative && (!d.IsZero || d.NegativeZeroShown))
                sb.Append('-');
            int exponent = d.IsZero ? 0 : d.Point - 1;
            sb.Append(d.IsZero ? '0' : d.Digits[0]);
            int shown = trimZeros ? Math.Min(decimals, d.Count - 1) : decimals;
            if (shown > 0)
            {
                sb.Append('.');
                for (int i = 1; i <= shown; i++)
                    sb.Append(d.DigitAt(i));
            }
            sb.Append(e);
            sb.Append(exponent < 0 ? '-' : '+');
            AppendPadded(sb, (ulong)(exponent < 0 ? -exponent : exponent), minExponentDigits);
        }

        /// <summary>"G": the shorter of fixed and scientific for <paramref name="precision"/> significant digits
        /// (scientific when the exponent is at least <paramref name="scientificFrom"/> or -5 and below), no trailing zeros.</summary>
        public static void AppendGeneral(StringBuilder sb, DecimalDigits d, int precision, int scientificFrom, char e)
        {
            d.RoundTo(precision);
            int exponent = d.IsZero ? 0 : d.Point - 1;
            if (exponent >= scientificFrom || exponent < -4)
            {
                AppendScientific(sb, d, d.Count - 1, e, 2, trimZeros: true);
                return;
            }
            if (d.Negative && (!d.IsZero || d.NegativeZeroShown))
                sb.Append('-');
            if (d.Point <= 0)
            {
                sb.Append('0');
                if (!d.IsZero)
                {
                    sb.Append('.');
                    sb.Append('0', -d.Point);
                    sb.Append(d.Digits, 0, d.Count);
                }
                return;
            }
            for (int i = 0; i < d.Point; i++)
                sb.Append(d.DigitAt(i));
            if (d.Count > d.Point)
            {
                sb.Append('.');
                sb.Append(d.Digits, d.Point, d.Count - d.Point);
            }
        }

        /// <summary>"D": the integer's digits, at least <paramref name="minDigits"/> (zeros in front).</summary>
        public static void AppendInteger(StringBuilder sb, DecimalDigits d, int minDigits)
        {
            if (d.Negative && !d.IsZero)
                sb.Append('-');
            int digits = d.Point > 0 ? d.Point : 1;
            if (minDigits > digits)
                sb.Append('0', minDigits - digits);
            for (int i = 0; i < digits; i++)
                sb.Append(d.DigitAt(i));
        }

        public static void AppendPadded(StringBuilder sb, ulong value, int minDigits)
        {
            DecimalDigits d = DecimalDigits.FromUInt64(value, false);
            AppendInteger(sb, d, minDigits);
        }

        /// <summary>"X"/"B": the bits of the value's own width (a negative int is 8 hex digits), at least <paramref name="minDigits"/>.</summary>
        public static void AppendRadix(StringBuilder sb, ulong bits, int shift, bool upper, int minDigits)
        {
            int mask = (1 << shift) - 1;
            int digits = 1;
            while (digits * shift < 64 && (bits >> (digits * shift)) != 0)
                digits++;
            if (minDigits > digits)
                sb.Append('0', minDigits - digits);
            for (int i = digits - 1; i >= 0; i--)
            {
                int v = (int)(bits >> (i * shift)) & mask;
                sb.Append((char)(v < 10 ? '0' + v : (upper ? 'A' : 'a') + v - 10));
            }
        }
    }
}
