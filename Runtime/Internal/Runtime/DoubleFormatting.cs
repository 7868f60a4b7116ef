// DoubleFormatting.cs -- double.ToString: the shortest digits that read back as the same double (the BCL's default
// and "R"), "G<n>", "F<n>", "N<n>", "E<n>", all from the double's exact decimal value (no floating-point error in
// the formatter itself). Shared source: also compiled into tests/Corlib.Tests and compared with the BCL.
using System;
using System.Text;

namespace Internal.Runtime
{
    public static unsafe partial class Number
    {
        // The BCL's default format is scientific from an exponent of 17 ("1E+17"; 1E16 is "10000000000000000").
        private const int DoubleScientificFrom = 17;

        public static string FormatDouble(double value, string format)
        {
            if (!NumberLayout.TryParseStandard(format, out char kind, out int precision))
                throw NumberLayout.BadFormat(format);
            if (IsNaN(value))
                return "NaN";
            if (value == double.PositiveInfinity)
                return "Infinity";
            if (value == double.NegativeInfinity)
                return "-Infinity";
            var sb = new StringBuilder();
            switch (kind)
            {
                case 'G':
                case 'g':
                case 'R':
                case 'r':
                    if (precision <= 0 || kind == 'R' || kind == 'r')
                        NumberLayout.AppendGeneral(sb, ShortestDigits(value), 17, DoubleScientificFrom, kind == 'g' || kind == 'r' ? 'e' : 'E');
                    else
                        NumberLayout.AppendGeneral(sb, ExactDigits(value), precision, precision, kind == 'g' ? 'e' : 'E');
                    break;
                case 'F':
                case 'f':
                    NumberLayout.AppendFixed(sb, ExactDigits(value), precision < 0 ? 2 : precision, groups: false);
                    break;
                case 'N':
                case 'n':
                    NumberLayout.AppendFixed(sb, ExactDigits(value), precision < 0 ? 2 : precision, groups: true);
                    break;
                case 'E':
                case 'e':
                    NumberLayout.AppendScientific(sb, ExactDigits(value), precision < 0 ? 6 : precision, kind, 3, trimZeros: false);
                    break;
                default:
                    throw NumberLayout.BadFormat(format);
            }
            return sb.ToString();
        }

        // NaN is the one value unequal to itself; no double.IsNaN needed in the core library.
        private static bool IsNaN(double value) => (*(ulong*)&value & 0x7FFFFFFFFFFFFFFF) > 0x7FF0000000000000;

        // value = mantissa * 2^exponent exactly, with the mantissa's implicit bit made explicit.
        private static void Decompose(double value, out ulong mantissa, out int exponent, out bool negative)
        {
            ulong bits = *(ulong*)&value;
            negative = (long)bits < 0;
            int biased = (int)(bits >> 52) & 0x7FF;
            mantissa = bits & 0xFFFFFFFFFFFFF;
            if (biased == 0)
            {
                exponent = -1074;
            }
            else
            {
                mantissa |= 1UL << 52;
                exponent = biased - 1075;
            }
        }

        /// <summary>Every digit of the double's exact value (at most 767 significant digits).</summary>
        public static DecimalDigits ExactDigits(double value)
        {
            Decompose(value, out ulong mantissa, out int exponent, out bool negative);
            var n = new BigNumber(mantissa);
            int fractionDigits = 0;
            if (exponent >= 0)
            {
                n.ShiftLeft(exponent);
            }
            else
            {
                // m / 2^k = m * 5^k / 10^k: the digits of m * 5^k with the point k places from the right.
                n.MultiplyPow5(-exponent);
                fractionDigits = -exponent;
            }
            return FromDigitString(n.ToDecimalAndClear(), fractionDigits, negative);
        }

        private static DecimalDigits FromDigitString(string digits, int fractionDigits, bool negative)
        {
            var d = new DecimalDigits(digits.Length);
            d.Negative = negative;
            d.NegativeZeroShown = true;
            d.HalfToEven = true;
            for (int i = 0; i < digits.Length; i++)
                d.Digits[i] = digits[i];
            d.Count = digits.Length;
            d.Point = digits.Length - fractionDigits;
            d.TrimTrailingZeros();
            return d;
        }

        /// <summary>The fewest significant digits whose decimal reads back (round-half-even) as this double; of two
        /// candidates of that length, the nearer.</summary>
        public static DecimalDigits ShortestDigits(double value)
        {
            DecimalDigits exact = ExactDigits(value);
            if (exact.IsZero)
                return exact;
            Decompose(value, out ulong mantissa, out int exponent, out _);
            // The doubles that read back as this one lie between the midpoints to its neighbours, in units of
            // 2^(exponent-2); the gap below is half as wide when the mantissa is the smallest of its binade.
            bool narrowBelow = mantissa == 1UL << 52 && exponent > -1074;
            ulong low = narrowBelow ? 4 * mantissa - 1 : 4 * mantissa - 2;
            ulong high = 4 * mantissa + 2;
            bool inclusive = (mantissa & 1) == 0;
            for (int k = 1; k <= 17; k++)
            {
                ulong down = 0;
                for (int i = 0; i < k; i++)
                    down = down * 10 + (ulong)(exact.DigitAt(i) - '0');
                int scale = exact.Point - k;                       // candidate = digits * 10^scale
                bool exactAtK = exact.Count <= k;
                bool downInside = Inside(down, scale, low, high, exponent - 2, inclusive);
                bool upInside = !exactAtK && Inside(down + 1, scale, low, high, exponent - 2, inclusive);
                if (!downInside && !upInside)
                    continue;
                ulong chosen;
                if (downInside && upInside)
                {
                    // The nearer of the two: compare the dropped digits with one half.
                    char next = exact.DigitAt(k);
                    bool moreAfter = exact.Count > k + 1;
                    chosen = next > '5' || (next == '5' && moreAfter) || (next == '5' && (down & 1) == 1) ? down + 1 : down;
                }
                else
                {
                    chosen = downInside ? down : down + 1;
                }
                var d = FromDigitString(UInt64ToString(chosen), 0, exact.Negative);
                d.Point += scale;
                return d;
            }
            return exact;
        }

        // low < digits * 10^scale < high (or <= when inclusive), the bounds being in units of 2^binaryScale.
        private static bool Inside(ulong digits, int scale, ulong low, ulong high, int binaryScale, bool inclusive)
        {
            int lowCompare = CompareScaled(digits, scale, low, binaryScale);
            int highCompare = CompareScaled(digits, scale, high, binaryScale);
            return inclusive ? lowCompare >= 0 && highCompare <= 0 : lowCompare > 0 && highCompare < 0;
        }

        // Compares digits * 2^scale * 5^scale with bound * 2^binaryScale, moving negative powers across so both
        // sides are integers.
        private static int CompareScaled(ulong digits, int scale, ulong bound, int binaryScale)
        {
            var left = new BigNumber(digits);
            var right = new BigNumber(bound);
            int twos = Math.Min(scale, binaryScale);
            int fives = Math.Min(scale, 0);
            left.MultiplyPow5(scale - fives);
            right.MultiplyPow5(-fives);
            left.ShiftLeft(scale - twos);
            right.ShiftLeft(binaryScale - twos);
            return BigNumber.Compare(left, right);
        }
    }
}
