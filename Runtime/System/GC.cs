// GC.cs -- System.GC with the BCL's names, over the kernel's collector (Internal.Runtime.GarbageCollector): one
// generation, so every collection is a full one and generation arguments are accepted and ignored.
using Internal.Runtime;

namespace System
{
    public static class GC
    {
        public static int MaxGeneration => 0;

        /// <summary>A full, blocking collection (when the kernel has enabled collections; otherwise nothing).</summary>
        public static void Collect() => GarbageCollector.Collect(CollectionReason.Requested);

        public static void Collect(int generation) => Collect();

        public static int CollectionCount(int generation) => (int)GarbageCollector.Collections;

        /// <summary>Bytes in use on the collected heaps (the kernel's and every group's), after a full collection when asked.</summary>
        public static unsafe long GetTotalMemory(bool forceFullCollection)
        {
            if (forceFullCollection)
                Collect();
            return (long)GarbageCollector.BytesInUse;
        }

        public static unsafe long GetTotalAllocatedBytes(bool precise = false) => (long)Allocator.TotalAllocatedBytes;

        /// <summary>Keeps <paramref name="obj"/> reachable up to this call (the JIT cannot drop it earlier).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void KeepAlive(object obj) { }

        /// <summary>No budget or stress collection until EndNoGCRegion (an exhausted heap still collects).</summary>
        public static bool TryStartNoGCRegion(long totalSize)
        {
            GarbageCollector.SuspendTriggers();
            return true;
        }

        public static void EndNoGCRegion() => GarbageCollector.ResumeTriggers();
    }
}
