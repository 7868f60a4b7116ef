// Object.cs -- the root of every reference type; its only field is the MethodTable pointer (an ILC contract).
using System.Runtime.CompilerServices;

namespace System
{
    public class Object
    {
        // Contract: the first and only field is the MethodTable pointer, named as ILC expects (its unboxing thunks for
        // shared generic structs load it by this name).
        private IntPtr m_pEEType;

        public Object() { }

        public virtual bool Equals(object obj) => (object)this == obj;

        // Objects never move (no compacting collector), so the address is a stable identity hash.
        public virtual unsafe int GetHashCode()
        {
            object o = this;
            nint address = *(nint*)Unsafe.AsPointer(ref o);
            return (int)address ^ (int)(address >> 32);
        }

        // As in the BCL: the type's full name.
        public virtual string ToString() => GetType().ToString();

        public unsafe Type GetType() => Type.GetTypeFromHandle(new RuntimeTypeHandle(m_pEEType));

        public static bool ReferenceEquals(object objA, object objB) => objA == objB;

        internal unsafe Internal.Runtime.MethodTable* GetMethodTable() => (Internal.Runtime.MethodTable*)m_pEEType;
    }
}
