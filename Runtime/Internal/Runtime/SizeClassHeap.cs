// SizeClassHeap.cs -- the kernel heap: size-class slabs for small objects, whole page runs for large ones.
//
// Design (why it looks like this):
// - Every slab and every large block is a 16 KiB-aligned run of pages with a 1,232-byte header at its start, so
//   Free(ptr) finds the header with one mask (ptr & ~(SlabBytes-1)): no per-object header, no page table walk.
// - Several heaps can coexist (the kernel's, and one per world that owns its memory): every block records its
//   heap, so an object is freed into the heap it came from whoever frees it, and every block is on its heap's
//   list, so ReleaseAll() gives a dead world's memory back in one sweep. The page source is told which heap asks,
//   which is how the kernel charges pages to the owning world's resource group.
// - Small objects (<= MaxSmallSize) come from per-class slabs. A slab hands out objects from a bump offset first
//   and then from a free list threaded through freed objects, so creating a slab touches only its header.
// - A slab that becomes empty is returned to the page source unless it is the class's only slab (a one-slab cache
//   stops alloc/free ping-pong at a slab boundary from hitting the page allocator every time).
// - Large objects get their own page run and give it back on free.
// - Every block header holds, per 16-byte granule of the block (header included; an object's is its first
//   granule's), an allocated bit and a mark state byte. The allocated bit makes a double free an exact check and lets
//   the collector answer "is this word inside a live object, and which one" for conservative roots (address ->
//   block via the HeapBlockMap -> slot -> its granule's allocated bit). The mark state is the collector's: 0 (no
//   object of a collected heap starts here: a free or never-used slot, the header, any raw heap's object), 1
//   (allocated, unmarked) or 2 (marked). A byte rather than a bit so that marking a precise reference is one compare
//   and one store, with the allocated test folded in (state 1) and no bit arithmetic: the marker's hot path
//   (docs/GarbageCollector.md has the instruction counts; it costs 1 KiB per 16 KiB block). Granules rather than
//   slots: a reference (an object start) finds its state with a shift instead of a division by the object size. A
//   large block has one object: InUse, and its first granule's state.
// - A freed slot keeps the free-list link in its first word and its bit index in its second, so taking it off
//   the free list sets its allocated bit without arithmetic.
// - Sweep (the collector's second phase) frees every allocated, unmarked object of a collected heap, clears the
//   marks, and returns emptied slabs and dead large blocks to the page source like explicit frees do.
// - With poisonFreed, the rest of a freed small object is filled with 0xDD, so a use after free reads the same
//   garbage every time (a string's characters become U+DDDD, a reference field 0xDDDDDDDDDDDDDDDD, which faults
//   when followed) instead of stale data that looks fine until the slot is reused. The kernel turns it on for its
//   collector check mode (`gcverify`): a live object the collector wrongly freed then shows itself at once. Large
//   blocks go back to the page allocator at once and are not poisoned.
// The heap only sees a page source (two function pointers), so the same file is unit-tested on the host. A heap's
// address must not change once it has blocks (they point back to it): heaps live in static or unmanaged memory.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Internal.Runtime
{
    public unsafe struct SizeClassHeap
    {
        public const int SlabBytes = 16 * 1024;
        public const int HeaderBytes = 1232;   // the fields, the allocated bitmap and one mark state byte per granule
        public const int MaxSmallSize = 2048;
        public const int NumClasses = 24;   // 8 classes of 16..128, then 4 per power of two up to 2048
        public const int MaxSlots = (SlabBytes - HeaderBytes) / 16;
        private const int Granule = 16;                    // bitmap bits are per 16 bytes of the block, header included
        private const int BitmapWords = SlabBytes / Granule / 64;
        private const uint SlabMagic = 0x534C4142;   // "SLAB"
        private const uint LargeMagic = 0x4C524745;  // "LRGE"
        public const byte PoisonByte = 0xDD;
        private const byte CollectedSlab = 1, CollectedLarge = 2;
        private const byte StateUnmarked = 1, StateMarked = 2;   // mark states; 0: no collected object starts here
        private const int Granules = SlabBytes / Granule;
        private const int LargeObjectGranule = HeaderBytes / Granule;

        /// <summary>Header at the start of every slab or large block.</summary>
        private struct BlockHeader
        {
            public uint Magic;
            public ushort ClassIndex;
            public ushort InUse;
            public uint ObjectSize;
            public uint BumpOffset;       // next never-used byte offset within the slab
            public uint Slots;            // slots handed out from the bump offset so far
            public byte Collected;        // the heap's IsCollected and the block's kind in one byte, so the marker's
                                          // precise path answers "collected slab?" with one compare: 0 not collected,
                                          // CollectedSlab, CollectedLarge
            public byte Reserved0;
            public ushort Reserved1;
            public byte* FreeList;
            public BlockHeader* Next;     // per-class list of slabs with free space
            public BlockHeader* Prev;
            public ulong Bytes;           // large blocks: total bytes of the page run
            public SizeClassHeap* Heap;   // the heap the block belongs to
            public BlockHeader* AllNext;  // every block of the heap (for ReleaseAll and Sweep)
            public BlockHeader* AllPrev;
            public fixed ulong Allocated[BitmapWords];
            public fixed byte Marks[Granules];   // mark state per granule (StateUnmarked / StateMarked / 0)
        }

        // The mark states start at this offset in the header (the marker's one addressing mode: block + granule + it).
        // A constant, not the field's address: the compiler null-checks a fixed buffer reached through a pointer.
        private const int AllocatedOffset = 80;
        private const int MarksOffset = AllocatedOffset + BitmapWords * 8;

        /// <summary>Where the layout really puts the mark states (tests check it is <see cref="MarksOffset"/>).</summary>
        public static bool MarksOffsetMatchesLayout
        {
            get
            {
                BlockHeader header = default;
                return (byte*)header.Marks - (byte*)&header == MarksOffset
                    && (byte*)header.Allocated - (byte*)&header == AllocatedOffset;
            }
        }

        /// <summary>Size of the block header as laid out (tests check it fits in <see cref="HeaderBytes"/>).</summary>
        public static int HeaderStructBytes => sizeof(BlockHeader);

        private fixed ulong _partial[NumClasses];      // BlockHeader* heads of slabs with free space
        private fixed ulong _slabCount[NumClasses];
        private BlockHeader* _allBlocks;
        private delegate*<SizeClassHeap*, nuint, void*> _allocRun;      // bytes (multiple of SlabBytes) -> SlabBytes-aligned memory or null
        private delegate*<SizeClassHeap*, void*, nuint, void> _freeRun;
        private HeapBlockMap* _map;

        /// <summary>Opaque to the heap: who owns it (the kernel stores the owning world here).</summary>
        public void* Owner;

        /// <summary>The heap holds managed objects (a MethodTable pointer at the start of each): the collector marks
        /// and sweeps it. A heap of raw blocks (a world's own memory) is freed explicitly and never swept.</summary>
        public bool IsCollected { get; private set; }

        public ulong BytesInUse;        // bytes handed out (rounded to the size class)
        public ulong BytesFromPages;    // bytes of page runs held by the heap
        public ulong Allocations;
        public ulong Frees;
        public ulong LiveObjects;
        public ulong FailedAllocations;

        /// <param name="runsAreZeroed">The page source hands out zeroed memory (the kernel's does): memory never used
        /// since then (a large block, the untouched tail of a slab) is not zeroed a second time.</param>
        /// <param name="poisonFreed">Fill freed small objects past the free-list link and the slot index with
        /// <see cref="PoisonByte"/>, so a use after free reads garbage consistently (debug aid; costs one fill per free).</param>
        /// <param name="map">Where the heap records its blocks, so an arbitrary address can be resolved to an object
        /// (<see cref="FindObject"/>, the collector's marking); null for a heap nothing scans.</param>
        public void Initialize(delegate*<SizeClassHeap*, nuint, void*> allocRun, delegate*<SizeClassHeap*, void*, nuint, void> freeRun, void* owner = null, bool runsAreZeroed = false, bool poisonFreed = false, HeapBlockMap* map = null)
        {
            this = default;
            _allocRun = allocRun;
            _freeRun = freeRun;
            Owner = owner;
            _runsAreZeroed = runsAreZeroed;
            _poisonFreed = poisonFreed;
            _map = map;
        }

        private bool _runsAreZeroed;
        private bool _poisonFreed;

        /// <summary>Poison freed small objects from now on (the collector's check mode switches it on at boot).</summary>
        public bool PoisonFreed
        {
            get => _poisonFreed;
            set => _poisonFreed = value;
        }

        private SizeClassHeap* Self => (SizeClassHeap*)Unsafe.AsPointer(ref this);

        private BlockHeader* NewBlock(nuint bytes)
        {
            BlockHeader* block = (BlockHeader*)_allocRun(Self, bytes);
            if (block == null)
                return null;
            if (_map != null && !_map->Register(block, bytes))
            {
                _freeRun(Self, block, bytes);
                return null;
            }
            *block = default;
            block->Heap = Self;
            block->Collected = IsCollected ? CollectedSlab : (byte)0;   // AllocateLarge makes it CollectedLarge
            block->AllNext = _allBlocks;
            if (_allBlocks != null)
                _allBlocks->AllPrev = block;
            _allBlocks = block;
            BytesFromPages += bytes;
            return block;
        }

        private void ReleaseBlock(BlockHeader* block, nuint bytes)
        {
            if (block->AllPrev != null)
                block->AllPrev->AllNext = block->AllNext;
            else
                _allBlocks = block->AllNext;
            if (block->AllNext != null)
                block->AllNext->AllPrev = block->AllPrev;
            block->Magic = 0;
            block->Heap = null;
            BytesFromPages -= bytes;
            if (_map != null)
                _map->Unregister(block, bytes);
            _freeRun(Self, block, bytes);
        }

        /// <summary>Returns every block to the page source at once (the owner died); the heap is empty afterwards.</summary>
        public void ReleaseAll()
        {
            while (_allBlocks != null)
            {
                BlockHeader* block = _allBlocks;
                ReleaseBlock(block, block->Magic == LargeMagic ? (nuint)block->Bytes : SlabBytes);
            }
            for (int i = 0; i < NumClasses; i++)
            {
                _partial[i] = 0;
                _slabCount[i] = 0;
            }
            BytesInUse = 0;
            LiveObjects = 0;
        }

        /// <summary>The heap a live pointer belongs to, or null.</summary>
        public static SizeClassHeap* HeapOf(void* p)
        {
            BlockHeader* block = FindBlock(p, out _);
            return block == null ? null : block->Heap;
        }

        public bool IsInitialized => _allocRun != null;

        /// <summary>Class sizes: 16-byte steps up to 128, then four steps per power of two up to 2048.</summary>
        public static uint ClassSize(int index)
        {
            if (index < 8)
                return (uint)(index + 1) * 16;
            int group = (index - 8) / 4;             // 0: 128..256, 1: 256..512, 2: 512..1024, 3: 1024..2048
            uint baseSize = 128u << group;
            return baseSize + (uint)((index - 8) % 4 + 1) * (baseSize / 4);
        }

        public static int ClassIndex(nuint size)
        {
            if (size <= 128)
                return size == 0 ? 0 : (int)((size + 15) / 16) - 1;
            int index = 8;
            while (ClassSize(index) < size)
                index++;
            return index;
        }

        /// <summary>Allocates zeroed memory; null when the page source is exhausted or the size is absurd.</summary>
        public void* Allocate(nuint size)
        {
            void* p = size <= MaxSmallSize ? AllocateSmall(ClassIndex(size)) : AllocateLarge(size);
            if (p == null)
            {
                FailedAllocations++;
                return null;
            }
            Allocations++;
            LiveObjects++;
            return p;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TestBit(ulong* bits, uint slot) => (bits[slot >> 6] & (1UL << (int)(slot & 63))) != 0;

        /// <summary>Makes the heap collected (or not), blocks it already has included.</summary>
        public void SetCollected(bool collected)
        {
            IsCollected = collected;
            for (BlockHeader* block = _allBlocks; block != null; block = block->AllNext)
            {
                block->Collected = !collected ? (byte)0 : block->Magic == LargeMagic ? CollectedLarge : CollectedSlab;
                // The objects it already has get the state a collected heap's allocation gives (or lose it).
                byte state = collected ? StateUnmarked : (byte)0;
                if (block->Magic == LargeMagic)
                {
                    block->Marks[LargeObjectGranule] = block->InUse != 0 ? state : (byte)0;
                    continue;
                }
                for (uint granule = 0; granule < Granules; granule++)
                    block->Marks[granule] = TestBit(block->Allocated, granule) ? state : (byte)0;
            }
        }

        private void* AllocateSmall(int classIndex)
        {
            BlockHeader* slab = (BlockHeader*)_partial[classIndex];
            if (slab == null)
            {
                slab = NewSlab(classIndex);
                if (slab == null)
                    return null;
            }
            byte* obj;
            uint bit;
            bool pristine = false;
            if (slab->FreeList != null)
            {
                obj = slab->FreeList;
                slab->FreeList = *(byte**)obj;
                bit = (uint)((ulong*)obj)[1];
            }
            else
            {
                obj = (byte*)slab + slab->BumpOffset;
                bit = slab->BumpOffset / Granule;
                slab->Slots++;
                slab->BumpOffset += slab->ObjectSize;
                pristine = _runsAreZeroed;
            }
            slab->Allocated[bit >> 6] |= 1UL << (int)(bit & 63);
            slab->Marks[bit] = slab->Collected;   // CollectedSlab is StateUnmarked; a raw heap's objects stay 0
            slab->InUse++;
            if (slab->FreeList == null && slab->BumpOffset + slab->ObjectSize > SlabBytes)
                Unlink(slab, classIndex);
            if (!pristine)
                Zero(obj, slab->ObjectSize);
            BytesInUse += slab->ObjectSize;
            return obj;
        }

        private BlockHeader* NewSlab(int classIndex)
        {
            BlockHeader* slab = NewBlock(SlabBytes);
            if (slab == null)
                return null;
            _slabCount[classIndex]++;
            slab->Magic = SlabMagic;
            slab->ClassIndex = (ushort)classIndex;
            slab->ObjectSize = ClassSize(classIndex);
            slab->BumpOffset = HeaderBytes;
            Push(slab, classIndex);
            return slab;
        }

        private void* AllocateLarge(nuint size)
        {
            if (size > (nuint)1 << 40)
                return null;
            nuint bytes = (size + HeaderBytes + SlabBytes - 1) & ~(nuint)(SlabBytes - 1);
            BlockHeader* block = NewBlock(bytes);
            if (block == null)
                return null;
            block->Magic = LargeMagic;
            if (block->Collected != 0)
                block->Collected = CollectedLarge;
            block->Bytes = bytes;
            block->InUse = 1;
            block->Marks[LargeObjectGranule] = block->Collected != 0 ? StateUnmarked : (byte)0;
            BytesInUse += bytes - HeaderBytes;
            byte* obj = (byte*)block + HeaderBytes;
            if (!_runsAreZeroed)
            {
                for (nuint done = 0; done < bytes - HeaderBytes; done += 1u << 30)
                    Zero(obj + done, Math.Min(bytes - HeaderBytes - done, (nuint)1 << 30));
            }
            return obj;
        }

        /// <summary>Returns the block of a pointer this heap handed out, or null for a foreign or corrupt pointer.</summary>
        private static BlockHeader* FindBlock(void* p, out bool large) => FindBlock(p, out large, out _);

        private static BlockHeader* FindBlock(void* p, out bool large, out uint slot)
        {
            slot = 0;
            BlockHeader* block = (BlockHeader*)((nuint)p & ~(nuint)(SlabBytes - 1));
            large = block->Magic == LargeMagic;
            if (large)
                return (byte*)p == (byte*)block + HeaderBytes ? block : null;
            if (block->Magic != SlabMagic)
                return null;
            nuint offset = (nuint)((byte*)p - (byte*)block);
            if (offset < HeaderBytes || offset >= block->BumpOffset)
                return null;
            if ((offset - HeaderBytes) % block->ObjectSize != 0)
                return null;
            slot = (uint)(offset / Granule);
            return block;
        }

        /// <summary>Size usable at p (the size class or the large block), or 0 if p is not a live heap pointer.</summary>
        public static nuint UsableSize(void* p)
        {
            BlockHeader* block = FindBlock(p, out bool large);
            if (block == null)
                return 0;
            return large ? (nuint)(block->Bytes - HeaderBytes) : block->ObjectSize;
        }

        public enum FreeResult { Freed, NotHeapPointer, DoubleFree }

        /// <summary>Frees p into whichever heap it came from (objects may be freed by another heap's owner).</summary>
        public static FreeResult FreeAnywhere(void* p) => FreeAnywhere(p, out _, out _);

        /// <summary>The same, telling which heap it went back to and how many of its bytes in use that gave back.</summary>
        public static FreeResult FreeAnywhere(void* p, out SizeClassHeap* heap, out ulong bytesReturned)
        {
            bytesReturned = 0;
            BlockHeader* block = FindBlock(p, out bool large, out uint slot);
            heap = block == null ? null : block->Heap;
            if (heap == null)
                return FreeResult.NotHeapPointer;
            ulong before = heap->BytesInUse;
            FreeResult result = heap->FreeIn(block, (byte*)p, large, slot);
            bytesReturned = before - heap->BytesInUse;
            return result;
        }

        /// <summary>Frees p (into the heap it came from); with a block map, a pointer outside every block is refused
        /// before anything is read at it.</summary>
        public FreeResult Free(void* p)
        {
            if (_map != null && _map->BlockOf((nuint)p) == null)
                return FreeResult.NotHeapPointer;
            BlockHeader* block = FindBlock(p, out bool large, out uint slot);
            if (block == null || block->Heap == null)
                return FreeResult.NotHeapPointer;
            return block->Heap->FreeIn(block, (byte*)p, large, slot);
        }

        private FreeResult FreeIn(BlockHeader* block, byte* p, bool large, uint slot)
        {
            if (large)
            {
                if (block->InUse == 0)
                    return FreeResult.DoubleFree;
                FreeLarge(block);
                return FreeResult.Freed;
            }
            if (!TestBit(block->Allocated, slot))
                return FreeResult.DoubleFree;
            bool wasFull = IsFull(block);
            FreeSlot(block, p, slot);
            AfterSlotsFreed(block, wasFull);
            return FreeResult.Freed;
        }

        private static bool IsFull(BlockHeader* slab) => slab->FreeList == null && slab->BumpOffset + slab->ObjectSize > SlabBytes;

        private void FreeLarge(BlockHeader* block)
        {
            block->InUse = 0;
            ulong bytes = block->Bytes;
            BytesInUse -= bytes - HeaderBytes;
            Frees++;
            LiveObjects--;
            ReleaseBlock(block, (nuint)bytes);
        }

        // Puts one allocated slot on its slab's free list; the caller then settles the slab (AfterSlotsFreed).
        private void FreeSlot(BlockHeader* slab, byte* obj, uint slot)
        {
            slab->Allocated[slot >> 6] &= ~(1UL << (int)(slot & 63));
            slab->Marks[slot] = 0;   // no object here until the slot is handed out again
            *(byte**)obj = slab->FreeList;
            ((ulong*)obj)[1] = slot;
            if (_poisonFreed)
                Poison(obj, slab->ObjectSize);
            slab->FreeList = obj;
            slab->InUse--;
            BytesInUse -= slab->ObjectSize;
            Frees++;
            LiveObjects--;
        }

        // A slab that was full is back on its class's list; an empty one goes back to the page source unless it is
        // the class's only slab.
        private void AfterSlotsFreed(BlockHeader* slab, bool wasFull)
        {
            int classIndex = slab->ClassIndex;
            if (wasFull)
                Push(slab, classIndex);
            if (slab->InUse == 0 && _slabCount[classIndex] > 1)
                ReleaseSlab(slab, classIndex);
        }

        private void ReleaseSlab(BlockHeader* slab, int classIndex)
        {
            Unlink(slab, classIndex);
            _slabCount[classIndex]--;
            ReleaseBlock(slab, SlabBytes);
        }

        private void Push(BlockHeader* slab, int classIndex)
        {
            BlockHeader* head = (BlockHeader*)_partial[classIndex];
            slab->Prev = null;
            slab->Next = head;
            if (head != null)
                head->Prev = slab;
            _partial[classIndex] = (ulong)slab;
        }

        private void Unlink(BlockHeader* slab, int classIndex)
        {
            if (slab->Prev != null)
                slab->Prev->Next = slab->Next;
            else if ((BlockHeader*)_partial[classIndex] == slab)
                _partial[classIndex] = (ulong)slab->Next;
            if (slab->Next != null)
                slab->Next->Prev = slab->Prev;
            slab->Next = slab->Prev = null;
        }

        public ulong SlabCount(int classIndex) => _slabCount[classIndex];

        // ---- What the collector needs: address -> object, mark bits, sweep ----------------------------------------

        // The allocated object whose slot contains address, with its block and slot; null if there is none. Any
        // address is safe: the map says whether a heap block covers it before anything is read there.
        private static byte* Resolve(HeapBlockMap* map, nuint address, out BlockHeader* block, out uint slot)
        {
            slot = 0;
            block = (BlockHeader*)map->BlockOf(address);
            if (block == null)
                return null;
            byte* start = (byte*)block;
            if (block->Magic == LargeMagic)
                return address >= (nuint)(start + HeaderBytes) && block->InUse != 0 ? start + HeaderBytes : null;
            if (block->Magic != SlabMagic || address < (nuint)(start + HeaderBytes))
                return null;
            nuint index = (address - (nuint)start - HeaderBytes) / block->ObjectSize;
            if (index >= block->Slots)
                return null;
            nuint offset = HeaderBytes + index * block->ObjectSize;
            slot = (uint)(offset / Granule);
            if (!TestBit(block->Allocated, slot))
                return null;
            return start + offset;
        }

        /// <summary>
        /// The start of the live allocated object that contains <paramref name="address"/> (interior pointers
        /// included, up to the end of its size class), or null: not in any block of <paramref name="map"/>, in a
        /// block header, in a free or never-used slot.
        /// </summary>
        public static void* FindObject(HeapBlockMap* map, nuint address) => Resolve(map, address, out _, out _);

        /// <summary>
        /// The marker's hot path, everything inline: the start of the object of a collected heap that contains
        /// <paramref name="address"/> if this call marked it, else null (no object there, a raw heap's block, or
        /// already marked). Same answers as <see cref="TryMark"/>, which the tests and the slow paths use.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static byte* MarkIfUnmarked(HeapBlockMap* map, nuint address)
        {
            BlockHeader* block = (BlockHeader*)map->BlockOf(address);
            if (block == null || block->Collected == 0)
                return null;
            byte* start = (byte*)block + HeaderBytes;
            if (address < (nuint)start)
                return null;
            if (block->Magic != SlabMagic)
            {
                // A large block: one object, in use while its state is unmarked or marked.
                if (block->Marks[LargeObjectGranule] != StateUnmarked)
                    return null;
                block->Marks[LargeObjectGranule] = StateMarked;
                return start;
            }
            nuint index = (address - (nuint)start) / block->ObjectSize;
            if (index >= block->Slots)
                return null;
            nuint offset = index * block->ObjectSize;
            byte* state = block->Marks + (offset + HeaderBytes) / Granule;
            if (*state != StateUnmarked)   // not allocated, or already marked
                return null;
            *state = StateMarked;
            return start + offset;
        }

        /// <summary>
        /// The marker's path for a precise reference (a reference field of a traced object), everything inline:
        /// marks the object at <paramref name="obj"/> and returns true if this call marked it; false for anything
        /// else (not in a heap block's first chunk: null, the image's frozen objects; a raw heap's object, a free
        /// slot, already marked: their state is not StateUnmarked). A precise reference is an object start (gcverify
        /// checks that every one is), and every object starts in its block's first chunk, so the block is the
        /// reference with its low 14 bits cleared once the map (whose fields the caller passes, kept in registers)
        /// says that chunk is a block's first: no walk back, no interior pointers, no slab-or-large test (a large
        /// block's object has a granule state like a slab's). Sixteen instructions for an object newly marked, seven of
        /// them the map's.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool MarkReference(nuint obj, nuint mapBase, nuint mapChunks, uint* mapEntries)
        {
            nuint chunk = (obj - mapBase) / SlabBytes;   // wraps to a huge value below the base (null included)
            if (chunk >= mapChunks || mapEntries[chunk] != 1)
                return false;
            // block + MarksOffset + granule: a pointer into the header finds one of the header's own states, always 0.
            byte* state = (byte*)(obj & ~(nuint)(SlabBytes - 1)) + MarksOffset + (obj & (SlabBytes - 1)) / Granule;
            if (*state != StateUnmarked)
                return false;
            *state = StateMarked;
            return true;
        }

        /// <summary>
        /// Marks the object of a collected heap that contains <paramref name="address"/>. True only the first time
        /// (the caller then traces the object's references); false for a non-object, an object of a heap the
        /// collector does not sweep, or one already marked.
        /// </summary>
        public static bool TryMark(HeapBlockMap* map, nuint address, out byte* obj)
        {
            obj = Resolve(map, address, out BlockHeader* block, out _);
            if (obj == null || block->Collected == 0)
                return false;
            byte* state = StateOf(block, obj);
            if (*state != StateUnmarked)
                return false;
            *state = StateMarked;
            return true;
        }

        /// <summary>The object at <paramref name="obj"/> is in a collected heap and unmarked: the sweep will free it
        /// (a weak reference to it must be cleared). False for frozen objects, raw blocks and marked objects.</summary>
        public static bool IsCollectableAndUnmarked(HeapBlockMap* map, void* obj)
        {
            byte* start = Resolve(map, (nuint)obj, out BlockHeader* block, out _);
            return start != null && block->Collected != 0 && *StateOf(block, start) != StateMarked;
        }

        // An object's mark state: its first granule's (a large block's object is at HeaderBytes like a slab's first).
        private static byte* StateOf(BlockHeader* block, byte* obj) => block->Marks + (nuint)(obj - (byte*)block) / Granule;

        /// <summary>Whether the object at <paramref name="obj"/> (an object start) carries a mark.</summary>
        public static bool IsMarked(HeapBlockMap* map, void* obj)
        {
            byte* start = Resolve(map, (nuint)obj, out BlockHeader* block, out _);
            return start == obj && *StateOf(block, start) == StateMarked;
        }

        /// <summary>Calls <paramref name="visit"/>(context, object) for every marked object (mark-stack overflow
        /// recovery rescans them).</summary>
        public void ForEachMarked(void* context, delegate*<void*, byte*, void> visit) => ForEach(context, visit, marked: true);

        /// <summary>Calls <paramref name="visit"/> for every allocated object (the collector's heap verification).</summary>
        public void ForEachAllocated(void* context, delegate*<void*, byte*, void> visit) => ForEach(context, visit, marked: false);

        private void ForEach(void* context, delegate*<void*, byte*, void> visit, bool marked)
        {
            for (BlockHeader* block = _allBlocks; block != null; block = block->AllNext)
            {
                byte* start = (byte*)block + HeaderBytes;
                if (block->Magic == LargeMagic)
                {
                    if (marked ? block->Marks[LargeObjectGranule] == StateMarked : block->InUse != 0)
                        visit(context, start);
                    continue;
                }
                for (uint w = 0; w * 64 * Granule < block->BumpOffset; w++)
                {
                    ulong bits = block->Allocated[w];
                    while (bits != 0)
                    {
                        uint granule = w * 64 + (uint)System.Numerics.BitOperations.TrailingZeroCount(bits);
                        bits &= bits - 1;
                        if (!marked || block->Marks[granule] == StateMarked)
                            visit(context, (byte*)block + granule * Granule);
                    }
                }
            }
        }

        /// <summary>
        /// The collector's sweep: frees every allocated object that is not marked, clears every mark, and gives
        /// emptied slabs (but one per class) and dead large blocks back to the page source. Returns the objects
        /// freed; <paramref name="freedBytes"/> gets their bytes (size classes and large runs as charged).
        /// </summary>
        public ulong Sweep(out ulong freedBytes)
        {
            ulong objectsBefore = LiveObjects, bytesBefore = BytesInUse;
            ulong* pattern = stackalloc ulong[2];   // sixteen StateMarked bytes (no Vector128.Create in the core library)
            pattern[0] = pattern[1] = 0x0202020202020202UL;
            Vector128<byte> marked = Sse2.LoadVector128((byte*)pattern);
            BlockHeader* block = _allBlocks;
            while (block != null)
            {
                BlockHeader* next = block->AllNext;
                if (block->Magic == LargeMagic)
                {
                    if (block->Marks[LargeObjectGranule] == StateMarked)
                        block->Marks[LargeObjectGranule] = StateUnmarked;
                    else if (block->InUse != 0)
                        FreeLarge(block);
                }
                else
                {
                    SweepSlab(block, marked);
                }
                block = next;
            }
            freedBytes = bytesBefore - BytesInUse;
            return objectsBefore - LiveObjects;
        }

        // One slab: per 64 granules, the allocated bits less the marked states are the garbage. The states of a
        // word with no allocated granule are all 0 and are skipped; the others are read and reset 16 at a time.
        private void SweepSlab(BlockHeader* slab, Vector128<byte> marked)
        {
            bool wasFull = IsFull(slab);
            bool freedAny = false;
            byte* states = (byte*)slab + MarksOffset;
            ulong* allocatedWords = (ulong*)((byte*)slab + AllocatedOffset);
            uint words = (slab->BumpOffset + 64 * Granule - 1) / (64 * Granule);
            for (uint w = 0; w < words; w++)
            {
                ulong allocated = allocatedWords[w];
                if (allocated == 0)
                    continue;
                byte* p = states + w * 64;
                ulong live = Unmark16(p, marked) | Unmark16(p + 16, marked) << 16
                    | Unmark16(p + 32, marked) << 32 | Unmark16(p + 48, marked) << 48;
                ulong garbage = allocated & ~live;
                while (garbage != 0)
                {
                    uint granule = w * 64 + (uint)System.Numerics.BitOperations.TrailingZeroCount(garbage);
                    garbage &= garbage - 1;
                    FreeSlot(slab, (byte*)slab + granule * Granule, granule);
                    freedAny = true;
                }
            }
            if (freedAny)
                AfterSlotsFreed(slab, wasFull);
        }

        // Sixteen mark states at p: a bit per marked one, and each marked one back to unmarked for the next
        // collection (PCMPEQB against StateMarked, PMOVMSKB; PADDB of the 0xFF lanes turns 2 into 1), so the
        // sweep costs well under an instruction per live granule.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ulong Unmark16(byte* p, Vector128<byte> marked)
        {
            Vector128<byte> states = Sse2.LoadVector128(p);
            Vector128<byte> isMarked = Sse2.CompareEqual(states, marked);
            Sse2.Store(p, Sse2.Add(states, isMarked));
            return (uint)Sse2.MoveMask(isMarked);
        }

        private static void Zero(byte* p, nuint bytes) => Unsafe.InitBlockUnaligned(p, 0, (uint)bytes);

        // Words past the free-list link and the slot index (class sizes are multiples of 16, objects 16-aligned).
        // A word loop, not a block fill: small objects are a few words, and under -icount a `rep stosb` costs one
        // instruction per byte (32 B object: +49 instructions per free as a fill, +10 or so as words).
        private static void Poison(byte* obj, uint objectSize)
        {
            ulong* w = (ulong*)obj + 2;
            ulong* end = (ulong*)(obj + objectSize);
            for (; w < end; w++)
                *w = 0xDDDDDDDDDDDDDDDDUL;
        }
    }
}
