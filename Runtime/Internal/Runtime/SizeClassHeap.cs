// SizeClassHeap.cs -- the kernel heap: size-class slabs for small objects, whole page runs for large ones.
//
// Design (why it looks like this):
// - Every slab and every large block is a 16 KiB-aligned run of pages with a 128-byte header at its start, so
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
// - Freed objects are stamped with a marker; a second free of a stamped object is confirmed against the free list
//   and reported as a double free instead of corrupting the list.
// - With poisonFreed (the kernel's heaps), the rest of a freed small object is filled with 0xDD: there is no
//   collector, so a use after free reads the same garbage every time (a string's characters become U+DDDD, a
//   reference field 0xDDDDDDDDDDDDDDDD, which faults when followed) instead of stale data that looks fine until
//   the slot is reused. Large blocks go back to the page allocator at once and are not poisoned.
// The heap only sees a page source (two function pointers), so the same file is unit-tested on the host. A heap's
// address must not change once it has blocks (they point back to it): heaps live in static or unmanaged memory.
using System;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public unsafe struct SizeClassHeap
    {
        public const int SlabBytes = 16 * 1024;
        public const int HeaderBytes = 128;
        public const int MaxSmallSize = 2048;
        public const int NumClasses = 24;   // 8 classes of 16..128, then 4 per power of two up to 2048
        private const uint SlabMagic = 0x534C4142;   // "SLAB"
        private const uint LargeMagic = 0x4C524745;  // "LRGE"
        private const ulong FreeMark = 0xF4EEF4EEF4EEF4EEUL;
        public const byte PoisonByte = 0xDD;

        /// <summary>Header at the start of every slab or large block.</summary>
        private struct BlockHeader
        {
            public uint Magic;
            public ushort ClassIndex;
            public ushort InUse;
            public uint ObjectSize;
            public uint BumpOffset;       // next never-used byte offset within the slab
            public byte* FreeList;
            public BlockHeader* Next;     // per-class list of slabs with free space
            public BlockHeader* Prev;
            public ulong Bytes;           // large blocks: total bytes of the page run
            public SizeClassHeap* Heap;   // the heap the block belongs to
            public BlockHeader* AllNext;  // every block of the heap (for ReleaseAll)
            public BlockHeader* AllPrev;
        }

        private fixed ulong _partial[NumClasses];      // BlockHeader* heads of slabs with free space
        private fixed ulong _slabCount[NumClasses];
        private BlockHeader* _allBlocks;
        private delegate*<SizeClassHeap*, nuint, void*> _allocRun;      // bytes (multiple of SlabBytes) -> SlabBytes-aligned memory or null
        private delegate*<SizeClassHeap*, void*, nuint, void> _freeRun;

        /// <summary>Opaque to the heap: who owns it (the kernel stores the owning world here).</summary>
        public void* Owner;

        public ulong BytesInUse;        // bytes handed out (rounded to the size class)
        public ulong BytesFromPages;    // bytes of page runs held by the heap
        public ulong Allocations;
        public ulong Frees;
        public ulong LiveObjects;
        public ulong FailedAllocations;

        /// <param name="runsAreZeroed">The page source hands out zeroed memory (the kernel's does): memory never used
        /// since then (a large block, the untouched tail of a slab) is not zeroed a second time.</param>
        /// <param name="poisonFreed">Fill freed small objects past the free-list link and the free mark with
        /// <see cref="PoisonByte"/>, so a use after free reads garbage consistently (debug aid; costs one fill per free).</param>
        public void Initialize(delegate*<SizeClassHeap*, nuint, void*> allocRun, delegate*<SizeClassHeap*, void*, nuint, void> freeRun, void* owner = null, bool runsAreZeroed = false, bool poisonFreed = false)
        {
            this = default;
            _allocRun = allocRun;
            _freeRun = freeRun;
            Owner = owner;
            _runsAreZeroed = runsAreZeroed;
            _poisonFreed = poisonFreed;
        }

        private bool _runsAreZeroed;
        private bool _poisonFreed;

        private SizeClassHeap* Self => (SizeClassHeap*)Unsafe.AsPointer(ref this);

        private BlockHeader* NewBlock(nuint bytes)
        {
            BlockHeader* block = (BlockHeader*)_allocRun(Self, bytes);
            if (block == null)
                return null;
            *block = default;
            block->Heap = Self;
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
            bool pristine = false;
            if (slab->FreeList != null)
            {
                obj = slab->FreeList;
                slab->FreeList = *(byte**)obj;
            }
            else
            {
                obj = (byte*)slab + slab->BumpOffset;
                slab->BumpOffset += slab->ObjectSize;
                pristine = _runsAreZeroed;
            }
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
            block->Bytes = bytes;
            block->InUse = 1;
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
        private static BlockHeader* FindBlock(void* p, out bool large)
        {
            BlockHeader* block = (BlockHeader*)((nuint)p & ~(nuint)(SlabBytes - 1));
            large = block->Magic == LargeMagic;
            if (large)
                return (byte*)p == (byte*)block + HeaderBytes ? block : null;
            if (block->Magic != SlabMagic)
                return null;
            nuint offset = (nuint)((byte*)p - (byte*)block);
            if (offset < HeaderBytes || offset >= block->BumpOffset || (offset - HeaderBytes) % block->ObjectSize != 0)
                return null;
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
        public static FreeResult FreeAnywhere(void* p)
        {
            BlockHeader* block = FindBlock(p, out _);
            if (block == null || block->Heap == null)
                return FreeResult.NotHeapPointer;
            return block->Heap->Free(p);
        }

        public FreeResult Free(void* p)
        {
            BlockHeader* block = FindBlock(p, out bool large);
            if (block == null)
                return FreeResult.NotHeapPointer;
            if (block->Heap != Self)
                return block->Heap == null ? FreeResult.NotHeapPointer : block->Heap->Free(p);
            if (large)
            {
                if (block->InUse == 0)
                    return FreeResult.DoubleFree;
                block->InUse = 0;
                ulong bytes = block->Bytes;
                BytesInUse -= bytes - HeaderBytes;
                ReleaseBlock(block, (nuint)bytes);
            }
            else
            {
                byte* obj = (byte*)p;
                if (((ulong*)obj)[1] == FreeMark && IsOnFreeList(block, obj))
                    return FreeResult.DoubleFree;
                int classIndex = block->ClassIndex;
                bool wasFull = block->FreeList == null && block->BumpOffset + block->ObjectSize > SlabBytes;
                *(byte**)obj = block->FreeList;
                if (block->ObjectSize >= 16)
                    ((ulong*)obj)[1] = FreeMark;
                if (_poisonFreed)
                    Poison(obj, block->ObjectSize);
                block->FreeList = obj;
                block->InUse--;
                BytesInUse -= block->ObjectSize;
                if (wasFull)
                    Push(block, classIndex);
                if (block->InUse == 0 && _slabCount[classIndex] > 1)
                    ReleaseSlab(block, classIndex);
            }
            Frees++;
            LiveObjects--;
            return FreeResult.Freed;
        }

        private static bool IsOnFreeList(BlockHeader* block, byte* obj)
        {
            for (byte* f = block->FreeList; f != null; f = *(byte**)f)
                if (f == obj)
                    return true;
            return false;
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

        private static void Zero(byte* p, nuint bytes) => Unsafe.InitBlockUnaligned(p, 0, (uint)bytes);

        // Words past the free-list link and the free mark (class sizes are multiples of 16, objects 16-aligned).
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
