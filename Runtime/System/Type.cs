// Type.cs -- type handles and Type: typeof(T) and GetType() give a Type over the MethodTable, with Name (the BCL's
// simple name, "List`1") and FullName from the kernel's symbol table. No other reflection.
using Internal.Runtime;

namespace System
{
    public struct RuntimeTypeHandle
    {
        private IntPtr _value;

        internal RuntimeTypeHandle(IntPtr value) => _value = value;

        public IntPtr Value => _value;
    }

    public struct RuntimeMethodHandle { private IntPtr _value; }
    public struct RuntimeFieldHandle { private IntPtr _value; }

    public abstract class Type
    {
        public abstract string Name { get; }
        public abstract string FullName { get; }
        public abstract RuntimeTypeHandle TypeHandle { get; }

        public static Type GetTypeFromHandle(RuntimeTypeHandle handle) => handle.Value == 0 ? null : new RuntimeType(handle.Value);

        // A Type is made per typeof()/GetType() (there is no type cache), so identity is the MethodTable's.
        public static bool operator ==(Type left, Type right)
            => (object)left == right || (left is not null && right is not null && left.TypeHandle.Value == right.TypeHandle.Value);

        public static bool operator !=(Type left, Type right) => !(left == right);

        public override bool Equals(object obj) => obj is Type other && this == other;

        public override int GetHashCode() => TypeHandle.Value.GetHashCode();

        public override string ToString() => FullName;
    }

    internal sealed unsafe class RuntimeType : Type
    {
        private readonly IntPtr _methodTable;

        internal RuntimeType(IntPtr methodTable) => _methodTable = methodTable;

        public override RuntimeTypeHandle TypeHandle => new RuntimeTypeHandle(_methodTable);

        public override string Name
        {
            get
            {
                string mangled = TypeNameResolver.MangledName((ulong)_methodTable);
                return mangled != null ? TypeNames.SimpleName(mangled) : Unnamed();
            }
        }

        public override string FullName => TypeNameResolver.DisplayName((ulong)_methodTable) ?? Unnamed();

        private string Unnamed() => string.Concat("type@0x", Number.ToHex((ulong)_methodTable, 1, false));
    }

    public interface IDisposable
    {
        void Dispose();
    }

    public interface IEquatable<T>
    {
        bool Equals(T other);
    }

    public interface IComparable<in T>
    {
        int CompareTo(T other);
    }

    public interface IFormatProvider
    {
        object GetFormat(Type formatType);
    }

    /// <summary>The kernel has one culture, the invariant one: the provider is accepted and ignored.</summary>
    public interface IFormattable
    {
        string ToString(string format, IFormatProvider formatProvider);
    }
}
