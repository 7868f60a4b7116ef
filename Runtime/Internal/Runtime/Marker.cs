// Marker.cs -- the collector's mark phase: roots in, every reachable heap object marked, without allocating.
//
// Two ways a word becomes a root: conservatively (a stack word, a frozen object's field: anything that points into a
// live object keeps it, interior pointers included; a word that only looks like a pointer keeps garbage alive but
// never corrupts) and precisely (a reference field of a marked object, found through its type's GCDesc). Both go
// through the block map, so a stale or foreign value is harmless. A conservative word may point anywhere into an
// object and costs a walk back to its block's start; a precise reference is an object start (or a frozen object in
// the image, or null) and takes the shorter MarkReference path.
//
// The mark stack is a fixed array the caller provides. When it is full, the object stays marked but its fields are
// not traced yet: Overflowed is set, and after the stack drains the marker walks every marked object of every heap
// and traces it again (marked children are skipped, so this only finds what the overflow dropped), until one pass
// ends without overflowing. Deep or huge structures cost extra passes, never memory.
namespace Internal.Runtime
{
    public unsafe struct Marker
    {
        private HeapBlockMap* _map;
        private nuint _mapBase, _mapChunks;   // the map's fields, copied: the precise path reads them per reference
        private uint* _mapEntries;
        private nuint* _stack;
        private int _capacity;
        private int _count;

        /// <summary>A push found the stack full since the last recovery pass.</summary>
        public bool Overflowed;

        /// <summary>Objects marked since Initialize.</summary>
        public ulong MarkedObjects;

        /// <summary>References found pointing into a heap block but not at a live object, in verification mode.</summary>
        public ulong DanglingReferences;
        public nuint FirstDanglingFrom, FirstDanglingTo;

        /// <summary>Words looked at conservatively since Initialize (for measurements).</summary>
        public ulong ConservativeWords;

        public void Initialize(HeapBlockMap* map, nuint* stack, int capacity)
        {
            _map = map;
            _mapBase = map->RangeBase;
            _mapChunks = map->Chunks;
            _mapEntries = map->Entries;
            _stack = stack;
            _capacity = capacity;
            _count = 0;
            Overflowed = false;
            MarkedObjects = 0;
            ConservativeWords = 0;
            FrozenObjects = 0;
            FrozenFallbacks = 0;
        }

        /// <summary>Marks the object <paramref name="word"/> points into, if any, and queues it for tracing when it
        /// holds references (a string or a byte[] is marked and done).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public void Mark(nuint word)
        {
            byte* obj = SizeClassHeap.MarkIfUnmarked(_map, word);
            if (obj == null)
                return;
            MarkedObjects++;
            MethodTable* mt = *(MethodTable**)obj;
            if (mt == null || !mt->ContainsGCPointers)
                return;
            if (_count == _capacity)
            {
                Overflowed = true;
                return;
            }
            _stack[_count++] = (nuint)obj;
        }

        /// <summary>Every aligned word in [start, end) as a possible pointer (stacks, saved registers, frozen data).</summary>
        public void ScanConservatively(nuint start, nuint end)
        {
            nuint* p = (nuint*)((start + 7) & ~(nuint)7);
            nuint* stop = (nuint*)(end & ~(nuint)7);
            ConservativeWords += (ulong)(stop - p);
            // Cheap range test first: most stack words are small integers, return addresses into the image or
            // pointers into stacks, which the map would reject anyway, a few instructions later.
            nuint low = _map->RangeBase, high = _map->RangeEnd;
            for (; p < stop; p++)
            {
                nuint word = *p;
                if (word - low < high - low)
                    Mark(word);
            }
        }

        /// <summary>Frozen objects walked precisely since Initialize, and regions that needed the fallback.</summary>
        public ulong FrozenObjects, FrozenFallbacks;

        /// <summary>
        /// A frozen object region (ILC's FrozenObjectRegion: string literals and preinitialized objects in the image):
        /// object after object, each a zero sync-block word followed by the object, its size by its type, rounded up
        /// to 8 bytes. The objects are not in the heap and are never marked; the references of those whose type has
        /// any are traced. Should a word not look like that layout, the rest of the region is scanned conservatively
        /// instead (slower, still correct).
        /// </summary>
        public void ScanFrozen(nuint start, nuint end)
        {
            byte* p = (byte*)((start + 7) & ~(nuint)7);
            while (p + 3 * sizeof(nuint) <= (byte*)end)
            {
                byte* obj = p + sizeof(nuint);
                MethodTable* mt = *(MethodTable**)obj;
                if (*(nuint*)p != 0 || mt == null || ((nuint)mt & 7) != 0)
                    break;
                nuint size = (GCDesc.ObjectSize(obj, mt) + 7) & ~(nuint)7;
                if (size < 3 * (nuint)sizeof(nuint) || size > (nuint)((byte*)end - p))
                    break;
                if (mt->ContainsGCPointers)
                    Trace(obj);
                FrozenObjects++;
                p += size;
            }
            if (p < (byte*)end)
            {
                // Room for an object left: the layout was not what this walk expects. Less: the region's padding.
                if ((nuint)((byte*)end - p) >= 3 * (nuint)sizeof(nuint))
                    FrozenFallbacks++;
                ScanConservatively((nuint)p, end);
            }
        }

        /// <summary>
        /// Traces queued objects until none is left (then see <see cref="Overflowed"/>). The collector's hot loop,
        /// written for the instruction count (`bench gc`, docs/GarbageCollector.md). An object of fixed size whose
        /// references are one run of fields (one GCDesc series: most classes) takes the fast path: the stack pointer
        /// and the map's fields live in locals (registers: the struct's fields would be reloaded after every mark
        /// store, which could alias them), the last such type's series is remembered (a list is one type), each field
        /// goes through SizeClassHeap.MarkReference, and of the children
        /// it newly marks, the last one with references of its own is traced next without a push and a pop (a linked
        /// list is walked, not stacked). Anything else (arrays, several series) takes the general walk.
        /// </summary>
        public void Drain()
        {
            // In registers: the stack pointer, the map's base and entries and the loop's own values. The stack's bottom
            // and the map's size stay fields: compared as memory operands they cost no extra instruction, and fewer
            // locals than registers keeps the loop free of spill reloads.
            nuint* sp = _stack + _count;
            uint* entries = _mapEntries;
            nuint mapBase = _mapBase, mapChunks = _mapChunks;
            // The last fast-path type's series as offsets from the object: a list or a tree is mostly one type, so
            // its series is read and checked once, not per object.
            MethodTable* lastType = null;
            nint seriesStart = 0, seriesEnd = 0;
            byte* obj = null;
            while (true)
            {
                if (obj == null)
                {
                    if (sp == _stack)
                        break;
                    obj = (byte*)*--sp;
                }
                MethodTable* mt = *(MethodTable**)obj;
                if (mt != lastType)
                {
                    if (GCDesc.SeriesCount(mt) != 1 || mt->HasComponentSize)
                    {
                        _count = (int)(sp - _stack);
                        TraceReferences(obj, verifying: false);
                        sp = _stack + _count;
                        obj = null;
                        continue;
                    }
                    // The one series: { size - object size, offset } at mt - 3 words, as offsets from the object.
                    lastType = mt;
                    seriesStart = ((nint*)mt)[-2];
                    seriesEnd = seriesStart + ((nint*)mt)[-3] + (nint)mt->BaseSize;
                }
                nuint* p = (nuint*)(obj + seriesStart);
                nuint* stop = (nuint*)(obj + seriesEnd);
                byte* next = null;
                for (; p < stop; p++)
                {
                    nuint child = *p;
                    if (!SizeClassHeap.MarkReference(child, mapBase, mapChunks, entries))
                        continue;
                    MarkedObjects++;
                    if (!(*(MethodTable**)child)->ContainsGCPointers)
                        continue;
                    if (next != null)
                    {
                        if (sp == _stack + _capacity)
                            Overflowed = true;
                        else
                            *sp++ = (nuint)next;
                    }
                    next = (byte*)child;
                }
                obj = next;
            }
            _count = 0;
        }

        /// <summary>Marks everything <paramref name="obj"/>'s reference fields point to, by its type's GCDesc.</summary>
        public void Trace(byte* obj) => TraceReferences(obj, verifying: false);

        // A precise reference (SizeClassHeap.MarkReference), queued for tracing when it has references.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private void MarkReference(nuint value)
        {
            if (!SizeClassHeap.MarkReference(value, _mapBase, _mapChunks, _mapEntries))
                return;
            MarkedObjects++;
            if (!(*(MethodTable**)value)->ContainsGCPointers)
                return;
            if (_count == _capacity)
            {
                Overflowed = true;
                return;
            }
            _stack[_count++] = value;
        }

        // One reference field of obj: checked in verification mode, else marked; null is skipped.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private void Visit(byte* obj, nuint value, bool verifying)
        {
            if (value == 0)
                return;
            if (verifying)
                Check(obj, value);
            else
                MarkReference(value);
        }

        // The one walk over an object's reference fields, for marking and for verification; inlined into each with
        // `verifying` a constant, so the marking loop carries no test for the other mode.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private void TraceReferences(byte* obj, bool verifying)
        {
            MethodTable* mt = *(MethodTable**)obj;
            if (mt == null || !mt->ContainsGCPointers)
                return;
            nuint size = GCDesc.ObjectSize(obj, mt);
            nint count = GCDesc.SeriesCount(mt);
            for (int i = 0; i < count; i++)
            {
                GCDesc.Series(mt, i, out nint seriesSize, out nint offset);
                nuint* p = (nuint*)(obj + offset);
                nuint* stop = (nuint*)((byte*)p + seriesSize + (nint)size);
                for (; p < stop; p++)
                    Visit(obj, *p, verifying);
            }
            if (count >= 0)
                return;
            // An array of structs: the pattern repeats element after element until the object's end.
            byte* end = obj + size - sizeof(nint);
            byte* q = obj + GCDesc.RepeatStart(mt);
            int items = (int)-count;
            while (q < end)
            {
                byte* elementStart = q;
                for (int i = 0; i < items; i++)
                {
                    GCDesc.RepeatItem(mt, i, out uint references, out uint skip);
                    nuint* p = (nuint*)q;
                    for (uint r = 0; r < references; r++, p++)
                        Visit(obj, *p, verifying);
                    q = (byte*)p + skip;
                }
                if (q == elementStart)
                    return;   // a pattern that covers no bytes would never end (not a valid descriptor)
            }
        }

        private void Check(byte* from, nuint to)
        {
            // A reference into a heap block must be the start of a live object: anything else means the object it
            // pointed to was freed while reachable (or the field was corrupted).
            if (_map->BlockOf(to) != null && SizeClassHeap.FindObject(_map, to) != (void*)to)
            {
                if (DanglingReferences++ == 0)
                {
                    FirstDanglingFrom = (nuint)from;
                    FirstDanglingTo = to;
                }
            }
        }

        /// <summary>
        /// Heap verification (the kernel's gcverify mode, after a sweep): checks every reference field of every live
        /// object of <paramref name="heaps"/>; the result is in <see cref="DanglingReferences"/>.
        /// </summary>
        public void Verify(SizeClassHeap** heaps, int heapCount)
        {
            DanglingReferences = 0;
            void* self = System.Runtime.CompilerServices.Unsafe.AsPointer(ref this);
            for (int h = 0; h < heapCount; h++)
                heaps[h]->ForEachAllocated(self, &VerifyOne);
        }

        private static void VerifyOne(void* marker, byte* obj) => ((Marker*)marker)->TraceReferences(obj, verifying: true);

        private static void Retrace(void* marker, byte* obj)
        {
            ((Marker*)marker)->Trace(obj);
            ((Marker*)marker)->Drain();
        }

        /// <summary>Drains, then repeats recovery passes over <paramref name="heaps"/> until nothing overflowed.</summary>
        public void Complete(SizeClassHeap** heaps, int heapCount)
        {
            Drain();
            while (Overflowed)
            {
                Overflowed = false;
                void* self = System.Runtime.CompilerServices.Unsafe.AsPointer(ref this);
                for (int h = 0; h < heapCount; h++)
                    heaps[h]->ForEachMarked(self, &Retrace);
            }
        }
    }
}
