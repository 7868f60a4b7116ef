// Buffer.cs -- Buffer and SpanHelpers: the memory copy, fill and compare helpers ILC-generated code calls by name.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System
{
    public static class Buffer
    {
        // ILC: ReadyToRunHelper.BulkWriteBarrier. No generational collector, so no card marking: a plain move.
        internal static void BulkMoveWithWriteBarrier(ref byte destination, ref byte source, nuint byteCount)
            => SpanHelpers.Memmove(ref destination, ref source, byteCount);

        public static unsafe void MemoryCopy(void* source, void* destination, long destinationSizeInBytes, long sourceBytesToCopy)
        {
            if (sourceBytesToCopy > destinationSizeInBytes)
                Internal.Runtime.CompilerHelpers.ThrowHelpers.ThrowArgumentOutOfRangeException();
            SpanHelpers.NativeMemmove(destination, source, (nuint)sourceBytesToCopy);
        }
    }

    internal static unsafe class SpanHelpers
    {
        // The string ops live in the boot stub (rep movsb/stosb): the fastest path on modern CPUs and under TCG.
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_memmove")]
        internal static extern void NativeMemmove(void* destination, void* source, nuint count);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_memset")]
        internal static extern void NativeMemset(void* destination, int value, nuint count);

        // ILC: ReadyToRunHelper.MemCpy
        internal static void Memmove(ref byte dest, ref byte src, nuint len)
            => NativeMemmove(Unsafe.AsPointer(ref dest), Unsafe.AsPointer(ref src), len);

        // ILC: ReadyToRunHelper.MemSet
        internal static void Fill(ref byte dest, byte value, nuint len)
            => NativeMemset(Unsafe.AsPointer(ref dest), value, len);

        // ILC: ReadyToRunHelper.MemZero
        internal static void ClearWithoutReferences(ref byte dest, nuint len)
            => NativeMemset(Unsafe.AsPointer(ref dest), 0, len);

        internal static void CopyElements<T>(ref T destination, ref T source, int count)
            => NativeMemmove(Unsafe.AsPointer(ref destination), Unsafe.AsPointer(ref source), (nuint)count * (nuint)Unsafe.SizeOf<T>());

        internal static bool SequenceEqual(byte* a, byte* b, nuint length)
        {
            nuint i = 0;
            for (; i + 8 <= length; i += 8)
                if (*(ulong*)(a + i) != *(ulong*)(b + i))
                    return false;
            for (; i < length; i++)
                if (a[i] != b[i])
                    return false;
            return true;
        }
    }
}
