// GarbageCollector.cs -- the kernel's collector: mark and sweep, stop-the-world, non-moving, over the size-class heap.
//
// A collection, in order (interrupts off throughout; see StopTheWorld):
//   1. k_gc_spill_and_call pushes the callee-saved registers of the collecting code onto its stack, in the same
//      layout k_switch_world leaves on a switched-out world's stack, and calls in with that stack pointer.
//   2. Stacks: the kernel's reporter (SetStackReporter) names every world's stack range, the current one from the
//      spilled registers up; each range goes to the stack scanner: PreciseStackScanner (managed frames by their GC
//      info, the rest word by word) once the kernel installs it with SetStackScanner, else every word
//      conservatively. A range's lowest words are always r15, r14, r13, r12, rbx, rbp and a return address.
//   3. Statics: every GC static base ILC's GCStaticRegion lists (precise: each is the object holding a type's
//      reference statics). Frozen objects (string literals, preinitialized data in the image) are never freed, but
//      their fields can be changed to point at heap objects: the frozen region is walked object by object and the
//      references of those that have any are traced (Marker.ScanFrozen; word by word should the layout surprise).
//   4. Handles (HandleTable, System.Runtime.InteropServices.GCHandle): strong handles live in a static array, so
//      step 3 covers them; weak ones are cleared here when their target was not marked.
//   5. Tracing (Marker), then Sweep of every registered heap: unmarked objects are freed, empty slabs and dead
//      large runs go back to the page allocator.
// Nothing here allocates: the mark stack is memory the kernel hands over once at boot (SetMarkStack; a small static
// one until then), the tables are fixed-size statics.
//
// Triggers: the allocator asks ShouldCollect before each allocation (bytes in use past a budget proportional to the
// live heap after the last collection, with a floor; or every N-th allocation in stress mode) and collects once
// more before reporting exhaustion. Collections need the kernel's stack reporter (installed with the scheduler);
// before that, allocation never collects.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static unsafe class GarbageCollector
    {
        // The kernel heap, one heap per resource group that allocates (Kernel/Core/Memory/GroupHeaps.cs) and spares.
        public const int MaxHeaps = 72;
        private const int MaxRegions = 8;
        private const int FallbackMarkStackCapacity = 256; // until SetMarkStack; overflow costs passes, not memory

        /// <summary>The smallest allocation budget between two collections (bytes in use may grow by this much).</summary>
        public const ulong MinimumBudgetBytes = 8UL << 20;

        private struct PointerTable
        {
            public fixed ulong Items[MaxHeaps];
        }

        private struct RegionTable
        {
            public fixed ulong Starts[MaxRegions];
            public fixed ulong Ends[MaxRegions];
        }

        private struct MarkStackStorage
        {
            public fixed ulong Slots[FallbackMarkStackCapacity];
        }

        private static PointerTable s_heaps;
        private static int s_heapCount;
        private static RegionTable s_staticRegions;
        private static int s_staticRegionCount;
        private static RegionTable s_frozenRegions;
        private static int s_frozenRegionCount;
        private static MarkStackStorage s_fallbackMarkStack;
        private static nuint* s_markStack;
        private static int s_markStackCapacity;
        private static Marker s_marker;

        private static delegate*<nuint, bool> s_stackReporter;
        private static delegate*<nuint, nuint, void> s_stackScanner;
        private static bool s_collecting;
        private static int s_noCollectionDepth;

        private static ulong s_budgetPercent = 100;
        private static ulong s_threshold = MinimumBudgetBytes;
        // What the allocator compares bytes in use with: the threshold; 0 in stress mode (every allocation asks);
        // ulong.MaxValue while no collection may start. Kept up to date by UpdateTrigger, so the allocation fast
        // path is one compare.
        private static ulong s_trigger = ulong.MaxValue;
        private static ulong s_stressInterval;
        private static ulong s_stressCounter;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_rdtsc")]
        private static extern ulong ReadTimestampCounter();

        // Pushes rbp, rbx, r12-r15 and calls fn(stack pointer at the pushed registers); returns fn's result.
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_gc_spill_and_call")]
        private static extern int SpillRegistersAndCall(delegate*<nuint, int> fn);

        // ---- Set-up (the runtime's module initializer and the kernel call these) -----------------------------------

        /// <summary>Adds a heap whose objects the collector marks and sweeps (the kernel heap, the groups' heaps;
        /// fixed-size table: false when it is full). Called with no collection under way (interrupts off).</summary>
        public static bool RegisterHeap(SizeClassHeap* heap)
        {
            if (s_heapCount == MaxHeaps)
                return false;
            heap->SetCollected(true);
            s_heaps.Items[s_heapCount++] = (ulong)heap;
            s_bytesInUse += heap->BytesInUse;
            return true;
        }

        /// <summary>Takes a heap out of the collector's table (its owner gives it up: it must hold no objects).</summary>
        public static bool UnregisterHeap(SizeClassHeap* heap)
        {
            for (int h = 0; h < s_heapCount; h++)
            {
                if (Heap(h) != heap)
                    continue;
                s_heaps.Items[h] = s_heaps.Items[--s_heapCount];
                s_bytesInUse -= heap->BytesInUse;
                return true;
            }
            return false;
        }

        public static int HeapCount => s_heapCount;

        // Bytes in use on every collected heap together, which is what the budget compares: the allocator adds what
        // it hands out and subtracts what is freed explicitly; each collection recounts it exactly.
        private static ulong s_bytesInUse;

        /// <summary>Bytes in use on all collected heaps (the kernel's and the groups').</summary>
        public static ulong BytesInUse => s_bytesInUse;

        internal static void OnAllocated(ulong bytes) => s_bytesInUse += bytes;

        internal static void OnFreed(ulong bytes) => s_bytesInUse = bytes > s_bytesInUse ? 0 : s_bytesInUse - bytes;

        /// <summary>A module's GCStaticRegion: int32 relative pointers to the slots holding its GC static bases.</summary>
        internal static void AddStaticRegion(byte* start, byte* end) => AddRegion(ref s_staticRegions, ref s_staticRegionCount, start, end);

        /// <summary>A module's frozen object region (objects in the image that may point into the heap).</summary>
        internal static void AddFrozenRegion(byte* start, byte* end) => AddRegion(ref s_frozenRegions, ref s_frozenRegionCount, start, end);

        private static void AddRegion(ref RegionTable table, ref int count, byte* start, byte* end)
        {
            if (count == MaxRegions || end <= start)
                return;
            table.Starts[count] = (ulong)start;
            table.Ends[count] = (ulong)end;
            count++;
        }

        /// <summary>The mark stack: <paramref name="capacity"/> words at <paramref name="storage"/>, which stay the
        /// collector's (the kernel takes pages for it at boot, so a collection never has to find memory).</summary>
        public static void SetMarkStack(void* storage, int capacity)
        {
            s_markStack = (nuint*)storage;
            s_markStackCapacity = capacity;
        }

        public static int MarkStackCapacity => s_markStack != null ? s_markStackCapacity : FallbackMarkStackCapacity;

        public static int StaticRegionCount => s_staticRegionCount;

        /// <summary>GCHandles allocated (the handle table's roots).</summary>
        public static int HandlesInUse => HandleTable.InUse;
        public static int FrozenRegionCount => s_frozenRegionCount;

        /// <summary>
        /// Installs the kernel's stack reporter and with it enables collections. During a collection it is called
        /// with the collecting code's stack pointer (its callee-saved registers are the lowest words there) and must
        /// call <see cref="ScanStack"/> once per stack that can hold references: every world's, the current one from
        /// that pointer up. It returns false, before reporting anything, when the pointer is on no stack it knows
        /// (an interrupt stack of its own); that collection is then skipped.
        /// </summary>
        public static void SetStackReporter(delegate*<nuint, bool> reporter)
        {
            s_stackReporter = reporter;
            UpdateTrigger();
        }

        /// <summary>Replaces the conservative stack scanner (PreciseStackScanner.Scan; null: conservative again). It
        /// gets [low, high) of one stack, with the switched-out register layout at low (see the file comment).</summary>
        public static void SetStackScanner(delegate*<nuint, nuint, void> scanner) => s_stackScanner = scanner;

        public static bool IsEnabled => s_stackReporter != null;

        /// <summary>Collect every <paramref name="interval"/>-th allocation (0: never); a debugging aid (kernel option gcstress).</summary>
        public static void SetStressInterval(ulong interval)
        {
            s_stressInterval = interval;
            UpdateTrigger();
        }

        public static ulong StressInterval => s_stressInterval;

        /// <summary>
        /// Check mode (kernel option gcverify): after every sweep, every reference field of every live object must
        /// point at a live object (or outside the heap); a dangling one ends in the panic screen naming both
        /// addresses. The kernel also poisons freed objects in this mode, so code still using a wrongly freed object
        /// reads 0xDD bytes and faults instead of working on by chance.
        /// </summary>
        public static bool VerifyAfterCollection { get; set; }

        public static ulong VerifiedCollections { get; private set; }

        /// <summary>How far bytes in use may grow past the live heap before the next collection, in percent of it.</summary>
        public static ulong BudgetPercent
        {
            get => s_budgetPercent;
            set => s_budgetPercent = value;
        }

        // ---- Statistics ------------------------------------------------------------------------------------------

        public static ulong Collections { get; private set; }
        public static ulong SkippedCollections { get; private set; }
        public static ulong TotalPauseCycles { get; private set; }
        public static CollectionInfo Last;

        /// <summary>Bytes in use at which the next allocation collects.</summary>
        public static ulong Threshold => s_threshold;

        // ---- Triggers ----------------------------------------------------------------------------------------------

        /// <summary>The allocator's question before each allocation (every allocation is from a collected heap).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool ShouldCollect(out CollectionReason reason)
        {
            reason = CollectionReason.Budget;
            return s_bytesInUse >= s_trigger && ShouldCollectSlow(out reason);
        }

        private static bool ShouldCollectSlow(out CollectionReason reason)
        {
            reason = CollectionReason.Budget;
            if (s_stackReporter == null || s_collecting || s_noCollectionDepth > 0)
                return false;
            if (s_stressInterval != 0)
            {
                if (++s_stressCounter < s_stressInterval)
                    return s_bytesInUse >= s_threshold;
                s_stressCounter = 0;
                reason = CollectionReason.Stress;
                return true;
            }
            return s_bytesInUse >= s_threshold;
        }

        private static void UpdateTrigger()
            => s_trigger = s_stackReporter == null || s_collecting || s_noCollectionDepth > 0 ? ulong.MaxValue
                : s_stressInterval != 0 ? 0
                : s_threshold;

        /// <summary>Holds off budget and stress collections (nestable): for code that counts objects. An exhausted
        /// heap still collects.</summary>
        public static void SuspendTriggers()
        {
            s_noCollectionDepth++;
            UpdateTrigger();
        }

        public static void ResumeTriggers()
        {
            if (s_noCollectionDepth > 0)
                s_noCollectionDepth--;
            UpdateTrigger();
        }

        public static bool TriggersSuspended => s_noCollectionDepth > 0;

        // ---- Collection --------------------------------------------------------------------------------------------

        /// <summary>
        /// Runs a full collection now. False when none could run: no stack reporter yet, already collecting (an
        /// allocation from inside the collector would be a bug), or the current stack is not a world's.
        /// </summary>
        public static bool Collect(CollectionReason reason)
        {
            ulong flags = StopTheWorld();
            bool collected = false;
            if (s_stackReporter != null && !s_collecting)
            {
                s_collecting = true;
                UpdateTrigger();
                s_reason = reason;
                collected = SpillRegistersAndCall(&CollectFrom) != 0;
                s_collecting = false;
                UpdateTrigger();
                if (!collected)
                    SkippedCollections++;
            }
            ResumeTheWorld(flags);
            return collected;
        }

        // Stopping the world: the heap lock first (interrupts off on this CPU, no other CPU inside a heap operation,
        // and a second collector waits here), then every other CPU that runs worlds is parked with its registers
        // spilled where the stack scanner finds them (WorldStop: stop IPI, or the poll in a lock's spin).
        private static ulong StopTheWorld()
        {
            ulong flags = Allocator.LockHeaps();
            WorldStop.StopOthers();
            return flags;
        }

        private static void ResumeTheWorld(ulong flags)
        {
            WorldStop.ResumeOthers();
            Allocator.UnlockHeaps(flags);
        }

        private static CollectionReason s_reason;

        private static int CollectFrom(nuint stackPointer)
        {
            ulong start = ReadTimestampCounter();
            CollectionInfo info = default;
            info.Reason = s_reason;
            for (int h = 0; h < s_heapCount; h++)
            {
                SizeClassHeap* heap = Heap(h);
                info.LiveObjectsBefore += heap->LiveObjects;
                info.LiveBytesBefore += heap->BytesInUse;
            }

            if (s_markStack != null)
                s_marker.Initialize(Allocator.BlockMap, s_markStack, s_markStackCapacity);
            else
                s_marker.Initialize(Allocator.BlockMap, (nuint*)Unsafe.AsPointer(ref s_fallbackMarkStack), FallbackMarkStackCapacity);
            PreciseStackScanner.ResetStatistics();
            if (!s_stackReporter(stackPointer))
                return 0;
            ulong stackWords = s_marker.ConservativeWords;
            info.PreciseFrames = PreciseStackScanner.PreciseFrames;
            info.ConservativeFrames = PreciseStackScanner.ConservativeFrames;
            info.PreciseSlots = PreciseStackScanner.PreciseSlots;
            MarkStatics();
            for (int i = 0; i < s_frozenRegionCount; i++)
                s_marker.ScanFrozen((nuint)s_frozenRegions.Starts[i], (nuint)s_frozenRegions.Ends[i]);
            s_marker.Complete((SizeClassHeap**)Unsafe.AsPointer(ref s_heaps), s_heapCount);
            info.MarkedObjects = s_marker.MarkedObjects;
            info.StackWords = stackWords;
            info.ConservativeWords = s_marker.ConservativeWords;
            info.FrozenObjects = s_marker.FrozenObjects;
            info.FrozenFallbacks = s_marker.FrozenFallbacks;
            ulong marked = ReadTimestampCounter();

            HandleTable.ClearUnmarkedWeakTargets(Allocator.BlockMap);
            for (int h = 0; h < s_heapCount; h++)
            {
                SizeClassHeap* heap = Heap(h);
                info.FreedObjects += heap->Sweep(out ulong freedBytes);
                info.FreedBytes += freedBytes;
                info.LiveObjectsAfter += heap->LiveObjects;
                info.LiveBytesAfter += heap->BytesInUse;
            }
            s_bytesInUse = info.LiveBytesAfter;
            ulong end = ReadTimestampCounter();
            if (VerifyAfterCollection)
                VerifyHeaps();
            info.MarkCycles = marked - start;
            info.PauseCycles = end - start;

            ulong budget = info.LiveBytesAfter / 100 * s_budgetPercent;
            s_threshold = info.LiveBytesAfter + (budget > MinimumBudgetBytes ? budget : MinimumBudgetBytes);
            Collections++;
            TotalPauseCycles += info.PauseCycles;
            info.Number = Collections;
            Last = info;
            return 1;
        }

        private static SizeClassHeap* Heap(int index) => (SizeClassHeap*)s_heaps.Items[index];

        private static void VerifyHeaps()
        {
            s_marker.Verify((SizeClassHeap**)Unsafe.AsPointer(ref s_heaps), s_heapCount);
            VerifiedCollections++;
            if (s_marker.DanglingReferences != 0)
                RuntimeEnv.FailFast(string.Concat("gcverify: a live object at 0x", Hex(s_marker.FirstDanglingFrom),
                    " refers to 0x", Hex(s_marker.FirstDanglingTo), ", which is not a live object (",
                    s_marker.DanglingReferences.ToString(), " such references)"));
        }

        private static string Hex(nuint value) => ((ulong)value).ToString("x");

        // Each GCStaticRegion entry is an int32 relative pointer to a slot; an initialized slot holds the address
        // of the object with that type's reference statics. The value goes through the same resolution as any root,
        // so a slot still in its compile-time form (a relative pointer with flag bits) is ignored, not followed.
        private static void MarkStatics()
        {
            for (int r = 0; r < s_staticRegionCount; r++)
            {
                byte* end = (byte*)s_staticRegions.Ends[r];
                for (byte* entry = (byte*)s_staticRegions.Starts[r]; entry < end; entry += 4)
                {
                    byte* slot = entry + *(int*)entry;
                    s_marker.Mark(*(nuint*)slot);
                }
            }
        }

        /// <summary>Called by the stack reporter for each stack: [low, high) holds words that may be references.</summary>
        public static void ScanStack(nuint low, nuint high)
        {
            if (low >= high)
                return;
            if (s_stackScanner != null)
                s_stackScanner(low, high);
            else
                s_marker.ScanConservatively(low, high);
        }

        /// <summary>For a replacement stack scanner: marks the object a word points into (interior pointers included).</summary>
        public static void MarkFromStack(nuint word) => s_marker.Mark(word);

        /// <summary>For a replacement stack scanner: every aligned word of [low, high) as a possible pointer.</summary>
        public static void ScanStackConservatively(nuint low, nuint high) => s_marker.ScanConservatively(low, high);

        /// <summary>True while a scanner other than the conservative one is installed.</summary>
        public static bool HasStackScanner => s_stackScanner != null;

        /// <summary>True when the object is not marked in the collection under way (weak-handle processing, tests).</summary>
        internal static bool WillBeFreed(void* obj) => SizeClassHeap.IsCollectableAndUnmarked(Allocator.BlockMap, obj);
    }

    public enum CollectionReason
    {
        Budget,       // bytes in use passed the threshold
        Exhausted,    // an allocation failed: one more try after collecting
        Requested,    // GC.Collect, the `gc` command
        Stress,       // every N-th allocation (gcstress)
        GroupLimit,   // a resource group at its limit, before the failure path
    }

    /// <summary>What one collection did (GarbageCollector.Last).</summary>
    public struct CollectionInfo
    {
        public ulong Number;
        public CollectionReason Reason;
        public ulong LiveObjectsBefore, LiveBytesBefore;
        public ulong LiveObjectsAfter, LiveBytesAfter;
        public ulong FreedObjects, FreedBytes;
        public ulong MarkedObjects;
        public ulong StackWords, ConservativeWords;          // stack words scanned conservatively; all conservative words
        public ulong PreciseFrames, ConservativeFrames, PreciseSlots;   // the precise stack scanner's frames (0 without it)
        public ulong FrozenObjects, FrozenFallbacks;   // frozen objects walked; regions scanned conservatively instead
        public ulong MarkCycles, PauseCycles;
    }
}
