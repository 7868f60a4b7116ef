// TypeCast.cs -- casting, array store and boxing helpers that ILC-generated code calls by name.
using System;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Internal.Runtime.CompilerHelpers;

namespace System.Runtime
{
    internal static unsafe class TypeCast
    {
        private static bool IsSubclassOf(MethodTable* type, MethodTable* target)
        {
            for (MethodTable* t = type; t != null; t = t->RelatedType)
                if (t == target)
                    return true;
            return false;
        }

        public static object IsInstanceOfClass(MethodTable* pTargetType, object obj)
            => obj == null || IsSubclassOf(obj.GetMethodTable(), pTargetType) ? obj : null;

        public static object IsInstanceOfInterface(MethodTable* pTargetType, object obj)
            => obj == null || obj.GetMethodTable()->ImplementsInterface(pTargetType) ? obj : null;

        public static object IsInstanceOfAny(MethodTable* pTargetType, object obj)
        {
            if (obj == null)
                return null;
            MethodTable* type = obj.GetMethodTable();
            return IsSubclassOf(type, pTargetType) || type->ImplementsInterface(pTargetType) ? obj : null;
        }

        public static bool IsInstanceOfException(MethodTable* pTargetType, object obj) => obj != null && IsSubclassOf(obj.GetMethodTable(), pTargetType);

        public static object CheckCastClass(MethodTable* pTargetType, object obj)
        {
            if (IsInstanceOfClass(pTargetType, obj) == null && obj != null)
                ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        public static object CheckCastInterface(MethodTable* pTargetType, object obj)
        {
            if (IsInstanceOfInterface(pTargetType, obj) == null && obj != null)
                ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        public static object CheckCastAny(MethodTable* pTargetType, object obj)
        {
            if (IsInstanceOfAny(pTargetType, obj) == null && obj != null)
                ThrowHelpers.ThrowInvalidCastException();
            return obj;
        }

        public static object CheckCastClassSpecial(MethodTable* pTargetType, object obj) => CheckCastClass(pTargetType, obj);

        // Stores into arrays of references. Array covariance is not checked: kernel code does not store through
        // covariant array views (documented limitation of the core library).
        public static void StelemRef(object[] array, nint index, object obj)
        {
            if ((nuint)index >= (uint)array.Length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            ref object element = ref Unsafe.As<byte, object>(ref Unsafe.As<RawArrayData>(array).Data);
            Unsafe.Add(ref element, index) = obj;
        }

        public static ref object LdelemaRef(object[] array, nint index, MethodTable* elementType)
        {
            if ((nuint)index >= (uint)array.Length)
                ThrowHelpers.ThrowIndexOutOfRangeException();
            ref object element = ref Unsafe.As<byte, object>(ref Unsafe.As<RawArrayData>(array).Data);
            return ref Unsafe.Add(ref element, index);
        }
    }

    internal static unsafe class RuntimeExports
    {
        public static object RhBox(MethodTable* pEEType, ref byte data)
        {
            object result = Allocator.NewObject(pEEType);
            byte* dst = (byte*)Unsafe.AsPointer(ref Unsafe.As<RawData>(result).Data);
            nuint size = pEEType->BaseSize - 2 * (nuint)sizeof(IntPtr);
            Buffer.MemoryCopy(Unsafe.AsPointer(ref data), dst, (long)size, (long)size);
            return result;
        }

        public static ref byte RhUnbox2(MethodTable* pUnboxToEEType, object obj)
        {
            if (obj == null || obj.GetMethodTable() != pUnboxToEEType)
                ThrowHelpers.ThrowInvalidCastException();
            return ref Unsafe.As<RawData>(obj).Data;
        }

        public static void RhUnboxNullable(ref byte data, MethodTable* pUnboxToEEType, object obj)
            => RuntimeEnv.FailFast("unboxing to Nullable<T> is not supported");

        public static void RhUnboxTypeTest(MethodTable* pType, MethodTable* pBoxType)
        {
            if (pType != pBoxType)
                ThrowHelpers.ThrowInvalidCastException();
        }

        private sealed class RawData
        {
            public byte Data;
        }
    }
}
