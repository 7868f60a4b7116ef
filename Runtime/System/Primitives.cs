// Primitives.cs -- the primitive value types; ILC knows their layout, we only add the members the kernel uses.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System
{
    public struct Void { }

    public struct Boolean
    {
        private bool m_value;
        public override bool Equals(object obj) => obj is bool other && other == m_value;
        public override int GetHashCode() => m_value ? 1 : 0;
        public override string ToString() => m_value ? "True" : "False";
    }

    public struct Char
    {
        private char m_value;
        public override bool Equals(object obj) => obj is char other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
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

    public struct SByte
    {
        private sbyte m_value;
        public override bool Equals(object obj) => obj is sbyte other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;
        public override string ToString() => Number.Int64ToString(m_value);
    }

    public struct Byte
    {
        private byte m_value;
        public override bool Equals(object obj) => obj is byte other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const byte MaxValue = 255;
        public const byte MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
    }

    public struct Int16
    {
        private short m_value;
        public override bool Equals(object obj) => obj is short other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const short MaxValue = 32767;
        public const short MinValue = -32768;
        public override string ToString() => Number.Int64ToString(m_value);
    }

    public struct UInt16
    {
        private ushort m_value;
        public override bool Equals(object obj) => obj is ushort other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
    }

    public struct Int32
    {
        private int m_value;
        public override bool Equals(object obj) => obj is int other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const int MaxValue = 0x7fffffff;
        public const int MinValue = unchecked((int)0x80000000);
        public override string ToString() => Number.Int64ToString(m_value);
        public string ToString(string format) => Number.FormatInt64(m_value, format);
        public static bool TryParse(string s, out int result)
        {
            bool ok = Number.TryParseInt64(s, out long value) && value >= MinValue && value <= MaxValue;
            result = ok ? (int)value : 0;
            return ok;
        }
    }

    public struct UInt32
    {
        private uint m_value;
        public override bool Equals(object obj) => obj is uint other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const uint MaxValue = 0xffffffff;
        public const uint MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
        public string ToString(string format) => Number.FormatUInt64(m_value, format);
        public static bool TryParse(string s, out uint result)
        {
            bool ok = Number.TryParseUInt64(s, out ulong value) && value <= MaxValue;
            result = ok ? (uint)value : 0;
            return ok;
        }
    }

    public struct Int64
    {
        private long m_value;
        public override bool Equals(object obj) => obj is long other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const long MaxValue = 0x7fffffffffffffff;
        public const long MinValue = unchecked((long)0x8000000000000000);
        public override string ToString() => Number.Int64ToString(m_value);
        public string ToString(string format) => Number.FormatInt64(m_value, format);
        public static bool TryParse(string s, out long result) => Number.TryParseInt64(s, out result);
    }

    public struct UInt64
    {
        private ulong m_value;
        public override bool Equals(object obj) => obj is ulong other && other == m_value;
        public override int GetHashCode() => unchecked((int)(long)m_value ^ (int)((long)m_value >> 32));
        public const ulong MaxValue = 0xffffffffffffffff;
        public const ulong MinValue = 0;
        public override string ToString() => Number.UInt64ToString(m_value);
        public string ToString(string format) => Number.FormatUInt64(m_value, format);
        public static bool TryParse(string s, out ulong result) => Number.TryParseUInt64(s, out result);
    }

    public struct IntPtr
    {
        private unsafe void* m_value;
        public static unsafe nint Zero => 0;
        public static unsafe int Size => sizeof(nint);
    }

    public struct UIntPtr
    {
        private unsafe void* m_value;
    }

    public struct Single { private float m_value; }
    public struct Double { private double m_value; }
    public struct TypedReference { }
    public struct ArgIterator { }
    public struct RuntimeArgumentHandle { }

    public abstract class ValueType { }
    public abstract class Enum : ValueType { }
}
