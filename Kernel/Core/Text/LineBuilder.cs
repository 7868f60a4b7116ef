// LineBuilder.cs -- a fixed-size line of text built without allocating: the log and the panic screen format into
// one of these (they run before the heap exists, from interrupt handlers, and when the heap may be what broke).
// Characters past the capacity are dropped.
namespace Kernel.Text
{
    public unsafe struct LineBuilder
    {
        public const int Capacity = 512;

        private fixed char _chars[Capacity];
        private int _length;

        public int Length => _length;

        public char this[int index] => _chars[index];

        public void Clear() => _length = 0;

        public void Append(char c)
        {
            if (_length < Capacity)
                _chars[_length++] = c;
        }

        public void Append(string s)
        {
            if (s is null)
                return;
            for (int i = 0; i < s.Length; i++)
                Append(s[i]);
        }

        /// <summary>Appends text with line breaks turned into spaces (one log record stays one line).</summary>
        public void AppendSingleLine(string s)
        {
            if (s is null)
                return;
            for (int i = 0; i < s.Length; i++)
                Append(s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
        }

        public void AppendAscii(byte* ascii, int length)
        {
            for (int i = 0; i < length; i++)
                Append((char)ascii[i]);
        }

        /// <summary>Decimal, zero-padded to <paramref name="minDigits"/>.</summary>
        public void AppendDecimal(ulong value, int minDigits = 1)
        {
            char* digits = stackalloc char[20];
            int n = 0;
            do
            {
                digits[n++] = (char)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value != 0);
            for (int i = n; i < minDigits; i++)
                Append('0');
            while (n > 0)
                Append(digits[--n]);
        }

        /// <summary>`0x` and lowercase hex digits, at least <paramref name="minDigits"/> of them.</summary>
        public void AppendHex(ulong value, int minDigits = 1)
        {
            Append("0x");
            int shown = 16;
            while (shown > minDigits && ((value >> ((shown - 1) * 4)) & 0xF) == 0)
                shown--;
            for (int i = shown - 1; i >= 0; i--)
            {
                int d = (int)((value >> (i * 4)) & 0xF);
                Append((char)(d < 10 ? '0' + d : 'a' + d - 10));
            }
        }
    }
}
