// Allocator.cs -- the allocation entry points ILC-generated code calls (RhpNew*), backed by the size-class heap.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static unsafe class Allocator
    {
        // A struct in a non-GC static: it exists before the first `new`, which is what lets `new` work at all.
        private static SizeClassHeap s_heap;
        private static HeapBlockMap s_blockMap;
        private static bool s_ready;
        // The kernel's answer to "which heap does this `new` come from?" (the allocating world's group's heap); null
        // until installed, and never asked with interrupts off: see SelectHeap.
        private static delegate*<SizeClassHeap*> s_heapSelector;

        /// <summary>
        /// Connects the kernel heap to the page allocator. Until this runs, `new` fails fast. The block map covers
        /// [<paramref name="mapBase"/>, mapBase + <paramref name="mapCoversBytes"/>) with <paramref name="mapStorage"/> (HeapBlockMap.StorageBytes of it,
        /// from the caller: the heap cannot allocate its own index; zeroed when the runs are): every heap block must
        /// lie inside it.
        /// </summary>
        public static void Initialize(delegate*<SizeClassHeap*, nuint, void*> allocRun, delegate*<SizeClassHeap*, void*, nuint, void> freeRun, bool runsAreZeroed, void* mapStorage, nuint mapBase, nuint mapCoversBytes, bool poisonFreed = false)
        {
            s_blockMap.Initialize(mapBase, mapCoversBytes, mapStorage, storageIsZeroed: runsAreZeroed);
            s_heap.Initialize(allocRun, freeRun, null, runsAreZeroed, poisonFreed, BlockMap);
            GarbageCollector.RegisterHeap(KernelHeap);
            s_ready = true;
        }

        /// <summary>Where every heap records its blocks (give it to heaps created later, e.g. worlds').</summary>
        public static HeapBlockMap* BlockMap => (HeapBlockMap*)Unsafe.AsPointer(ref s_blockMap);

        /// <summary>The kernel's own heap.</summary>
        public static ref SizeClassHeap Heap => ref s_heap;

        public static SizeClassHeap* KernelHeap => (SizeClassHeap*)Unsafe.AsPointer(ref s_heap);

        /// <summary>
        /// Installs the kernel's heap selector: called for each `new` made with interrupts on, it returns the heap
        /// the object comes from (a collected heap, charged to the allocating world's resource group), or null for
        /// the kernel heap.
        /// </summary>
        public static void SetHeapSelector(delegate*<SizeClassHeap*> selector) => s_heapSelector = selector;

        // Interrupt handlers and code with interrupts off allocate for the kernel: they run on whichever world's
        // time they interrupted, which must not be charged for them (and the selector could not be asked safely).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static SizeClassHeap* SelectHeap(ulong callerFlags)
        {
            if ((callerFlags & InterruptFlag) == 0 || s_heapSelector == null)
                return KernelHeap;
            SizeClassHeap* heap = s_heapSelector();
            return heap == null ? KernelHeap : heap;
        }

        private const ulong InterruptFlag = 1UL << 9;

        // The heaps' lists are shared by every world, every CPU and interrupt handlers (which allocate too): each
        // heap operation holds the heap lock (interrupts off on this CPU, re-entrant: the page source may log or
        // allocate), so no one sees a half-updated free list. One lock for every heap and the block map, because a
        // free finds its heap through the shared block map.
        private static KernelLock s_heapLock;

        /// <summary>Takes the heap lock (for code outside that touches a SizeClassHeap directly); pair with UnlockHeaps.</summary>
        public static ulong LockHeaps() => s_heapLock.Enter(LockRank.Heap);

        public static void UnlockHeaps(ulong flags) => s_heapLock.Exit(flags);

        public static ulong HeapLockAcquisitions => s_heapLock.Acquisitions;
        public static ulong HeapLockContended => s_heapLock.Contended;

        /// <summary>Bytes handed out by `new` since boot (size classes and large runs as charged).</summary>
        public static ulong TotalAllocatedBytes
        {
            // Not inlined: the JIT treats allocation helpers as leaving statics alone, so a loop that allocates and
            // reads an inlined counter could read it once, before the loop.
            [MethodImpl(MethodImplOptions.NoInlining)]
            get => s_totalAllocatedBytes;
        }

        private static ulong s_totalAllocatedBytes;

        // Allocates an object and writes its MethodTable (and an array's length) before interrupts come back on: a
        // collection, which can start in any world or interrupt handler, then never finds an allocated slot without
        // a type. The allocation budget is checked first; a heap that cannot serve the request (its group at its
        // limit, or no pages) gets one collection and one more try. Then the request fails: with
        // OutOfMemoryException when the kernel's policy says this caller can fail (a command, a helper's job, a user
        // world), otherwise it is served from the kernel heap (host/system, which keeps a reserve for exactly this)
        // and only if that fails too does the kernel stop ("kernel heap exhausted": boot, interrupt handlers,
        // critical sections).
        private static void* AllocateObject(MethodTable* pMT, nuint bytes, int length)
        {
            if (!s_ready)
                RuntimeEnv.FailFast("allocation before the heap exists");
            if (GarbageCollector.ShouldCollect(out CollectionReason reason))
                GarbageCollector.Collect(reason);
            void* p = TryAllocateObject(null, pMT, bytes, length);
            if (p == null && GarbageCollector.Collect(CollectionReason.Exhausted))
                p = TryAllocateObject(null, pMT, bytes, length);
            if (p == null)
            {
                if (RequestMayFail(ReadFlags()))
                {
                    ReportRefusal();
                    ThrowOutOfMemory();
                }
                p = TryAllocateObject(KernelHeap, pMT, bytes, length);
                if (p == null)
                    RuntimeEnv.FailFast("kernel heap exhausted");
            }
            return p;
        }

        // The kernel's answer to "may this allocation fail instead of stopping the kernel?", given the caller's
        // RFLAGS (interrupts off = an interrupt handler or a critical section, which cannot unwind safely).
        private static delegate*<ulong, bool> s_failurePolicy;
        // Allocations that must not fail however the policy answers: the exception object being thrown for a failed
        // one (otherwise the throw itself would fail).
        private static int s_criticalDepth;
        // The caller's RFLAGS of the allocation being served, for the page source (which runs with interrupts off).
        private static ulong s_callerFlags;

        /// <summary>
        /// Installs the kernel's failure policy: called (only on the slow path, when the heap needs pages) with the
        /// allocating code's RFLAGS; true means the request may fail with <see cref="OutOfMemoryException"/>, and the
        /// page source keeps the kernel's reserve from it (<see cref="CurrentRequestMayFail"/>).
        /// </summary>
        public static void SetFailurePolicy(delegate*<ulong, bool> policy) => s_failurePolicy = policy;

        /// <summary>For the page source: whether the allocation now being served may fail (and so must leave the
        /// kernel's reserve alone). False for every allocation before a policy is installed.</summary>
        public static bool CurrentRequestMayFail => RequestMayFail(s_callerFlags);

        private static bool RequestMayFail(ulong callerFlags)
            => s_failurePolicy != null && s_criticalDepth == 0 && s_failurePolicy(callerFlags);

        // The kernel's reaction to a refused request before it fails (its memory policy: log the admission failure,
        // pick a victim). It may end the current world (the victim can be the requester), so it must not leave any
        // state of this file changed behind it; it keeps its own allocations off the refused heap itself.
        private static delegate*<void> s_refusalHandler;

        /// <summary>Installs what runs when a request that may fail is refused, just before it throws.</summary>
        public static void SetRefusalHandler(delegate*<void> handler) => s_refusalHandler = handler;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ReportRefusal()
        {
            if (s_refusalHandler != null)
                s_refusalHandler();
        }

        /// <summary>Failed requests thrown as OutOfMemoryException since boot.</summary>
        public static ulong FailedRequests { get; private set; }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowOutOfMemory()
        {
            FailedRequests++;
            s_criticalDepth++;
            var e = new OutOfMemoryException();
            s_criticalDepth--;
            throw e;
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_read_rflags")]
        private static extern ulong ReadFlags();

        // From `heap`, or (null) from the heap the kernel selects for the caller.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void* TryAllocateObject(SizeClassHeap* heap, MethodTable* pMT, nuint bytes, int length)
        {
            ulong flags = LockHeaps();
            s_callerFlags = flags;
            if (heap == null)
                heap = SelectHeap(flags);
            ulong before = heap->BytesInUse;
            void* p = heap->Allocate(bytes);
            if (p != null)
            {
                *(MethodTable**)p = pMT;
                if (pMT->HasComponentSize)
                    *(int*)((byte*)p + sizeof(IntPtr)) = length;
                ulong taken = heap->BytesInUse - before;
                s_totalAllocatedBytes += taken;
                GarbageCollector.OnAllocated(taken);
            }
            UnlockHeaps(flags);
            return p;
        }

        /// <summary>
        /// Gives an object's memory back at once, before the collector would. Only for an object nothing else
        /// references (the caller's promise); freeing twice fails fast.
        /// </summary>
        public static void Free(object obj)
        {
            if (obj is null)
                return;
            object o = obj;
            void* p = *(void**)Unsafe.AsPointer(ref o);
            ulong flags = LockHeaps();
            SizeClassHeap.FreeResult result = SizeClassHeap.FreeAnywhere(p, out SizeClassHeap* heap, out ulong returned);
            if (result == SizeClassHeap.FreeResult.Freed && heap->IsCollected)
                GarbageCollector.OnFreed(returned);
            UnlockHeaps(flags);
            if (result == SizeClassHeap.FreeResult.DoubleFree)
                RuntimeEnv.FailFast("heap: double free");
            // Frozen objects (string literals, preinitialized arrays) live in the image, not the heap: ignore them.
        }

        internal static string NewString(int length)
        {
            MethodTable* pMT = "".GetMethodTable();
            void* p = RhpNewArray(pMT, length);
            return Unsafe.As<IntPtr, string>(ref *(IntPtr*)&p);
        }

        internal static object NewObject(MethodTable* pMT)
        {
            void* p = RhpNewFast(pMT);
            return Unsafe.As<IntPtr, object>(ref *(IntPtr*)&p);
        }

        [RuntimeExport("RhpNewFast")]
        private static void* RhpNewFast(MethodTable* pMT) => AllocateObject(pMT, pMT->BaseSize, 0);

        [RuntimeExport("RhpNewFinalizable")]
        private static void* RhpNewFinalizable(MethodTable* pMT) => RhpNewFast(pMT);

        [RuntimeExport("RhpNewArray")]
        private static void* RhpNewArray(MethodTable* pMT, int numElements)
        {
            if (numElements < 0)
                RuntimeEnv.FailFast("OverflowException: negative array size");
            nuint size = pMT->BaseSize + (nuint)numElements * pMT->ComponentSize;
            size = (size + 7) & ~(nuint)7;
            return AllocateObject(pMT, size, numElements);
        }

        [RuntimeExport("RhpNewArrayFast")]
        private static void* RhpNewArrayFast(MethodTable* pMT, int numElements) => RhpNewArray(pMT, numElements);

        [RuntimeExport("RhpNewPtrArrayFast")]
        private static void* RhpNewPtrArrayFast(MethodTable* pMT, int numElements) => RhpNewArray(pMT, numElements);

        [RuntimeExport("RhNewObject")]
        private static void* RhNewObject(MethodTable* pMT) => RhpNewFast(pMT);

        [RuntimeExport("RhNewArray")]
        private static void* RhNewArray(MethodTable* pMT, int numElements) => RhpNewArray(pMT, numElements);

        // Write barriers: no generational or concurrent collector (the world stops for a whole collection), so a
        // store is just a store.
        [RuntimeExport("RhpAssignRef")]
        private static void RhpAssignRef(void** dst, void* r) => *dst = r;

        [RuntimeExport("RhpCheckedAssignRef")]
        private static void RhpCheckedAssignRef(void** dst, void* r) => *dst = r;

        // Reverse p/invoke and p/invoke transitions: nothing to do, the collector needs no safe points (it stops the
        // world with interrupts off and scans every stack conservatively).
        [RuntimeExport("RhpReversePInvoke")]
        private static void RhpReversePInvoke(IntPtr frame) { }
        [RuntimeExport("RhpReversePInvokeReturn")]
        private static void RhpReversePInvokeReturn(IntPtr frame) { }
        [RuntimeExport("RhpPInvoke")]
        private static void RhpPInvoke(IntPtr frame) { }
        [RuntimeExport("RhpPInvokeReturn")]
        private static void RhpPInvokeReturn(IntPtr frame) { }
        [RuntimeExport("RhpGcPoll")]
        private static void RhpGcPoll() { }
    }
}
