// GCDesc.cs -- where an object's references are, read from the GC descriptor ILC emits just below each MethodTable
// of a type that holds references (MethodTable.ContainsGCPointers), and how big an object is.
//
// The format (dotnet/runtime src/coreclr/gc/gcdesc.h), read downwards from the MethodTable address, one word each:
//   mt[-1]  the series count N, a signed word.
//   N > 0:  N series below it, the highest first: mt[-3] = size, mt[-2] = start offset of series 0; mt[-5], mt[-4]
//           of series 1; ... A series is a run of references starting at obj + offset, (size + object size) bytes
//           long: the size is stored minus the type's BaseSize, so the same series describes a fixed object
//           (size + BaseSize = the run) and a reference array (size + BaseSize + n * 8 = the elements).
//   N < 0:  an array of structs with references, a pattern repeated per element: mt[-2] is the offset of the first
//           element; -N (nptrs, skip) pairs of 32-bit values go downwards from mt[-3] (pair 0 at mt[-3], pair 1 at
//           mt[-4], ...): nptrs references, then skip bytes, repeated until the object ends.
// Object sizes in NativeAOT count an 8-byte header that sits before the MethodTable pointer (BaseSize includes it),
// so an object whose MethodTable is at obj ends at obj + size - 8. This heap stores no header word, which costs
// 8 bytes per object and keeps the arithmetic the same as the format's.
namespace Internal.Runtime
{
    public static unsafe class GCDesc
    {
        /// <summary>Bytes an object occupies by its type: BaseSize, plus length * ComponentSize for arrays and strings.</summary>
        public static nuint ObjectSize(byte* obj, MethodTable* mt)
        {
            nuint size = mt->BaseSize;
            if (mt->HasComponentSize)
                size += (nuint)(uint)*(int*)(obj + sizeof(nint)) * mt->ComponentSize;
            return size;
        }

        public static nint SeriesCount(MethodTable* mt) => ((nint*)mt)[-1];

        /// <summary>Series <paramref name="index"/> (0 = the highest in memory) of a type with a positive count.</summary>
        public static void Series(MethodTable* mt, int index, out nint size, out nint offset)
        {
            nint* series = (nint*)mt - 3 - 2 * index;
            size = series[0];
            offset = series[1];
        }

        /// <summary>Offset of the first element of a repeating (struct array) descriptor.</summary>
        public static nint RepeatStart(MethodTable* mt) => ((nint*)mt)[-2];

        /// <summary>Pair <paramref name="index"/> of a repeating descriptor: references, then bytes to skip.</summary>
        public static void RepeatItem(MethodTable* mt, int index, out uint references, out uint skip)
        {
            uint* item = (uint*)((nint*)mt - 3) - 2 * index;
            references = item[0];
            skip = item[1];
        }
    }
}
