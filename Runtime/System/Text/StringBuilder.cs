// StringBuilder.cs -- a growable character buffer for building log lines and command output.
namespace System.Text
{
    public sealed class StringBuilder
    {
        private char[] _chars;
        private int _length;

        public StringBuilder() : this(32) { }

        public StringBuilder(int capacity) => _chars = new char[capacity < 4 ? 4 : capacity];

        public int Length
        {
            get => _length;
            set
            {
                if ((uint)value > (uint)_length)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
                _length = value;
            }
        }

        public char this[int index]
        {
            get
            {
                if ((uint)index >= (uint)_length)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                return _chars[index];
            }
        }

        private void Grow(int extra)
        {
            int needed = _length + extra;
            if (needed <= _chars.Length)
                return;
            int size = _chars.Length * 2;
            if (size < needed)
                size = needed;
            var larger = new char[size];
            Array.Copy(_chars, larger, _length);
            _chars = larger;
        }

        public StringBuilder Append(char value)
        {
            Grow(1);
            _chars[_length++] = value;
            return this;
        }

        public StringBuilder Append(char value, int repeatCount)
        {
            Grow(repeatCount);
            for (int i = 0; i < repeatCount; i++)
                _chars[_length++] = value;
            return this;
        }

        public StringBuilder Append(string value)
        {
            if (value is null)
                return this;
            Grow(value.Length);
            for (int i = 0; i < value.Length; i++)
                _chars[_length + i] = value[i];
            _length += value.Length;
            return this;
        }

        public StringBuilder Append(ReadOnlySpan<char> value)
        {
            Grow(value.Length);
            for (int i = 0; i < value.Length; i++)
                _chars[_length + i] = value[i];
            _length += value.Length;
            return this;
        }

        public StringBuilder Append(char[] value, int startIndex, int charCount)
        {
            if ((uint)startIndex > (uint)value.Length || (uint)charCount > (uint)(value.Length - startIndex))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            Grow(charCount);
            Array.Copy(value, startIndex, _chars, _length, charCount);
            _length += charCount;
            return this;
        }

        public StringBuilder AppendFormat(string format, object arg0) => AppendFormat(format, new[] { arg0 });
        public StringBuilder AppendFormat(string format, object arg0, object arg1) => AppendFormat(format, new[] { arg0, arg1 });

        public StringBuilder AppendFormat(string format, params object[] args)
        {
            Internal.Runtime.FormatItems.AppendFormat(this, format, args);
            return this;
        }

        public StringBuilder Append(double value) => Append(Internal.Runtime.Number.FormatDouble(value, null));
        public StringBuilder Append(int value) => Append(Internal.Runtime.Number.Int64ToString(value));
        public StringBuilder Append(uint value) => Append(Internal.Runtime.Number.UInt64ToString(value));
        public StringBuilder Append(long value) => Append(Internal.Runtime.Number.Int64ToString(value));
        public StringBuilder Append(ulong value) => Append(Internal.Runtime.Number.UInt64ToString(value));
        public StringBuilder Append(bool value) => Append(value ? "True" : "False");
        public StringBuilder Append(object value) => Append(value?.ToString());

        public StringBuilder AppendLine() => Append('\n');
        public StringBuilder AppendLine(string value) => Append(value).Append('\n');

        public StringBuilder Clear()
        {
            _length = 0;
            return this;
        }

        public override string ToString() => new string(_chars, 0, _length);
    }
}
