// EqualityComparer.cs -- EqualityComparer<T>.Default and the comparers behind it. ILC replaces the body of Create
// for every exact instantiation with `new` of the comparer the BCL would pick (its ComparerIntrinsics, by these
// type names): GenericEqualityComparer<T> for a T that is IEquatable<T> (no boxing), EnumEqualityComparer<T>,
// NullableEqualityComparer<T>, else ObjectEqualityComparer<T>. Shared code over reference types (one canonical
// body for all of them) runs the body written here.
using System.Runtime.CompilerServices;

namespace System.Collections.Generic
{
    public interface IEqualityComparer<in T>
    {
        bool Equals(T x, T y);
        int GetHashCode(T obj);
    }

    public abstract class EqualityComparer<T> : IEqualityComparer<T>
    {
        public static EqualityComparer<T> Default { get; } = Create();

        // For a reference type, Equals(object) is the type's equality (string's is ordinal, as IEquatable's would be).
        [Intrinsic]
        private static EqualityComparer<T> Create() => new ObjectEqualityComparer<T>();

        public abstract bool Equals(T x, T y);
        public abstract int GetHashCode(T obj);
    }

    public sealed class GenericEqualityComparer<T> : EqualityComparer<T> where T : IEquatable<T>
    {
        public override bool Equals(T x, T y) => x != null ? y != null && x.Equals(y) : y == null;
        public override int GetHashCode(T obj) => obj == null ? 0 : obj.GetHashCode();
    }

    public sealed class ObjectEqualityComparer<T> : EqualityComparer<T>
    {
        public override bool Equals(T x, T y) => x != null ? y != null && x.Equals(y) : y == null;
        public override int GetHashCode(T obj) => obj == null ? 0 : obj.GetHashCode();
    }

    public sealed class NullableEqualityComparer<T> : EqualityComparer<T?> where T : struct, IEquatable<T>
    {
        public override bool Equals(T? x, T? y)
            => x.HasValue ? y.HasValue && x.GetValueOrDefault().Equals(y.GetValueOrDefault()) : !y.HasValue;
        public override int GetHashCode(T? obj) => obj.HasValue ? obj.GetValueOrDefault().GetHashCode() : 0;
    }

    // Compares the underlying integer: no boxing, and the hash is the BCL's (the underlying value's hash).
    public sealed class EnumEqualityComparer<T> : EqualityComparer<T> where T : struct, Enum
    {
        public override bool Equals(T x, T y) => Bits(ref x) == Bits(ref y);

        public override int GetHashCode(T obj)
        {
            long bits = Bits(ref obj);
            return Unsafe.SizeOf<T>() == 8 ? (int)bits ^ (int)(bits >> 32) : (int)bits;
        }

        private static long Bits(ref T value) => Unsafe.SizeOf<T>() switch
        {
            1 => Unsafe.As<T, byte>(ref value),
            2 => Unsafe.As<T, ushort>(ref value),
            4 => Unsafe.As<T, int>(ref value),
            _ => Unsafe.As<T, long>(ref value),
        };
    }

    public sealed class StringEqualityComparer : EqualityComparer<string>
    {
        public override bool Equals(string x, string y) => string.Equals(x, y);
        public override int GetHashCode(string obj) => obj == null ? 0 : obj.GetHashCode();
    }

    /// <summary>Identity: two references are equal when they are the same object (lock tables, object sets).</summary>
    public sealed class ReferenceEqualityComparer : IEqualityComparer<object>
    {
        public static ReferenceEqualityComparer Instance { get; } = new ReferenceEqualityComparer();

        private ReferenceEqualityComparer() { }

        public bool Equals(object x, object y) => (object)x == y;
        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
