// Array.cs -- single-dimensional arrays: MethodTable*, length, padding, elements (an ILC contract).
using System.Runtime.CompilerServices;

namespace System
{
    public abstract class Array
    {
        // Contract: the element count follows the MethodTable pointer.
        private readonly int _numComponents;

        public int Length => _numComponents;

        public static unsafe void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length)
        {
            Internal.Runtime.MethodTable* mt = sourceArray.GetMethodTable();
            if (mt != destinationArray.GetMethodTable()
                || (uint)sourceIndex > (uint)sourceArray.Length || (uint)length > (uint)(sourceArray.Length - sourceIndex)
                || (uint)destinationIndex > (uint)destinationArray.Length || (uint)length > (uint)(destinationArray.Length - destinationIndex))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentException();
            nuint elementSize = mt->ComponentSize;
            ref byte src = ref Unsafe.As<RawArrayData>(sourceArray).Data;
            ref byte dst = ref Unsafe.As<RawArrayData>(destinationArray).Data;
            SpanHelpers.Memmove(
                ref Unsafe.AddByteOffset(ref dst, (nint)((nuint)destinationIndex * elementSize)),
                ref Unsafe.AddByteOffset(ref src, (nint)((nuint)sourceIndex * elementSize)),
                (nuint)length * elementSize);
        }

        public static void Copy(Array sourceArray, Array destinationArray, int length) => Copy(sourceArray, 0, destinationArray, 0, length);

        public static unsafe void Clear(Array array, int index, int length)
        {
            if ((uint)index > (uint)array.Length || (uint)length > (uint)(array.Length - index))
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentException();
            nuint elementSize = array.GetMethodTable()->ComponentSize;
            ref byte data = ref Unsafe.As<RawArrayData>(array).Data;
            SpanHelpers.ClearWithoutReferences(ref Unsafe.AddByteOffset(ref data, (nint)((nuint)index * elementSize)), (nuint)length * elementSize);
        }

        public static void Resize<T>(ref T[] array, int newSize)
        {
            T[] larger = new T[newSize];
            if (array != null)
                Copy(array, larger, Math.Min(array.Length, newSize));
            array = larger;
        }

        public static T[] Empty<T>() => EmptyArray<T>.Value;

        private static class EmptyArray<T>
        {
            internal static readonly T[] Value = new T[0];
        }
    }

    // ILC uses Array<T> as the template for the vtables of T[].
    public class Array<T> : Array { }

    /// <summary>View of an array's header used to reach its first element.</summary>
    internal sealed class RawArrayData
    {
        public uint Length;
        public uint Padding;
        public byte Data;
    }
}
