// BigNumber.cs -- a small unsigned big integer (32-bit limbs): just enough arithmetic to write a double's exact
// decimal value and to test whether a short decimal reads back as the same double. Shared source (host parity).
namespace Internal.Runtime
{
    public sealed class BigNumber
    {
        private uint[] _limbs;        // least significant first
        private int _length;          // limbs in use; no leading zero limbs

        public BigNumber(ulong value)
        {
            _limbs = new uint[8];
            _limbs[0] = (uint)value;
            _limbs[1] = (uint)(value >> 32);
            _length = _limbs[1] != 0 ? 2 : _limbs[0] != 0 ? 1 : 0;
        }

        public bool IsZero => _length == 0;

        private void EnsureLimbs(int count)
        {
            if (count <= _limbs.Length)
                return;
            var larger = new uint[count * 2];
            for (int i = 0; i < _length; i++)
                larger[i] = _limbs[i];
            _limbs = larger;
        }

        public void MultiplySmall(uint factor)
        {
            ulong carry = 0;
            for (int i = 0; i < _length; i++)
            {
                ulong product = (ulong)_limbs[i] * factor + carry;
                _limbs[i] = (uint)product;
                carry = product >> 32;
            }
            if (carry != 0)
            {
                EnsureLimbs(_length + 1);
                _limbs[_length++] = (uint)carry;
            }
        }

        public void MultiplyPow5(int exponent)
        {
            const uint FiveToThe13 = 1220703125;
            for (; exponent >= 13; exponent -= 13)
                MultiplySmall(FiveToThe13);
            uint rest = 1;
            for (; exponent > 0; exponent--)
                rest *= 5;
            MultiplySmall(rest);
        }

        public void ShiftLeft(int bits)
        {
            if (_length == 0 || bits == 0)
                return;
            int limbs = bits / 32, shift = bits % 32;
            EnsureLimbs(_length + limbs + 1);
            _limbs[_length + limbs] = 0;
            for (int i = _length - 1; i >= 0; i--)
            {
                uint v = _limbs[i];
                _limbs[i + limbs + 1] |= shift == 0 ? 0 : v >> (32 - shift);
                _limbs[i + limbs] = v << shift;
            }
            for (int i = 0; i < limbs; i++)
                _limbs[i] = 0;
            _length += limbs + 1;
            Normalize();
        }

        /// <summary>Divides in place, returns the remainder.</summary>
        public uint DivideSmall(uint divisor)
        {
            ulong remainder = 0;
            for (int i = _length - 1; i >= 0; i--)
            {
                ulong current = (remainder << 32) | _limbs[i];
                _limbs[i] = (uint)(current / divisor);
                remainder = current % divisor;
            }
            Normalize();
            return (uint)remainder;
        }

        private void Normalize()
        {
            while (_length > 0 && _limbs[_length - 1] == 0)
                _length--;
        }

        public static int Compare(BigNumber a, BigNumber b)
        {
            if (a._length != b._length)
                return a._length < b._length ? -1 : 1;
            for (int i = a._length - 1; i >= 0; i--)
                if (a._limbs[i] != b._limbs[i])
                    return a._limbs[i] < b._limbs[i] ? -1 : 1;
            return 0;
        }

        /// <summary>The decimal digits, most significant first ("" for zero); consumes the number.</summary>
        public string ToDecimalAndClear()
        {
            var chunks = new System.Collections.Generic.List<uint>();
            while (!IsZero)
                chunks.Add(DivideSmall(1000000000));
            if (chunks.Count == 0)
                return "";
            var sb = new System.Text.StringBuilder();
            sb.Append(Number.UInt64ToString(chunks[chunks.Count - 1]));
            for (int i = chunks.Count - 2; i >= 0; i--)
            {
                string part = Number.UInt64ToString(chunks[i]);
                sb.Append('0', 9 - part.Length);
                sb.Append(part);
            }
            return sb.ToString();
        }
    }
}
