// KernelHeap.cs -- connects the core library's size-class heaps (behind `new`) to the physical page allocator,
// charging every page run to the resource group of the heap's owner (the kernel's own heap: host/system).
using Internal.Runtime;
using Kernel.Resources;

namespace Kernel.Memory
{
    public static unsafe class KernelHeap
    {
        private static delegate*<SizeClassHeap*, long, bool> s_charge;
        private static delegate*<SizeClassHeap*, long, void> s_uncharge;

        // PhysicalMemory.AllocatePages zeroes every page it hands out, so the heap need not zero fresh memory again.
        // The collector frees the kernel heap's objects; they are poisoned (0xDD) only in its check mode (gcverify,
        // ApplyCollectorOptions). World heaps hold raw blocks freed by hand: theirs are always poisoned, so a use
        // after free reads garbage, not data. The heap's block map covers all of RAM (every page the heap can get): 4 bytes per 16 KiB, taken here
        // from the page allocator because the heap cannot allocate its own index; so is the collector's mark stack
        // (a collection never looks for memory). Null: no room for them. Runs are direct-map addresses of the pages
        // the page allocator hands out, so the map covers RAM as the direct map shows it.
        public static string Initialize()
        {
            ulong covered = PhysicalMemory.TotalPages * PhysicalMemory.PageSize;
            ulong mapBytes = (ulong)HeapBlockMap.StorageBytes((nuint)covered);
            ulong map = PhysicalMemory.AllocatePages((mapBytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize);
            ulong markStack = PhysicalMemory.AllocatePages(MarkStackPages);
            if (map == 0 || markStack == 0)
                return "no memory for the heap's block map and the collector's mark stack";
            Allocator.Initialize(&AllocateRun, &FreeRun, runsAreZeroed: true, DirectMap.Pointer(map), unchecked((nuint)DirectMap.Base), (nuint)covered, poisonFreed: false);
            GarbageCollector.SetMarkStack(DirectMap.Pointer(markStack), (int)(MarkStackPages * PhysicalMemory.PageSize / sizeof(ulong)));
            return null;
        }

        /// <summary>128 KiB: 16,384 objects waiting to be traced; deeper graphs overflow into extra passes.</summary>
        private const ulong MarkStackPages = 32;

        /// <summary>The collector's debugging options: `gcverify` (poison freed objects and verify every live
        /// reference after each collection), `gcstress=N` (collect every N-th allocation) and `gcscan` (precise stack
        /// scanning from the GC info, the default, or `conservative`: every stack word, for diagnosis).</summary>
        public static void ApplyCollectorOptions(bool verify, ulong stressInterval, bool preciseStacks)
        {
            GarbageCollector.SetStackScanner(preciseStacks ? &PreciseStackScanner.Scan : null);
            Allocator.Heap.PoisonFreed = verify;
            GarbageCollector.VerifyAfterCollection = verify;
            GarbageCollector.SetStressInterval(stressInterval);
        }

        /// <summary>Sets up a heap for an owner (a world) that shares the kernel's page source, charging and block
        /// map. It holds raw blocks, not objects: the collector never sweeps it.</summary>
        public static void InitializeHeap(SizeClassHeap* heap, void* owner)
            => heap->Initialize(&AllocateRun, &FreeRun, owner, runsAreZeroed: true, poisonFreed: true, map: Allocator.BlockMap);

        /// <summary>Sets up a collected heap for an owner (a resource group: GroupHeaps) with the kernel's page source,
        /// charging and block map; the caller registers it with the collector.</summary>
        public static void InitializeCollectedHeap(SizeClassHeap* heap, void* owner)
            => heap->Initialize(&AllocateRun, &FreeRun, owner, runsAreZeroed: true, poisonFreed: Allocator.Heap.PoisonFreed, map: Allocator.BlockMap);

        /// <summary>Installs the memory accounting (once resource groups exist). A refused charge fails the run.</summary>
        public static void SetAccounting(delegate*<SizeClassHeap*, long, bool> charge, delegate*<SizeClassHeap*, long, void> uncharge)
        {
            s_charge = charge;
            s_uncharge = uncharge;
        }

        /// <summary>
        /// Memory a failable request (AllocationFailurePolicy) must leave to the kernel's critical allocations: free
        /// pages, and room in host/system's charge (Scheduler.ChargeKernelHeap). 1 MiB holds the collector's slabs
        /// for thousands of small objects: the error message, the log line, the next prompt.
        /// </summary>
        public const ulong ReserveBytes = 1UL << 20;

        /// <summary>Whether the `new` now being served (from the kernel heap or a group's) may fail and so must leave
        /// the reserve alone. World heaps of raw blocks are outside this rule.</summary>
        public static bool RequestKeepsReserve(SizeClassHeap* heap) => heap->IsCollected && Allocator.CurrentRequestMayFail;

        private static void* AllocateRun(SizeClassHeap* heap, nuint bytes)
        {
            ulong pages = (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            if (RequestKeepsReserve(heap) && PhysicalMemory.FreePageCount < pages + ReserveBytes / PhysicalMemory.PageSize)
                return null;
            if (s_charge != null && !s_charge(heap, (long)bytes))
                return null;
            void* run = DirectMap.Pointer(PhysicalMemory.AllocatePages(pages, SizeClassHeap.SlabBytes / PhysicalMemory.PageSize));
            if (run == null && s_uncharge != null)
                s_uncharge(heap, (long)bytes);
            return run;
        }

        private static void FreeRun(SizeClassHeap* heap, void* address, nuint bytes)
        {
            PhysicalMemory.FreePages(DirectMap.ToPhysical(address), (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize);
            if (s_uncharge != null)
                s_uncharge(heap, (long)bytes);
        }

        public static ref SizeClassHeap Statistics => ref Allocator.Heap;
    }
}
