// Primitives.cs -- the primitive value types; ILC knows their layout, we add the BCL members the kernel uses:
// IEquatable<T> (so EqualityComparer<T>.Default compares without boxing), the BCL's hash codes, and IFormattable
// with the standard numeric formats (Internal.Runtime.Number; invariant culture, the provider is ignored).
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    public struct Void { }

    public struct Boolean : IEquatable<bool>
    {
        private bool m_value;
        public override bool Equals(object obj) => obj is bool other && other == m_value;
        public bool Equals(bool obj) => obj == m_value;
        public override int GetHashCode() => m_value ? 1 : 0;
        public override string ToString() => m_value ? "True" : "False";
    }

    public struct Char : IEquatable<char>
    {
        private char m_value;
        public override bool Equals(object obj) => obj is char other && other == m_value;
        public bool Equals(char obj) => obj == m_value;
        public override int GetHashCode() => m_value | (m_value << 16);
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;
        public override string ToString() => new string(m_value, 1);
        public static bool IsDigit(char c) => c >= '0' && c <= '9';
        public static bool IsWhiteSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0';
        public static bool IsLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
        public static bool IsLetterOrDigit(char c) => IsLetter(c) || IsDigit(c);
        public static bool IsUpper(char c) => c >= 'A' && c <= 'Z';
        public static bool IsLower(char c) => c >= 'a' && c <= 'z';
        public static char ToUpperInvariant(char c) => IsLower(c) ? (char)(c - 32) : c;
        public static char ToLowerInvariant(char c) => IsUpper(c) ? (char)(c + 32) : c;
    }

    public struct SByte : IEquatable<sbyte>, IFormattable
    {
        private sbyte m_value;
        public override bool Equals(object obj) => obj is sbyte other && other == m_value;
        public bool Equals(sbyte obj) => obj == m_value;
        public override int GetHashCode() => unchecked(m_value ^ (m_value << 8));
        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;
        public override string ToString() => Number.Int64ToString(m_value);
        public string ToString(string format) => Number.FormatSigned(m_value, 1, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatSigned(m_value, 1, format);
    }

    public struct Byte : IEquatable<byte>, IFormattable
    {
        private byte m_value;
        public override bool Equals(object obj) => obj is byte other && other == m_value;
        public bool Equals(byte obj) => obj == m_value;
        public override int GetHashCode() => unchecked(m_value);
        public const byte MaxValue = 255;
        public const byte MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
        public string ToString(string format) => Number.FormatUnsigned(m_value, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatUnsigned(m_value, format);
    }

    public struct Int16 : IEquatable<short>, IFormattable
    {
        private short m_value;
        public override bool Equals(object obj) => obj is short other && other == m_value;
        public bool Equals(short obj) => obj == m_value;
        public override int GetHashCode() => unchecked((ushort)m_value | (m_value << 16));
        public const short MaxValue = 32767;
        public const short MinValue = -32768;
        public override string ToString() => Number.Int64ToString(m_value);
        public string ToString(string format) => Number.FormatSigned(m_value, 2, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatSigned(m_value, 2, format);
    }

    public struct UInt16 : IEquatable<ushort>, IFormattable
    {
        private ushort m_value;
        public override bool Equals(object obj) => obj is ushort other && other == m_value;
        public bool Equals(ushort obj) => obj == m_value;
        public override int GetHashCode() => unchecked(m_value);
        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
        public string ToString(string format) => Number.FormatUnsigned(m_value, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatUnsigned(m_value, format);
    }

    public struct Int32 : IEquatable<int>, IFormattable
    {
        private int m_value;
        public override bool Equals(object obj) => obj is int other && other == m_value;
        public bool Equals(int obj) => obj == m_value;
        public override int GetHashCode() => unchecked(m_value);
        public const int MaxValue = 0x7fffffff;
        public const int MinValue = unchecked((int)0x80000000);
        public override string ToString() => Number.Int64ToString(m_value);
        public string ToString(string format) => Number.FormatSigned(m_value, 4, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatSigned(m_value, 4, format);
        public static bool TryParse(string s, out int result)
        {
            bool ok = Number.TryParseInt64(s, out long value) && value >= MinValue && value <= MaxValue;
            result = ok ? (int)value : 0;
            return ok;
        }
    }

    public struct UInt32 : IEquatable<uint>, IFormattable
    {
        private uint m_value;
        public override bool Equals(object obj) => obj is uint other && other == m_value;
        public bool Equals(uint obj) => obj == m_value;
        public override int GetHashCode() => unchecked((int)m_value);
        public const uint MaxValue = 0xffffffff;
        public const uint MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
        public string ToString(string format) => Number.FormatUnsigned(m_value, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatUnsigned(m_value, format);
        public static bool TryParse(string s, out uint result)
        {
            bool ok = Number.TryParseUInt64(s, out ulong value) && value <= MaxValue;
            result = ok ? (uint)value : 0;
            return ok;
        }
    }

    public struct Int64 : IEquatable<long>, IFormattable
    {
        private long m_value;
        public override bool Equals(object obj) => obj is long other && other == m_value;
        public bool Equals(long obj) => obj == m_value;
        public override int GetHashCode() => unchecked((int)m_value ^ (int)(m_value >> 32));
        public const long MaxValue = 0x7fffffffffffffff;
        public const long MinValue = unchecked((long)0x8000000000000000);
        public override string ToString() => Number.Int64ToString(m_value);
        public string ToString(string format) => Number.FormatSigned(m_value, 8, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatSigned(m_value, 8, format);
        public static bool TryParse(string s, out long result) => Number.TryParseInt64(s, out result);
    }

    public struct UInt64 : IEquatable<ulong>, IFormattable
    {
        private ulong m_value;
        public override bool Equals(object obj) => obj is ulong other && other == m_value;
        public bool Equals(ulong obj) => obj == m_value;
        public override int GetHashCode() => unchecked((int)m_value ^ (int)(m_value >> 32));
        public const ulong MaxValue = 0xffffffffffffffff;
        public const ulong MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
        public string ToString(string format) => Number.FormatUnsigned(m_value, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatUnsigned(m_value, format);
        public static bool TryParse(string s, out ulong result) => Number.TryParseUInt64(s, out result);
    }

    public struct IntPtr : IEquatable<nint>
    {
        private unsafe void* m_value;
        public static unsafe nint Zero => 0;
        public static unsafe int Size => sizeof(nint);
        public override unsafe bool Equals(object obj) => obj is nint other && other == (nint)m_value;
        public unsafe bool Equals(nint other) => other == (nint)m_value;
        public override unsafe int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public override unsafe string ToString() => Number.Int64ToString((long)m_value);
    }

    public struct UIntPtr : IEquatable<nuint>
    {
        private unsafe void* m_value;
        public override unsafe bool Equals(object obj) => obj is nuint other && other == (nuint)m_value;
        public unsafe bool Equals(nuint other) => other == (nuint)m_value;
        public override unsafe int GetHashCode() => unchecked((int)(ulong)m_value ^ (int)((ulong)m_value >> 32));
        public override unsafe string ToString() => Number.UInt64ToString((ulong)m_value);
    }

    /// <summary>Formatting as for double, at float's precision (1.1f is "1.1").</summary>
    public struct Single : IEquatable<float>, IFormattable
    {
        private float m_value;
        public const float PositiveInfinity = 1.0f / 0.0f;
        public const float NegativeInfinity = -1.0f / 0.0f;
        public const float NaN = 0.0f / 0.0f;
        public const float MaxValue = 3.40282347E+38f;
        public const float MinValue = -3.40282347E+38f;
        public const float Epsilon = 1.401298E-45f;
        public static unsafe bool IsNaN(float f) => (*(uint*)&f & 0x7FFFFFFF) > 0x7F800000;
        public override bool Equals(object obj) => obj is float other && Equals(other);
        public bool Equals(float obj) => obj == m_value || (IsNaN(obj) && IsNaN(m_value));
        public override unsafe int GetHashCode()
        {
            float value = m_value;
            return value == 0 ? 0 : *(int*)&value;
        }
        public override string ToString() => Number.FormatSingle(m_value, null);
        public string ToString(string format) => Number.FormatSingle(m_value, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatSingle(m_value, format);
    }

    /// <summary>Formatting: the shortest text that reads back (the default, "R"), "G<n>", "F<n>", "N<n>", "E<n>".</summary>
    public struct Double : IEquatable<double>, IFormattable
    {
        private double m_value;
        public const double PositiveInfinity = 1.0 / 0.0;
        public const double NegativeInfinity = -1.0 / 0.0;
        public const double NaN = 0.0 / 0.0;
        public const double MaxValue = 1.7976931348623157E+308;
        public const double MinValue = -1.7976931348623157E+308;
        public const double Epsilon = 4.9406564584124654E-324;
        public static unsafe bool IsNaN(double d) => (*(ulong*)&d & 0x7FFFFFFFFFFFFFFF) > 0x7FF0000000000000;
        public static bool IsInfinity(double d) => d == PositiveInfinity || d == NegativeInfinity;
        public static bool IsFinite(double d) => !IsNaN(d) && !IsInfinity(d);
        // As in the BCL: NaN equals NaN here (so it can be a dictionary key), and 0.0 equals -0.0.
        public override bool Equals(object obj) => obj is double other && Equals(other);
        public bool Equals(double obj) => obj == m_value || (IsNaN(obj) && IsNaN(m_value));
        public override unsafe int GetHashCode()
        {
            double value = m_value;
            if (value == 0)
                return 0;                       // 0.0 and -0.0 are equal, so they hash alike
            long bits = *(long*)&value;
            return unchecked((int)bits ^ (int)(bits >> 32));
        }
        public override string ToString() => Number.FormatDouble(m_value, null);
        public string ToString(string format) => Number.FormatDouble(m_value, format);
        public string ToString(string format, IFormatProvider provider) => Number.FormatDouble(m_value, format);
    }

    public struct TypedReference { }
    public struct ArgIterator { }
    public struct RuntimeArgumentHandle { }

    public abstract class ValueType { }
    public abstract class Enum : ValueType { }
}
