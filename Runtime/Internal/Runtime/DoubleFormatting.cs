// DoubleFormatting.cs -- double.ToString and float.ToString: the shortest digits that read back as the same value
// (the BCL's default and "R"), "G<n>", "F<n>", "N<n>", "E<n>", all from the value's exact decimal expansion (no
// floating-point error in the formatter itself). Shared source: also compiled into tests/Corlib.Tests and compared
// with the BCL.
using System;
using System.Text;

namespace Internal.Runtime
{
    public static unsafe partial class Number
    {
        // A binary floating-point value as mantissa * 2^exponent, the implicit bit made explicit; what the digit
        // generation needs to know about its format.
        private struct BinaryFloat
        {
            public ulong Mantissa;
            public int Exponent;
            public bool Negative;
            public bool IsNaN;
            public bool IsInfinity;
            public int MantissaBits;       // explicit fraction bits: 52 for double, 23 for float
            public int MinExponent;        // the subnormals' exponent: -1074, -149
            public int MaxDigits;          // digits that always suffice to read back: 17, 9
            public int ScientificFrom;     // the BCL's default format turns scientific at this exponent: 17, 9
        }

        public static string FormatDouble(double value, string format)
        {
            ulong bits = *(ulong*)&value;
            int biased = (int)(bits >> 52) & 0x7FF;
            var f = new BinaryFloat
            {
                Negative = (long)bits < 0,
                Mantissa = bits & 0xFFFFFFFFFFFFF,
                MantissaBits = 52,
                MinExponent = -1074,
                MaxDigits = 17,
                ScientificFrom = 17,      // "1E+17"; 1E16 is "10000000000000000"
                IsNaN = biased == 0x7FF && (bits & 0xFFFFFFFFFFFFF) != 0,
                IsInfinity = biased == 0x7FF && (bits & 0xFFFFFFFFFFFFF) == 0,
            };
            Normalize(ref f, biased, 1075);
            return Format(f, format);
        }

        public static string FormatSingle(float value, string format)
        {
            uint bits = *(uint*)&value;
            int biased = (int)(bits >> 23) & 0xFF;
            var f = new BinaryFloat
            {
                Negative = (int)bits < 0,
                Mantissa = bits & 0x7FFFFF,
                MantissaBits = 23,
                MinExponent = -149,
                MaxDigits = 9,
                ScientificFrom = 9,       // "1E+09"; 1.5E8 is "150000000"
                IsNaN = biased == 0xFF && (bits & 0x7FFFFF) != 0,
                IsInfinity = biased == 0xFF && (bits & 0x7FFFFF) == 0,
            };
            Normalize(ref f, biased, 150);
            return Format(f, format);
        }

        private static void Normalize(ref BinaryFloat f, int biased, int bias)
        {
            if (biased == 0)
            {
                f.Exponent = f.MinExponent;
            }
            else
            {
                f.Mantissa |= 1UL << f.MantissaBits;
                f.Exponent = biased - bias;
            }
        }

        private static string Format(in BinaryFloat f, string format)
        {
            if (!NumberLayout.TryParseStandard(format, out char kind, out int precision))
                throw NumberLayout.BadFormat(format);
            if (f.IsNaN)
                return "NaN";
            if (f.IsInfinity)
                return f.Negative ? "-Infinity" : "Infinity";
            var sb = new StringBuilder();
            switch (kind)
            {
                case 'G':
                case 'g':
                case 'R':
                case 'r':
                    if (precision <= 0 || kind == 'R' || kind == 'r')
                        NumberLayout.AppendGeneral(sb, ShortestDigits(f), f.MaxDigits, f.ScientificFrom, kind == 'g' || kind == 'r' ? 'e' : 'E');
                    else
                        NumberLayout.AppendGeneral(sb, ExactDigits(f), precision, precision, kind == 'g' ? 'e' : 'E');
                    break;
                case 'F':
                case 'f':
                    NumberLayout.AppendFixed(sb, ExactDigits(f), precision < 0 ? 2 : precision, groups: false);
                    break;
                case 'N':
                case 'n':
                    NumberLayout.AppendFixed(sb, ExactDigits(f), precision < 0 ? 2 : precision, groups: true);
                    break;
                case 'E':
                case 'e':
                    NumberLayout.AppendScientific(sb, ExactDigits(f), precision < 0 ? 6 : precision, kind, 3, trimZeros: false);
                    break;
                default:
                    throw NumberLayout.BadFormat(format);
            }
            return sb.ToString();
        }

        // Every digit of the exact value (a double has at most 767 significant digits).
        private static DecimalDigits ExactDigits(in BinaryFloat f)
        {
            var n = new BigNumber(f.Mantissa);
            int fractionDigits = 0;
            if (f.Exponent >= 0)
            {
                n.ShiftLeft(f.Exponent);
            }
            else
            {
                // m / 2^k = m * 5^k / 10^k: the digits of m * 5^k with the point k places from the right.
                n.MultiplyPow5(-f.Exponent);
                fractionDigits = -f.Exponent;
            }
            return FromDigitString(n.ToDecimalAndClear(), fractionDigits, f.Negative);
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

        /// <summary>The fewest significant digits whose decimal reads back (round-half-even) as this value; of two
        /// candidates of that length, the nearer.</summary>
        private static DecimalDigits ShortestDigits(in BinaryFloat f)
        {
            DecimalDigits exact = ExactDigits(f);
            if (exact.IsZero)
                return exact;
            // The values that read back as this one lie between the midpoints to its neighbours, in units of
            // 2^(exponent-2); the gap below is half as wide when the mantissa is the smallest of its binade.
            bool narrowBelow = f.Mantissa == 1UL << f.MantissaBits && f.Exponent > f.MinExponent;
            ulong low = narrowBelow ? 4 * f.Mantissa - 1 : 4 * f.Mantissa - 2;
            ulong high = 4 * f.Mantissa + 2;
            bool inclusive = (f.Mantissa & 1) == 0;
            for (int k = 1; k <= f.MaxDigits; k++)
            {
                ulong down = 0;
                for (int i = 0; i < k; i++)
                    down = down * 10 + (ulong)(exact.DigitAt(i) - '0');
                int scale = exact.Point - k;                       // candidate = digits * 10^scale
                bool exactAtK = exact.Count <= k;
                bool downInside = Inside(down, scale, low, high, f.Exponent - 2, inclusive);
                bool upInside = !exactAtK && Inside(down + 1, scale, low, high, f.Exponent - 2, inclusive);
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
