// SizeClassHeapCollectorTests.cs -- what the heap gives the collector (Runtime/Internal/Runtime/SizeClassHeap.cs):
// address -> live object for conservative roots, mark bits, and the sweep that frees what was not marked.
using CsCheck;
using Internal.Runtime;

namespace Kernel.Tests;

public unsafe class SizeClassHeapCollectorTests
{
    private const int Chunks = 2048;

    private static SizeClassHeap NewHeap(FakePageSource source, bool collected = true, bool poison = false)
    {
        SizeClassHeap heap = default;
        heap.Initialize(FakePageSource.AllocRunFn, FakePageSource.FreeRunFn, poisonFreed: poison, map: source.Map);
        heap.SetCollected(collected);
        return heap;
    }

    [Fact]
    public void The_header_with_both_bitmaps_fits_and_covers_every_slot()
    {
        Assert.True(SizeClassHeap.HeaderStructBytes <= SizeClassHeap.HeaderBytes);
        Assert.True(SizeClassHeap.MarksOffsetMatchesLayout);
        Assert.Equal(0, SizeClassHeap.HeaderBytes % 16);
        Assert.True((SizeClassHeap.SlabBytes - SizeClassHeap.HeaderBytes) / 16 <= SizeClassHeap.MaxSlots);
    }

    [Fact]
    public void Interior_pointers_resolve_to_their_object_and_nothing_else_does()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap(source);
        byte* a = (byte*)heap.Allocate(40);      // class 48
        byte* b = (byte*)heap.Allocate(40);
        byte* large = (byte*)heap.Allocate(100_000);
        HeapBlockMap* map = source.Map;

        Assert.True(SizeClassHeap.FindObject(map, (nuint)a) == a);
        Assert.True(SizeClassHeap.FindObject(map, (nuint)a + 8) == a);
        Assert.True(SizeClassHeap.FindObject(map, (nuint)a + 47) == a, "up to the end of the size class");
        Assert.True(SizeClassHeap.FindObject(map, (nuint)a + 48) == b);
        Assert.True(SizeClassHeap.FindObject(map, (nuint)a - 1) == null, "the slab header");
        Assert.True(SizeClassHeap.FindObject(map, (nuint)b + 48) == null, "a never-used slot");
        Assert.True(SizeClassHeap.FindObject(map, (nuint)large) == large);
        Assert.True(SizeClassHeap.FindObject(map, (nuint)large + 99_999) == large);
        Assert.True(SizeClassHeap.FindObject(map, (nuint)large + 65_000) == large, "a later chunk of the run");
        Assert.True(SizeClassHeap.FindObject(map, (nuint)large - 8) == null, "the large block's header");
        foreach (nuint junk in new nuint[] { 0, 8, unchecked((nuint)0xDDDDDDDDDDDDDDDDUL), nuint.MaxValue, (nuint)source.Base + source.Size })
            Assert.True(SizeClassHeap.FindObject(map, junk) == null);

        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(a));
        Assert.True(SizeClassHeap.FindObject(map, (nuint)a + 8) == null, "a freed slot");
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(large));
        Assert.True(SizeClassHeap.FindObject(map, (nuint)large) == null, "a released run");
    }

    [Fact]
    public void A_slot_reused_from_the_free_list_is_allocated_again()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap(source);
        byte* keep = (byte*)heap.Allocate(64);
        byte* p = (byte*)heap.Allocate(64);
        heap.Free(p);
        byte* q = (byte*)heap.Allocate(64);
        Assert.True(p == q);
        Assert.True(SizeClassHeap.FindObject(source.Map, (nuint)q + 3) == q);
        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free(q));
        Assert.Equal(SizeClassHeap.FreeResult.DoubleFree, heap.Free(q));
        Assert.True(SizeClassHeap.FindObject(source.Map, (nuint)keep) == keep);
    }

    [Fact]
    public void Mark_is_set_once_and_only_for_collected_heaps()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap(source);
        SizeClassHeap raw = NewHeap(source, collected: false);
        byte* a = (byte*)heap.Allocate(100);
        byte* r = (byte*)raw.Allocate(100);
        Assert.True(SizeClassHeap.TryMark(source.Map, (nuint)a + 30, out byte* obj));
        Assert.True(obj == a);
        Assert.True(SizeClassHeap.IsMarked(source.Map, a));
        Assert.False(SizeClassHeap.TryMark(source.Map, (nuint)a, out _), "already marked");
        Assert.False(SizeClassHeap.TryMark(source.Map, (nuint)r, out _), "a raw heap's block is not an object");
        Assert.False(SizeClassHeap.TryMark(source.Map, 12345, out _));
    }

    [Fact]
    public void Sweep_frees_exactly_the_unmarked_objects_and_clears_the_marks()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap(source, poison: true);
        var objects = new List<nint>();
        for (int i = 0; i < 3000; i++)
            objects.Add((nint)heap.Allocate((nuint)(16 + i % 200)));
        byte* large1 = (byte*)heap.Allocate(50_000), large2 = (byte*)heap.Allocate(70_000);
        var kept = new HashSet<nint>();
        for (int i = 0; i < objects.Count; i += 7)
        {
            new Span<byte>((void*)objects[i], 16).Fill(0x42);
            Assert.True(SizeClassHeap.TryMark(source.Map, (nuint)objects[i], out _));
            kept.Add(objects[i]);
        }
        Assert.True(SizeClassHeap.TryMark(source.Map, (nuint)large1 + 1234, out _));
        ulong slabsBefore = heap.BytesFromPages;

        ulong freed = heap.Sweep(out ulong freedBytes);

        Assert.Equal((ulong)(objects.Count - kept.Count + 1), freed);
        Assert.Equal((ulong)(kept.Count + 1), heap.LiveObjects);
        Assert.True(freedBytes > 0);
        Assert.True(heap.BytesFromPages < slabsBefore, "emptied slabs and the dead large block went back");
        foreach (nint p in objects)
        {
            bool live = SizeClassHeap.FindObject(source.Map, (nuint)p) == (void*)p;
            Assert.Equal(kept.Contains(p), live);
            if (kept.Contains(p))
            {
                Assert.True(new Span<byte>((void*)p, 16).IndexOfAnyExcept((byte)0x42) < 0, "a survivor is untouched");
                Assert.False(SizeClassHeap.IsMarked(source.Map, (void*)p), "marks are cleared");
            }
        }
        Assert.True(SizeClassHeap.FindObject(source.Map, (nuint)large1) == large1);
        Assert.True(SizeClassHeap.FindObject(source.Map, (nuint)large2) == null);

        // Nothing marked: the next sweep frees the rest, and only cached slabs stay.
        heap.Sweep(out _);
        Assert.Equal(0ul, heap.LiveObjects);
        Assert.Equal(0ul, heap.BytesInUse);
        for (int i = 0; i < SizeClassHeap.NumClasses; i++)
            Assert.True(heap.SlabCount(i) <= 1);
        Assert.Equal(source.OutstandingBytes, heap.BytesFromPages);
    }

    [Fact]
    public void A_full_slab_with_survivors_takes_allocations_again_after_a_sweep()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap(source);
        const int size = 1024;
        int perSlab = (SizeClassHeap.SlabBytes - SizeClassHeap.HeaderBytes) / size;
        var first = new List<nint>();
        for (int i = 0; i < perSlab; i++)
            first.Add((nint)heap.Allocate(size));
        Assert.True(SizeClassHeap.TryMark(source.Map, (nuint)first[0], out _));
        heap.Sweep(out _);
        int classIndex = SizeClassHeap.ClassIndex(size);
        Assert.Equal(1ul, heap.SlabCount(classIndex));
        for (int i = 1; i < perSlab; i++)
            Assert.True(first.Contains((nint)heap.Allocate(size)), "freed slots of the once-full slab are reused");
        Assert.Equal(1ul, heap.SlabCount(classIndex));
    }

    [Fact]
    public void ForEachMarked_visits_every_marked_object_once()
    {
        using var source = new FakePageSource(Chunks);
        SizeClassHeap heap = NewHeap(source);
        var marked = new HashSet<nint>();
        for (int i = 0; i < 500; i++)
        {
            nint p = (nint)heap.Allocate((nuint)(i * 37 % 3000 + 1));
            if (i % 3 == 0 && SizeClassHeap.TryMark(source.Map, (nuint)p, out _))
                marked.Add(p);
        }
        s_visited = new List<nint>();
        heap.ForEachMarked(null, &Visit);
        Assert.Equal(marked.Count, s_visited.Count);
        Assert.True(marked.SetEquals(s_visited));
    }

    [ThreadStatic] private static List<nint> s_visited;

    private static void Visit(void* context, byte* obj) => s_visited.Add((nint)obj);

    // ---- Model: random allocations, frees, marks and sweeps against a set of what should be live -------------------

    public readonly record struct Op(int Kind, int Size, int Pick)
    {
        public override string ToString() => Kind switch { 0 => "alloc(" + Size + ")", 1 => "free(" + Pick + ")", 2 => "mark(" + Pick + ")", _ => "sweep" };
    }

    private static readonly Gen<Op> GenOp = Gen.Frequency(
        (10, Gen.Int[1, 2500].Select(s => new Op(0, s, 0))),
        (1, Gen.Int[2501, 60000].Select(s => new Op(0, s, 0))),
        (3, Gen.Int[0, 1 << 20].Select(i => new Op(1, 0, i))),
        (6, Gen.Int[0, 1 << 20].Select(i => new Op(2, 0, i))),
        (1, Gen.Const(new Op(3, 0, 0))));

    [Fact]
    public void Random_mark_and_sweep_sequences_match_the_model()
    {
        GenOp.Array[1, 400].Sample(ops =>
        {
            using var source = new FakePageSource(Chunks);
            SizeClassHeap heap = NewHeap(source);
            var live = new List<(nint Ptr, int Size, byte Pattern)>();
            var marked = new HashSet<nint>();
            byte pattern = 1;
            foreach (Op op in ops)
            {
                switch (op.Kind)
                {
                    case 0:
                        byte* p = (byte*)heap.Allocate((nuint)op.Size);
                        Assert.True(p != null);
                        Assert.True(SizeClassHeap.FindObject(source.Map, (nuint)p + (nuint)op.Size - 1) == p);
                        new Span<byte>(p, op.Size).Fill(pattern);
                        live.Add(((nint)p, op.Size, pattern++));
                        break;
                    case 1 when live.Count > 0:
                        var f = live[op.Pick % live.Count];
                        live.Remove(f);
                        marked.Remove(f.Ptr);
                        Assert.Equal(SizeClassHeap.FreeResult.Freed, heap.Free((void*)f.Ptr));
                        break;
                    case 2 when live.Count > 0:
                        var m = live[op.Pick % live.Count];
                        bool first = SizeClassHeap.TryMark(source.Map, (nuint)m.Ptr + (nuint)(op.Pick % m.Size), out byte* obj);
                        Assert.Equal(!marked.Contains(m.Ptr), first);
                        Assert.True(obj == (byte*)m.Ptr);
                        marked.Add(m.Ptr);
                        break;
                    case 3:
                        heap.Sweep(out _);
                        live.RemoveAll(b => !marked.Contains(b.Ptr));
                        marked.Clear();
                        break;
                }
                Assert.Equal((ulong)live.Count, heap.LiveObjects);
                Assert.Equal(source.OutstandingBytes, heap.BytesFromPages);
            }
            foreach (var b in live)
            {
                Assert.True(SizeClassHeap.FindObject(source.Map, (nuint)b.Ptr) == (void*)b.Ptr);
                Assert.True(new Span<byte>((void*)b.Ptr, b.Size).IndexOfAnyExcept(b.Pattern) < 0, "live contents intact");
            }
            heap.Sweep(out _);
            heap.Sweep(out _);
            Assert.Equal(0ul, heap.LiveObjects);
            Assert.True(source.OutstandingRuns <= SizeClassHeap.NumClasses);
        }, iter: 200, threads: 1);
    }
}
