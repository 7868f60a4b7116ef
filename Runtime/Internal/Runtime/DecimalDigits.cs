// DecimalDigits.cs -- a number as decimal digits and a decimal point position: what every standard numeric format
// ("D", "F", "N", "E", "G") lays out. Shared source: also compiled into tests/Corlib.Tests (host parity).
namespace Internal.Runtime
{
    public sealed class DecimalDigits
    {
        // Digits[0] is the most significant and never '0' unless the number is zero (Count == 0). The value is
        // 0.D0D1D2... * 10^Point, so Point is the number of digits before the decimal point (it may be <= 0).
        public char[] Digits;
        public int Count;
        public int Point;
        public bool Negative;
        // Doubles keep their sign when they round to zero (-0.0001 as "F2" is "-0.00", -0.0 is "-0"); integers have no -0.
        public bool NegativeZeroShown;
        // Doubles round an exact half to even (0.125 as "F2" is "0.12"), integers away from zero (69250 as "E2" is
        // "6.93E+004"): what the BCL does with each.
        public bool HalfToEven;

        public DecimalDigits(int capacity) => Digits = new char[capacity < 1 ? 1 : capacity];

        public bool IsZero => Count == 0;

        public static DecimalDigits FromUInt64(ulong value, bool negative)
        {
            var d = new DecimalDigits(20);
            d.Negative = negative;
            char[] reversed = new char[20];
            int n = 0;
            while (value != 0)
            {
                reversed[n++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            for (int i = 0; i < n; i++)
                d.Digits[i] = reversed[n - 1 - i];
            d.Count = n;
            d.Point = n;
            d.TrimTrailingZeros();
            return d;
        }

        public void TrimTrailingZeros()
        {
            while (Count > 0 && Digits[Count - 1] == '0')
                Count--;
        }

        public char DigitAt(int index) => index >= 0 && index < Count ? Digits[index] : '0';

        /// <summary>Keeps the first <paramref name="significant"/> digits, rounding on the exact digits (see
        /// HalfToEven); a carry out of the first digit moves the point.</summary>
        public void RoundTo(int significant)
        {
            if (significant >= Count)
                return;
            if (significant < 0)
            {
                Count = 0;
                return;
            }
            char first = Digits[significant];
            bool up = first > '5' || (first == '5' && (!HalfToEven || Count > significant + 1 || (significant > 0 && (Digits[significant - 1] & 1) == 1)));
            Count = significant;
            if (up)
            {
                int i = Count - 1;
                while (i >= 0 && Digits[i] == '9')
                    i--;
                if (i < 0)
                {
                    // 999 -> 1000: one digit '1' with the point one further right.
                    Digits[0] = '1';
                    Count = 1;
                    Point++;
                    return;
                }
                Digits[i]++;
                Count = i + 1;
            }
            TrimTrailingZeros();
        }
    }
}
