// SizeClassHeapTests.cs -- the kernel heap (Runtime/Internal/Runtime/SizeClassHeap.cs) over a fake page source:
// size classes, zeroing, double-free and foreign-pointer reports, page return, and a model-based property test.
using System.Runtime.InteropServices;
using CsCheck;
using Internal.Runtime;

namespace Kernel.Tests;

public unsafe class SizeClassHeapTests
{
    private const int Chunks = 2048;   // 32 MiB of fake pages

    private static SizeClassHeap NewHeap()
    {
        SizeClassHeap heap = default;
        heap.Initialize(FakePageSource.AllocRunFn, FakePageSource.FreeRunFn);
        return heap;
    }

    /// <summary>The size classes as designed (16-byte steps to 128, then four per power of two up to 2 KiB), written
    /// out here so the model does not take them from the heap it checks.</summary>
    private static readonly uint[] s_classSizes =
        [16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048];

    /// <summary>What the heap should charge for a request: the smallest class that fits it, or the large block's page
    /// run minus the header.</summary>
    private static ulong Charged(nuint size)
    {
        if (size <= SizeClassHeap.MaxSmallSize)
            return s_classSizes.First(c => c >= size);
        ulong run = ((ulong)size + SizeClassHeap.HeaderBytes + SizeClassHeap.SlabBytes - 1) & ~(ulong)(SizeClassHeap.SlabBytes - 1);
        return run - SizeClassHeap.HeaderBytes;
    }

    [Fact]
    public void Size_classes_are_the_designed_ones()
    {
        Assert.Equal(s_classSizes, Enumerable.Range(0, SizeClassHeap.NumClasses).Select(SizeClassHeap.ClassSize));
    }

    [Fact]
    public void Size_classes_cover_every_small_size_and_stay_in_range()
    {
        uint previous = 0;
        for (int i = 0; i < SizeClassHeap.NumClasses; i++)
        {
            uint size = SizeClassHeap.ClassSize(i);
            Assert.True(size > previous, "class sizes increase");
            Assert.True(size % 16 == 0, "class sizes keep 16-byte alignment");
            previous = size;
        }
        Assert.Equal((uint)SizeClassHeap.MaxSmallSize, SizeClassHeap.ClassSize(SizeClassHeap.NumClasses - 1));
        for (nuint size = 0; size <= SizeClassHeap.MaxSmallSize; size++)
        {
            int index = SizeClassHeap.ClassIndex(size);
            Assert.InRange(index, 0, SizeClassHeap.NumClasses - 1);
            Assert.True(SizeClassHeap.ClassSize(index) >= size);
            if (index > 0)
                Assert.True(SizeClassHeap.ClassSize(index - 1) < size, "smallest class that fits");
        }
    }

    [Fact]
    public void Small_allocation_is_zeroed_aligned_and_usable()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        byte* p = (byte*)heap.Allocate(32);
        Assert.True(p != null);
        Assert.Equal(0u, (nuint)p % 16);
        Assert.Equal((nuint)32, SizeClassHeap.UsableSize(p));
        for (int i = 0; i < 32; i++)
            Assert.Equal(0, p[i]);
        Assert.Equal(32ul, heap.BytesInUse);
        Assert.Equal(1ul, heap.LiveObjects);
        Assert.Equal((ulong)SizeClassHeap.SlabBytes, heap.BytesFromPages);
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(p));
        Assert.Equal(0ul, heap.BytesInUse);
        Assert.Equal(0ul, heap.LiveObjects);
    }

    [Fact]
    public void Reused_object_is_zeroed_again()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        byte* p = (byte*)heap.Allocate(48);
        new Span<byte>(p, 48).Fill(0x5A);
        heap.Free(p);
        byte* q = (byte*)heap.Allocate(48);
        Assert.True(p == q, "the free list hands back the freed object first");
        Assert.True(new Span<byte>(q, 48).IndexOfAnyExcept((byte)0) < 0, "zeroed on reallocation");
    }

    [Fact]
    public void Poisoned_heap_fills_freed_objects_and_still_zeroes_on_reuse()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = default;
        heap.Initialize(FakePageSource.AllocRunFn, FakePageSource.FreeRunFn, poisonFreed: true);
        void* keep = heap.Allocate(96);     // keeps the slab alive
        byte* p = (byte*)heap.Allocate(96);
        new Span<byte>(p, 96).Fill(0x5A);
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(p));
        Assert.True(new Span<byte>(p + 16, 80).IndexOfAnyExcept(SizeClassHeap.PoisonByte) < 0, "past link and mark: poison");
        Assert.Equal(SizeClassHeap.FreeResult.DoubleFree, heap.Free(p));
        byte* q = (byte*)heap.Allocate(96);
        Assert.True(p == q, "the free list hands back the freed object first");
        Assert.True(new Span<byte>(q, 96).IndexOfAnyExcept((byte)0) < 0, "zeroed on reallocation");
        heap.Free(q);
        heap.Free(keep);
    }

    [Fact]
    public void Double_free_of_small_object_is_reported_and_changes_nothing()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        void* keep = heap.Allocate(64);     // keeps the slab alive
        void* p = heap.Allocate(64);
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(p));
        ulong bytes = heap.BytesInUse, live = heap.LiveObjects, frees = heap.Frees;
        Assert.Equal(SizeClassHeap.FreeResult.DoubleFree, heap.Free(p));
        Assert.Equal(bytes, heap.BytesInUse);
        Assert.Equal(live, heap.LiveObjects);
        Assert.Equal(frees, heap.Frees);
        // The free list is intact: the next two allocations are distinct.
        void* a = heap.Allocate(64);
        void* b = heap.Allocate(64);
        Assert.True(a != b && a != keep && b != keep);
    }

    [Fact]
    public void Live_object_that_looks_freed_is_still_freed()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        ulong* p = (ulong*)heap.Allocate(16);
        p[1] = 0xF4EEF4EEF4EEF4EEUL;     // the free marker, written by a user: not on the free list
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(p));
    }

    [Fact]
    public void Foreign_and_interior_pointers_are_reported()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        byte* p = (byte*)heap.Allocate(100);
        byte* large = (byte*)heap.Allocate(50000);
        byte* foreign = (byte*)NativeMemory.AlignedAlloc(SizeClassHeap.SlabBytes, SizeClassHeap.SlabBytes);
        try
        {
            new Span<byte>(foreign, SizeClassHeap.SlabBytes).Clear();
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(foreign + 256));
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(p + 1));
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(p + 8));
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(p - 64));               // the slab header
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(p + 2 * 112));          // never handed out
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(large + 16));
            Assert.Equal(SizeClassHeap.FreeResult.NotHeapPointer, heap.Free(large - SizeClassHeap.HeaderBytes));
            Assert.Equal((nuint)0, SizeClassHeap.UsableSize(p + 1));
            Assert.Equal((nuint)0, SizeClassHeap.UsableSize(foreign + 64));
            Assert.Equal(2ul, heap.LiveObjects);
            Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(p));
            Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(large));
        }
        finally
        {
            NativeMemory.AlignedFree(foreign);
        }
    }

    [Theory]
    [InlineData(2049)]
    [InlineData(SizeClassHeap.SlabBytes - SizeClassHeap.HeaderBytes)]
    [InlineData(SizeClassHeap.SlabBytes - SizeClassHeap.HeaderBytes + 1)]
    [InlineData(1 << 20)]
    public void Large_allocation_gets_its_own_run_and_gives_it_back(int size)
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        byte* p = (byte*)heap.Allocate((nuint)size);
        Assert.True(p != null);
        Assert.Equal(1, source.OutstandingRuns);
        Assert.Equal(Charged((nuint)size), (ulong)SizeClassHeap.UsableSize(p));
        Assert.Equal(Charged((nuint)size), heap.BytesInUse);
        Assert.Equal(Charged((nuint)size) + SizeClassHeap.HeaderBytes, heap.BytesFromPages);
        Assert.True(new Span<byte>(p, size).IndexOfAnyExcept((byte)0) < 0, "zeroed");
        new Span<byte>(p, (int)SizeClassHeap.UsableSize(p)).Fill(0x77);
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(p));
        Assert.Equal(0, source.OutstandingRuns);
        Assert.Equal(0ul, heap.BytesFromPages);
        Assert.Equal(0ul, heap.BytesInUse);
        // The run went back to the source, so a second free finds no heap block there.
        Assert.NotEqual(SizeClassHeap.FreeResult.Freed, heap.Free(p));
    }

    [Fact]
    public void Absurd_size_and_exhausted_source_fail_with_null()
    {
        using var source = new FakePageSource(4);
        SizeClassHeap heap = NewHeap();
        Assert.True(heap.Allocate(((nuint)1 << 40) + 1) == null);
        Assert.True(heap.Allocate(5 * SizeClassHeap.SlabBytes) == null);
        source.FailNext = true;
        Assert.True(heap.Allocate(16) == null);
        Assert.Equal(3ul, heap.FailedAllocations);
        Assert.Equal(0ul, heap.LiveObjects);
        Assert.True(heap.Allocate(16) != null, "recovers once the source has pages again");
    }

    [Fact]
    public void Filling_a_slab_moves_to_a_new_one_and_empty_slabs_go_back()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        const int size = 1024;
        int perSlab = (SizeClassHeap.SlabBytes - SizeClassHeap.HeaderBytes) / size;
        var ptrs = new List<nint>();
        for (int i = 0; i < perSlab * 3 + 1; i++)
            ptrs.Add((nint)heap.Allocate(size));
        int classIndex = SizeClassHeap.ClassIndex(size);
        Assert.Equal(4ul, heap.SlabCount(classIndex));
        foreach (nint p in ptrs)
            Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free((void*)p));
        Assert.Equal(1ul, heap.SlabCount(classIndex));
        Assert.Equal(1, source.OutstandingRuns);
        Assert.Equal((ulong)SizeClassHeap.SlabBytes, heap.BytesFromPages);
    }

    [Fact]
    public void Every_class_keeps_its_own_slabs()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap();
        var ptrs = new List<nint>();
        for (int i = 0; i < SizeClassHeap.NumClasses; i++)
            ptrs.Add((nint)heap.Allocate(SizeClassHeap.ClassSize(i)));
        for (int i = 0; i < SizeClassHeap.NumClasses; i++)
        {
            Assert.Equal(1ul, heap.SlabCount(i));
            Assert.Equal((nuint)SizeClassHeap.ClassSize(i), SizeClassHeap.UsableSize((void*)ptrs[i]));
        }
        Assert.Equal(SizeClassHeap.NumClasses, source.OutstandingRuns);
    }

    // ---- Model-based property test ----------------------------------------------------------------------------

    public readonly record struct Op(bool Alloc, int Size, int Pick, bool DoubleFree)
    {
        public override string ToString() => DoubleFree ? "dfree(" + Pick + ")" : Alloc ? "alloc(" + Size + ")" : "free(" + Pick + ")";
    }

    private static readonly Gen<int> SmallSize = Gen.Frequency(
        (6, Gen.Int[0, 128]),
        (4, Gen.Int[129, SizeClassHeap.MaxSmallSize]));

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (10, SmallSize.Select(s => new Op(true, s, 0, false))),
        (1, Gen.Int[SizeClassHeap.MaxSmallSize + 1, 70000].Select(s => new Op(true, s, 0, false))),
        (9, Gen.Int[0, 1 << 20].Select(i => new Op(false, 0, i, false))),
        (1, Gen.Int[0, 1 << 20].Select(i => new Op(false, 0, i, true))));

    private sealed class Block
    {
        public nint Ptr;
        public int Size;
        public byte Pattern;
    }

    [Fact]
    public void Random_allocate_free_sequences_match_the_model()
    {
        GenOp.Array[1, 600].Sample(ops =>
        {
            using var source = new FakePageSource(Chunks);
            SizeClassHeap heap = NewHeap();
            var live = new List<Block>();
            var freed = new List<nint>();       // freed small objects whose slab the heap has held ever since
            ulong allocations = 0, frees = 0, bytes = 0;
            byte pattern = 1;

            foreach (Op op in ops)
            {
                if (op.Alloc)
                {
                    byte* p = (byte*)heap.Allocate((nuint)op.Size);
                    Assert.True(p != null, "allocation succeeds");
                    Assert.Equal(0u, (nuint)p % 16);
                    Assert.True(SizeClassHeap.UsableSize(p) >= (nuint)op.Size);
                    Assert.True(new Span<byte>(p, op.Size).IndexOfAnyExcept((byte)0) < 0, "zeroed on allocation");
                    foreach (Block b in live)
                        Assert.True((nint)p + op.Size <= b.Ptr || b.Ptr + b.Size <= (nint)p || op.Size == 0 && b.Ptr != (nint)p,
                            "no overlap with a live block");
                    freed.Remove((nint)p);
                    var block = new Block { Ptr = (nint)p, Size = op.Size, Pattern = pattern++ };
                    new Span<byte>(p, op.Size).Fill(block.Pattern);
                    live.Add(block);
                    allocations++;
                    bytes += Charged((nuint)op.Size);
                }
                else if (op.DoubleFree)
                {
                    if (freed.Count == 0)
                        continue;
                    Assert.Equal(SizeClassHeap.FreeResult.DoubleFree, heap.Free((void*)freed[op.Pick % freed.Count]));
                }
                else
                {
                    if (live.Count == 0)
                        continue;
                    Block b = live[op.Pick % live.Count];
                    live.Remove(b);
                    Assert.True(new Span<byte>((void*)b.Ptr, b.Size).IndexOfAnyExcept(b.Pattern) < 0, "contents intact until freed");
                    bool small = b.Size <= SizeClassHeap.MaxSmallSize;
                    Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free((void*)b.Ptr));
                    frees++;
                    bytes -= Charged((nuint)b.Size);
                    if (small)
                        freed.Add(b.Ptr);
                }
                // Pointers in runs the heap gave back are no longer its business (use after free, undetectable).
                if (source.Released.Count > 0)
                {
                    freed.RemoveAll(f => source.Released.Exists(r => (nuint)f >= r.Start && (nuint)f < r.Start + r.Bytes));
                    source.Released.Clear();
                }
                Assert.Equal(bytes, heap.BytesInUse);
                Assert.Equal((ulong)live.Count, heap.LiveObjects);
                Assert.Equal(allocations, heap.Allocations);
                Assert.Equal(frees, heap.Frees);
                Assert.Equal(source.OutstandingBytes, heap.BytesFromPages);
            }

            foreach (Block b in live)
            {
                Assert.True(new Span<byte>((void*)b.Ptr, b.Size).IndexOfAnyExcept(b.Pattern) < 0, "contents intact at the end");
                Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free((void*)b.Ptr));
            }
            Assert.Equal(0ul, heap.BytesInUse);
            Assert.Equal(0ul, heap.LiveObjects);
            Assert.Equal(source.OutstandingBytes, heap.BytesFromPages);
            // Everything is back except at most one cached (empty) slab per class.
            for (int i = 0; i < SizeClassHeap.NumClasses; i++)
                Assert.True(heap.SlabCount(i) <= 1, "at most one cached slab per class");
            foreach (var run in source.Runs)
                Assert.Equal((nuint)SizeClassHeap.SlabBytes, run.Value);
            Assert.True(source.OutstandingRuns <= SizeClassHeap.NumClasses);
        }, iter: 300, threads: 1);
    }
}

public unsafe class SizeClassHeapOwnershipTests
{
    [Fact]
    public void ObjectsAreFreedIntoTheHeapTheyCameFromAndReleaseAllEmptiesAHeap()
    {
        using var source = new FakePageSource(64);
        var heaps = (SizeClassHeap*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)(2 * sizeof(SizeClassHeap)));
        try
        {
            SizeClassHeap* a = heaps, b = heaps + 1;
            a->Initialize(FakePageSource.AllocRunFn, FakePageSource.FreeRunFn, (void*)1);
            b->Initialize(FakePageSource.AllocRunFn, FakePageSource.FreeRunFn, (void*)2);
            void* small = b->Allocate(40);
            void* large = b->Allocate(100_000);
            for (int i = 0; i < 500; i++)
                b->Allocate((nuint)(i % 300 + 1));
            Assert.True(SizeClassHeap.HeapOf(small) == b);
            Assert.Equal(SizeClassHeap.FreeResult.Freed, a->Free(small));        // routed to b
            Assert.Equal(SizeClassHeap.FreeResult.Freed, SizeClassHeap.FreeAnywhere(large));
            Assert.Equal(SizeClassHeap.FreeResult.DoubleFree, SizeClassHeap.FreeAnywhere(small));
            Assert.True(b->BytesFromPages > 0);
            b->ReleaseAll();
            Assert.Equal(0UL, b->BytesFromPages);
            Assert.Equal(0UL, b->BytesInUse);
            Assert.Equal(0, source.OutstandingRuns);
            void* again = b->Allocate(40);                                        // still usable afterwards
            Assert.True(again != null);
            b->ReleaseAll();
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(heaps);
        }
    }
}
