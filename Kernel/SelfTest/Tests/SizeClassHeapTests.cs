// SizeClassHeapTests.cs -- in-guest checks that SizeClassHeap.Free reports misuse as a value (double free, foreign
// and interior pointers) instead of corrupting the heap, on a private heap over real physical pages.
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Memory;

namespace Kernel.SelfTest.Tests
{
    internal static unsafe class SizeClassHeapTests
    {
        public static void AddTo(List<SelfTest> tests) => tests.Add(new FreeReportsMisuseTest());

        // A heap of its own (not the kernel's, not charged to any group): Allocator.Free would panic on a double
        // free, so the reporting path is exercised here, one level down.
        private static SizeClassHeap s_heap;

        // Pages the private heap holds, counted here rather than read off the page allocator's free count: the
        // checks record their results on the kernel's own heap, which may take pages from the same allocator.
        private static long s_pagesHeld;

        private static void* AllocateRun(SizeClassHeap* heap, nuint bytes)
        {
            ulong pages = (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            ulong run = PhysicalMemory.AllocatePages(pages, SizeClassHeap.SlabBytes / PhysicalMemory.PageSize);
            if (run != 0)
                s_pagesHeld += (long)pages;
            return DirectMap.Pointer(run);
        }

        private static void FreeRun(SizeClassHeap* heap, void* address, nuint bytes)
        {
            ulong pages = (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            if (PhysicalMemory.FreePages(DirectMap.ToPhysical(address), pages))
                s_pagesHeld -= (long)pages;
        }

        private sealed class FreeReportsMisuseTest : SelfTest
        {
            public override string Name => "memory: heap reports double and foreign frees";

            public override void Run(SelfTestContext t)
            {
                s_pagesHeld = 0;
                SizeClassHeap* heap = (SizeClassHeap*)Unsafe.AsPointer(ref s_heap);
                heap->Initialize(&AllocateRun, &FreeRun);

                byte* keep = (byte*)heap->Allocate(64);
                byte* p = (byte*)heap->Allocate(64);
                byte* large = (byte*)heap->Allocate(10000);
                t.Check(keep != null && p != null && large != null, "allocations succeed");
                t.Check(s_pagesHeld > 0, "the heap took pages for them");
                t.Check(heap->Free(p) == SizeClassHeap.FreeResult.Freed, "first free succeeds");
                ulong live = heap->LiveObjects, bytes = heap->BytesInUse;
                t.Check(heap->Free(p) == SizeClassHeap.FreeResult.DoubleFree, "second free is reported as a double free");
                t.Equal((long)live, (long)heap->LiveObjects, "double free leaves the live count alone");
                t.Equal((long)bytes, (long)heap->BytesInUse, "double free leaves the byte count alone");
                t.Check(heap->Free(keep + 8) == SizeClassHeap.FreeResult.NotHeapPointer, "interior pointer is refused");
                t.Check(heap->Free(large + 16) == SizeClassHeap.FreeResult.NotHeapPointer, "interior pointer of a large block is refused");

                ulong foreign = PhysicalMemory.AllocatePages(SizeClassHeap.SlabBytes / PhysicalMemory.PageSize,
                    SizeClassHeap.SlabBytes / PhysicalMemory.PageSize);
                t.Check(foreign != 0 && heap->Free((byte*)DirectMap.Pointer(foreign) + 256) == SizeClassHeap.FreeResult.NotHeapPointer,
                    "pointer into a zeroed non-heap page is refused");
                if (foreign != 0)
                    PhysicalMemory.FreePages(foreign, SizeClassHeap.SlabBytes / PhysicalMemory.PageSize);

                // The free list survived: two new objects are distinct and neither is the live one.
                byte* a = (byte*)heap->Allocate(64);
                byte* b = (byte*)heap->Allocate(64);
                t.Check(a != b && a != keep && b != keep, "free list intact after the refused frees");
                t.Check(heap->Free(a) == SizeClassHeap.FreeResult.Freed && heap->Free(b) == SizeClassHeap.FreeResult.Freed
                    && heap->Free(keep) == SizeClassHeap.FreeResult.Freed && heap->Free(large) == SizeClassHeap.FreeResult.Freed,
                    "every live object frees once");
                t.Equal(0, (long)heap->LiveObjects, "no live objects left");
                heap->ReleaseAll();
                t.Equal(0, s_pagesHeld, "every page went back");
            }
        }
    }
}
