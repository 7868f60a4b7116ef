// String.cs -- immutable UTF-16 strings with the members the kernel and the shared libraries use (ordinal only).
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    public sealed class String : IEquatable<string>
    {
        // Contract: length, then the first character; literals are frozen objects with this layout.
        private readonly int _stringLength;
        private char _firstChar;

        public static readonly string Empty = "";

        public int Length => _stringLength;

        [IndexerName("Chars")]
        public char this[int index]
        {
            [Intrinsic]
            get
            {
                if ((uint)index >= (uint)_stringLength)
                    Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowIndexOutOfRangeException();
                return Unsafe.Add(ref _firstChar, index);
            }
        }

        public ref readonly char GetPinnableReference() => ref _firstChar;

        // ILC rewrites `newobj String::.ctor(X)` into a call to the matching `static string Ctor(X)`.
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(ReadOnlySpan<char> value);
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern unsafe String(char* value, int startIndex, int length);
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char[] value, int startIndex, int length);
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char[] value);
        [MethodImpl(MethodImplOptions.InternalCall)]
        public extern String(char c, int count);

        private static unsafe string Ctor(ReadOnlySpan<char> value)
        {
            fixed (char* p = &value.GetPinnableReference())
                return FromChars(p, value.Length);
        }

        private static unsafe string Ctor(char* value, int startIndex, int length) => FromChars(value + startIndex, length);

        private static unsafe string Ctor(char[] value, int startIndex, int length)
        {
            if ((uint)startIndex > (uint)value.Length || (uint)length > (uint)(value.Length - startIndex))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            if (length == 0)
                return Empty;
            fixed (char* p = &value[startIndex])
                return FromChars(p, length);
        }

        private static string Ctor(char[] value) => Ctor(value, 0, value.Length);

        private static string Ctor(char c, int count)
        {
            string r = FastAllocateString(count);
            for (int i = 0; i < count; i++)
                Unsafe.Add(ref r._firstChar, i) = c;
            return r;
        }

        internal static string FastAllocateString(int length) => Internal.Runtime.Allocator.NewString(length);

        internal static unsafe string FromChars(char* p, int length)
        {
            if (length == 0)
                return Empty;
            string r = FastAllocateString(length);
            fixed (char* dst = &r._firstChar)
                Buffer.MemoryCopy(p, dst, (long)length * 2, (long)length * 2);
            return r;
        }

        public static bool IsNullOrEmpty(string value) => value is null || value.Length == 0;

        public static unsafe string Concat(string str0, string str1)
        {
            str0 ??= Empty;
            str1 ??= Empty;
            if (str0.Length == 0)
                return str1;
            if (str1.Length == 0)
                return str0;
            string r = FastAllocateString(str0.Length + str1.Length);
            fixed (char* dst = &r._firstChar)
            fixed (char* a = &str0._firstChar)
            fixed (char* b = &str1._firstChar)
            {
                Buffer.MemoryCopy(a, dst, str0.Length * 2, str0.Length * 2);
                Buffer.MemoryCopy(b, dst + str0.Length, str1.Length * 2, str1.Length * 2);
            }
            return r;
        }

        // Three and four pieces in one allocation: built from the two-piece Concat, every call would also make an
        // intermediate string for the collector to take (path joins run per path component).
        // As in the BCL, an empty piece falls back to the shorter overload, which may hand back a piece itself.
        public static unsafe string Concat(string str0, string str1, string str2)
        {
            str0 ??= Empty;
            str1 ??= Empty;
            str2 ??= Empty;
            if (str0.Length == 0)
                return Concat(str1, str2);
            if (str1.Length == 0)
                return Concat(str0, str2);
            if (str2.Length == 0)
                return Concat(str0, str1);
            string r = FastAllocateString(str0.Length + str1.Length + str2.Length);
            fixed (char* dst = &r._firstChar)
            {
                CopyChars(dst, str0);
                CopyChars(dst + str0.Length, str1);
                CopyChars(dst + str0.Length + str1.Length, str2);
            }
            return r;
        }

        public static unsafe string Concat(string str0, string str1, string str2, string str3)
        {
            str0 ??= Empty;
            str1 ??= Empty;
            str2 ??= Empty;
            str3 ??= Empty;
            if (str0.Length == 0)
                return Concat(str1, str2, str3);
            if (str1.Length == 0)
                return Concat(str0, str2, str3);
            if (str2.Length == 0)
                return Concat(str0, str1, str3);
            if (str3.Length == 0)
                return Concat(str0, str1, str2);
            string r = FastAllocateString(str0.Length + str1.Length + str2.Length + str3.Length);
            fixed (char* dst = &r._firstChar)
            {
                char* at = dst;
                CopyChars(at, str0);
                at += str0.Length;
                CopyChars(at, str1);
                at += str1.Length;
                CopyChars(at, str2);
                at += str2.Length;
                CopyChars(at, str3);
            }
            return r;
        }

        private static unsafe void CopyChars(char* destination, string source)
        {
            fixed (char* src = &source._firstChar)
                Buffer.MemoryCopy(src, destination, source.Length * 2, source.Length * 2);
        }

        public static string Concat(params string[] values)
        {
            var sb = new Text.StringBuilder();
            for (int i = 0; i < values.Length; i++)
                sb.Append(values[i]);
            return sb.ToString();
        }

        // Composite formatting: "{index[,alignment][:format]}" (Internal.Runtime.FormatItems; invariant culture).
        public static string Format(string format, object arg0) => Format(format, new[] { arg0 });
        public static string Format(string format, object arg0, object arg1) => Format(format, new[] { arg0, arg1 });
        public static string Format(string format, object arg0, object arg1, object arg2) => Format(format, new[] { arg0, arg1, arg2 });

        public static string Format(string format, params object[] args)
        {
            var sb = new Text.StringBuilder(format.Length + 16);
            FormatItems.AppendFormat(sb, format, args);
            return sb.ToString();
        }

        public static string Format(IFormatProvider provider, string format, params object[] args) => Format(format, args);

        public static string Join(string separator, string[] values)
        {
            var sb = new Text.StringBuilder();
            for (int i = 0; i < values.Length; i++)
            {
                if (i > 0)
                    sb.Append(separator);
                sb.Append(values[i]);
            }
            return sb.ToString();
        }

        public static string Concat(object arg0, object arg1) => Concat(arg0?.ToString(), arg1?.ToString());
        public static string Concat(object arg0, object arg1, object arg2) => Concat(arg0?.ToString(), arg1?.ToString(), arg2?.ToString());

        public static bool operator ==(string a, string b) => Equals(a, b);
        public static bool operator !=(string a, string b) => !Equals(a, b);

        public static unsafe bool Equals(string a, string b)
        {
            if ((object)a == b)
                return true;
            if (a is null || b is null || a._stringLength != b._stringLength)
                return false;
            fixed (char* pa = &a._firstChar)
            fixed (char* pb = &b._firstChar)
                return SpanHelpers.SequenceEqual((byte*)pa, (byte*)pb, (nuint)a._stringLength * 2);
        }

        public override bool Equals(object obj) => obj is string s && Equals(this, s);

        public bool Equals(string value) => Equals(this, value);

        // FNV-1a: stable and cheap; the kernel's tables need no randomized hashing.
        public override int GetHashCode()
        {
            uint h = 2166136261;
            for (int i = 0; i < _stringLength; i++)
                h = (h ^ Unsafe.Add(ref _firstChar, i)) * 16777619;
            return (int)h;
        }

        public override string ToString() => this;

        public static int CompareOrdinal(string strA, string strB)
        {
            if ((object)strA == strB)
                return 0;
            if (strA is null)
                return -1;
            if (strB is null)
                return 1;
            int n = Math.Min(strA.Length, strB.Length);
            for (int i = 0; i < n; i++)
            {
                int d = strA[i] - strB[i];
                if (d != 0)
                    return d;
            }
            return strA.Length - strB.Length;
        }

        public unsafe string Substring(int startIndex, int length)
        {
            if ((uint)startIndex > (uint)_stringLength || (uint)length > (uint)(_stringLength - startIndex))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            if (length == _stringLength)
                return this;
            fixed (char* p = &_firstChar)
                return FromChars(p + startIndex, length);
        }

        public string Substring(int startIndex) => Substring(startIndex, _stringLength - startIndex);

        public int IndexOf(char value) => IndexOf(value, 0);

        public int IndexOf(char value, int startIndex)
        {
            for (int i = startIndex; i < _stringLength; i++)
                if (this[i] == value)
                    return i;
            return -1;
        }

        public int IndexOf(string value)
        {
            for (int i = 0; i + value.Length <= _stringLength; i++)
                if (MatchesAt(i, value))
                    return i;
            return -1;
        }

        public int LastIndexOf(char value)
        {
            for (int i = _stringLength - 1; i >= 0; i--)
                if (this[i] == value)
                    return i;
            return -1;
        }

        public bool Contains(string value) => IndexOf(value) >= 0;
        public bool Contains(char value) => IndexOf(value) >= 0;

        private bool MatchesAt(int index, string value)
        {
            for (int j = 0; j < value.Length; j++)
                if (this[index + j] != value[j])
                    return false;
            return true;
        }

        /// <summary>Ordinal prefix test (the kernel has no culture data).</summary>
        public bool StartsWith(string value) => value.Length <= _stringLength && MatchesAt(0, value);
        public bool StartsWith(char value) => _stringLength > 0 && this[0] == value;
        public bool EndsWith(string value) => value.Length <= _stringLength && MatchesAt(_stringLength - value.Length, value);
        public bool EndsWith(char value) => _stringLength > 0 && this[_stringLength - 1] == value;

        public string Trim()
        {
            int start = 0, end = _stringLength;
            while (start < end && char.IsWhiteSpace(this[start]))
                start++;
            while (end > start && char.IsWhiteSpace(this[end - 1]))
                end--;
            return Substring(start, end - start);
        }

        public string PadLeft(int totalWidth) => PadLeft(totalWidth, ' ');
        public string PadLeft(int totalWidth, char paddingChar)
            => totalWidth <= _stringLength ? this : Concat(new string(paddingChar, totalWidth - _stringLength), this);
        public string PadRight(int totalWidth) => PadRight(totalWidth, ' ');
        public string PadRight(int totalWidth, char paddingChar)
            => totalWidth <= _stringLength ? this : Concat(this, new string(paddingChar, totalWidth - _stringLength));

        public string ToUpperInvariant()
        {
            string r = FastAllocateString(_stringLength);
            for (int i = 0; i < _stringLength; i++)
                Unsafe.Add(ref r._firstChar, i) = char.ToUpperInvariant(this[i]);
            return r;
        }

        public string ToLowerInvariant()
        {
            string r = FastAllocateString(_stringLength);
            for (int i = 0; i < _stringLength; i++)
                Unsafe.Add(ref r._firstChar, i) = char.ToLowerInvariant(this[i]);
            return r;
        }

        public char[] ToCharArray()
        {
            var r = new char[_stringLength];
            for (int i = 0; i < _stringLength; i++)
                r[i] = this[i];
            return r;
        }

        internal ReadOnlySpan<char> AsSpanOfChars() => new ReadOnlySpan<char>(ref _firstChar, _stringLength);

        public static implicit operator ReadOnlySpan<char>(string value)
            => value is null ? default : new ReadOnlySpan<char>(ref value._firstChar, value._stringLength);
    }
}
