// MarkerTests.cs -- the collector's mark phase on the host (Runtime/Internal/Runtime/Marker.cs, GCDesc.cs): objects
// with hand-built MethodTables and GC descriptors in the format ILC emits, traced from conservative and precise
// roots, with mark stacks small enough to overflow; the sweep then frees exactly what was not reachable.
using System.Runtime.InteropServices;
using CsCheck;
using Internal.Runtime;

namespace Kernel.Tests;

public unsafe class MarkerTests
{
    private const int Chunks = 1024;

    // MethodTable flags as the upper 16 bits of the 32-bit flags (MethodTable.Flags).
    private const ushort HasPointers = 0x0100;
    private const ushort HasComponentSize = 0x8000;
    private const ushort Parameterized = 0x0002;

    /// <summary>Native memory holding a GCDesc (words below the MethodTable) and a MethodTable; freed with the test.</summary>
    private sealed class FakeTypes : IDisposable
    {
        private readonly List<nint> _blocks = new();

        public MethodTable* Make(uint baseSize, ushort componentSize, ushort flags, nint[] descWords)
        {
            int below = descWords.Length * 8;
            byte* block = (byte*)NativeMemory.AllocZeroed((nuint)(below + 64));
            _blocks.Add((nint)block);
            var mt = (MethodTable*)(block + below);
            for (int i = 0; i < descWords.Length; i++)
                ((nint*)mt)[-1 - i] = descWords[i];         // descWords[0] = mt[-1], descWords[1] = mt[-2], ...
            mt->BaseSize = baseSize;
            mt->ComponentSize = componentSize;
            mt->Flags = flags;
            return mt;
        }

        public void Dispose()
        {
            foreach (nint b in _blocks)
                NativeMemory.Free((void*)b);
        }
    }

    // class Node { object A; long Data; object B; }: MT, A @8, Data @16, B @24; BaseSize 40 (8-byte header included).
    private static MethodTable* NodeType(FakeTypes types)
        => types.Make(40, 0, HasPointers, new nint[] { 2, 24, 8 - 40, 8, 8 - 40 });

    // object[]: MT, length @8, elements from @16; BaseSize 24, one series of size -BaseSize.
    private static MethodTable* RefArrayType(FakeTypes types)
        => types.Make(24, 8, HasPointers | HasComponentSize | Parameterized, new nint[] { 1, 16, -24 });

    // Pair[] with struct Pair { long N; object L; int S; object R; } (32 bytes): refs at element offsets 8 and 24.
    // Repeating descriptor: count -2, start = 16 + 8, pairs (1 ref, skip 8) and (1 ref, skip 8).
    private static MethodTable* PairArrayType(FakeTypes types)
    {
        nint pair0 = unchecked((nint)((ulong)1 | ((ulong)8 << 32)));
        nint pair1 = pair0;
        return types.Make(24, 32, HasPointers | HasComponentSize | Parameterized, new nint[] { -2, 16 + 8, pair0, pair1 });
    }

    // byte[]: no references, no descriptor.
    private static MethodTable* ByteArrayType(FakeTypes types) => types.Make(24, 1, HasComponentSize | Parameterized, new nint[0]);

    private sealed class World : IDisposable
    {
        public readonly FakePageSource Source = new(Chunks);
        public readonly FakeTypes Types = new();
        public SizeClassHeap* Heap;
        public nuint* Stack;
        // In native memory: the marker hands out pointers to itself (overflow recovery), which the host's moving
        // collector would invalidate if it lived in this object.
        public Marker* Marker;

        public World(int stackCapacity)
        {
            Heap = (SizeClassHeap*)NativeMemory.AllocZeroed((nuint)sizeof(SizeClassHeap));
            Heap->Initialize(FakePageSource.AllocRunFn, FakePageSource.FreeRunFn, map: Source.Map);
            Heap->SetCollected(true);
            Stack = (nuint*)NativeMemory.Alloc((nuint)(stackCapacity * 8));
            Marker = (Marker*)NativeMemory.AllocZeroed((nuint)sizeof(Marker));
            Marker->Initialize(Source.Map, Stack, stackCapacity);
        }

        public byte* New(MethodTable* mt, int length = 0)
        {
            nuint size = mt->BaseSize + (nuint)length * mt->ComponentSize;
            byte* p = (byte*)Heap->Allocate((size + 7) & ~(nuint)7);
            *(MethodTable**)p = mt;
            if (mt->HasComponentSize)
                *(int*)(p + 8) = length;
            return p;
        }

        public void Complete()
        {
            SizeClassHeap* heap = Heap;
            Marker->Complete(&heap, 1);
        }

        public bool Alive(void* obj) => SizeClassHeap.FindObject(Source.Map, (nuint)obj) == obj;

        public void Dispose()
        {
            Heap->ReleaseAll();
            NativeMemory.Free(Heap);
            NativeMemory.Free(Stack);
            NativeMemory.Free(Marker);
            Types.Dispose();
            Source.Dispose();
        }
    }

    private static ref nint Field(byte* obj, int offset) => ref *(nint*)(obj + offset);

    [Fact]
    public void Object_size_counts_components()
    {
        using var w = new World(64);
        byte* bytes = w.New(ByteArrayType(w.Types), 1000);
        byte* refs = w.New(RefArrayType(w.Types), 10);
        Assert.Equal((nuint)1024, GCDesc.ObjectSize(bytes, *(MethodTable**)bytes));
        Assert.Equal((nuint)104, GCDesc.ObjectSize(refs, *(MethodTable**)refs));
    }

    [Fact]
    public void Fields_reference_arrays_and_struct_arrays_are_traced_and_nothing_else()
    {
        using var w = new World(64);
        MethodTable* node = NodeType(w.Types), refs = RefArrayType(w.Types), pairs = PairArrayType(w.Types), bytes = ByteArrayType(w.Types);
        byte* root = w.New(node);
        byte* viaA = w.New(node), viaB = w.New(node), notARef = w.New(node);
        byte* array = w.New(refs, 5), lastElement = w.New(node);
        byte* pairArray = w.New(pairs, 3), left1 = w.New(node), right2 = w.New(node), skipped = w.New(node);
        byte* data = w.New(bytes, 64), pointedToByData = w.New(node);
        byte* garbage = w.New(node);
        Field(root, 8) = (nint)viaA;
        Field(root, 16) = (nint)notARef;                 // the long field: not a reference
        Field(root, 24) = (nint)viaB;
        Field(viaA, 8) = (nint)array;
        Field(array, 16 + 4 * 8) = (nint)lastElement;
        Field(viaB, 8) = (nint)pairArray;
        Field(pairArray, 16 + 32 * 1 + 8) = (nint)left1;     // element 1, L
        Field(pairArray, 16 + 32 * 2 + 24) = (nint)right2;   // element 2, R
        Field(pairArray, 16 + 32 * 0 + 0) = (nint)skipped;   // element 0, N: a long
        Field(pairArray, 16 + 32 * 2 + 16) = (nint)skipped;  // element 2, S and padding
        Field(viaB, 24) = (nint)data;
        *(nint*)(data + 16) = (nint)pointedToByData;          // bytes of a byte[]

        w.Marker->Mark((nuint)root);
        w.Complete();
        Assert.Equal(9ul, w.Marker->MarkedObjects);

        w.Heap->Sweep(out _);
        foreach (nint live in new[] { (nint)root, (nint)viaA, (nint)viaB, (nint)array, (nint)lastElement, (nint)pairArray, (nint)left1, (nint)right2, (nint)data })
            Assert.True(w.Alive((void*)live));
        foreach (nint dead in new[] { (nint)notARef, (nint)skipped, (nint)pointedToByData, (nint)garbage })
            Assert.False(w.Alive((void*)dead));
    }

    [Fact]
    public void Conservative_words_keep_what_they_point_into_and_ignore_the_rest()
    {
        using var w = new World(64);
        MethodTable* node = NodeType(w.Types);
        byte* a = w.New(node), b = w.New(node), c = w.New(node), child = w.New(node);
        Field(b, 24) = (nint)child;
        nuint[] stack = { 0, 42, (nuint)a, (nuint)b + 13, unchecked((nuint)0xDDDDDDDDDDDDDDDDUL), (nuint)w.Source.Base, (nuint)c - 8 };
        fixed (nuint* s = stack)
            w.Marker->ScanConservatively((nuint)s, (nuint)(s + stack.Length));
        w.Complete();
        w.Heap->Sweep(out _);
        Assert.True(w.Alive(a), "an exact pointer");
        Assert.True(w.Alive(b), "an interior pointer");
        Assert.True(w.Alive(child), "traced from an object found conservatively");
        Assert.False(w.Alive(c), "a word just below an object is not inside it");
    }

    [Fact]
    public void A_cycle_is_garbage_unless_rooted()
    {
        using var w = new World(64);
        MethodTable* node = NodeType(w.Types);
        byte* x = w.New(node), y = w.New(node), z = w.New(node);
        Field(x, 8) = (nint)y;
        Field(y, 8) = (nint)z;
        Field(z, 8) = (nint)x;
        w.Complete();
        w.Heap->Sweep(out _);
        Assert.False(w.Alive(x) || w.Alive(y) || w.Alive(z));
    }

    [Fact]
    public void A_long_list_and_a_wide_array_survive_a_tiny_mark_stack()
    {
        using var w = new World(2);
        MethodTable* node = NodeType(w.Types), refs = RefArrayType(w.Types);
        var all = new List<nint>();
        byte* head = null;
        for (int i = 0; i < 500; i++)
        {
            byte* n = w.New(node);
            Field(n, 8) = (nint)head;
            head = n;
            all.Add((nint)n);
        }
        byte* wide = w.New(refs, 300);
        for (int i = 0; i < 300; i++)
        {
            byte* n = w.New(node);
            Field(wide, 16 + 8 * i) = (nint)n;
            all.Add((nint)n);
        }
        w.Marker->Mark((nuint)head);
        w.Marker->Mark((nuint)wide);
        w.Complete();
        Assert.Equal(801ul, w.Marker->MarkedObjects);
        Assert.Equal(0ul, w.Heap->Sweep(out _));
        foreach (nint p in all)
            Assert.True(w.Alive((void*)p));
    }

    [Fact]
    public void Verification_finds_a_reference_to_a_freed_object_and_nothing_in_a_sound_heap()
    {
        using var w = new World(64);
        MethodTable* node = NodeType(w.Types), refs = RefArrayType(w.Types);
        byte* a = w.New(node), b = w.New(node), array = w.New(refs, 3), c = w.New(node), keep = w.New(node);
        Field(a, 8) = (nint)b;
        Field(array, 16 + 16) = (nint)c;
        Field(a, 24) = 0x1000;                        // outside the heap: not the verifier's business
        SizeClassHeap* heap = w.Heap;
        w.Marker->Verify(&heap, 1);
        Assert.Equal(0ul, w.Marker->DanglingReferences);

        Assert.Equal(SizeClassHeap.FreeResult.Freed, w.Heap->Free(c));   // freed while the array still refers to it
        Field(keep, 8) = (nint)b + 8;                 // an interior reference: never valid in a heap field
        w.Marker->Verify(&heap, 1);
        Assert.Equal(2ul, w.Marker->DanglingReferences);
        Assert.True(w.Marker->FirstDanglingTo == (nuint)c || w.Marker->FirstDanglingTo == (nuint)b + 8);
    }

    [Fact]
    public void A_frozen_region_is_walked_by_type_and_its_references_are_traced()
    {
        using var w = new World(64);
        MethodTable* node = NodeType(w.Types), bytes = ByteArrayType(w.Types);
        byte* target = w.New(node), unreferenced = w.New(node);
        // Two frozen objects as ILC lays them out: a zero sync-block word, then the object, rounded up to 8 bytes.
        // A byte[13] (24 + 13 = 37 -> 40 bytes) and a Node whose second reference field points into the heap.
        nint* region = (nint*)NativeMemory.AllocZeroed(16 * 8);
        try
        {
            region[1] = (nint)bytes;
            *(int*)&region[2] = 13;
            region[5] = 0;                                 // the node's sync block (40 bytes after the region start)
            region[6] = (nint)node;
            region[6 + 3] = (nint)target;                  // Node.B at offset 24
            w.Marker->ScanFrozen((nuint)region, (nuint)(region + 11));
            w.Complete();
            Assert.Equal(2ul, w.Marker->FrozenObjects);
            Assert.Equal(0ul, w.Marker->FrozenFallbacks);
            Assert.Equal(1ul, w.Marker->ConservativeWords);       // the region's last word: padding, too small for an object
            w.Heap->Sweep(out _);
            Assert.True(w.Alive(target), "referenced from a frozen object");
            Assert.False(w.Alive(unreferenced));

            // A region that does not follow the layout falls back to a word-by-word scan, which still finds the root.
            region[5] = 1;
            byte* again = w.New(node);
            region[6 + 3] = (nint)again;
            w.Marker->Initialize(w.Source.Map, w.Stack, 64);
            w.Marker->ScanFrozen((nuint)region, (nuint)(region + 11));
            w.Complete();
            Assert.Equal(1ul, w.Marker->FrozenFallbacks);
            w.Heap->Sweep(out _);
            Assert.True(w.Alive(again));
        }
        finally
        {
            NativeMemory.Free(region);
        }
    }

    // ---- Random graphs: the marked set is exactly what a reachability search from the roots finds -------------------

    [Fact]
    public void Random_graphs_mark_exactly_the_reachable_objects()
    {
        var gen = Gen.Select(Gen.Int[1, 300], Gen.Int[1, 40], Gen.Int[0, int.MaxValue]);
        gen.Sample((count, stackCapacity, seed) =>
        {
            var random = new Random(seed);
            using var w = new World(stackCapacity);
            MethodTable* node = NodeType(w.Types), refs = RefArrayType(w.Types);
            var objects = new List<nint>();
            var edges = new List<List<int>>();
            for (int i = 0; i < count; i++)
            {
                bool array = random.Next(4) == 0;
                int length = array ? random.Next(0, 20) : 0;
                objects.Add((nint)(array ? w.New(refs, length) : w.New(node)));
                edges.Add(new List<int>());
            }
            for (int i = 0; i < count; i++)
            {
                byte* obj = (byte*)objects[i];
                bool array = *(MethodTable**)obj == refs;
                int slots = array ? *(int*)(obj + 8) : 2;
                for (int s = 0; s < slots; s++)
                {
                    if (random.Next(3) == 0)
                        continue;
                    int target = random.Next(count);
                    Field(obj, array ? 16 + 8 * s : (s == 0 ? 8 : 24)) = objects[target];
                    edges[i].Add(target);
                }
                if (!array && random.Next(2) == 0)
                    Field(obj, 16) = objects[random.Next(count)];    // the non-reference field: never followed
            }
            var roots = new List<int>();
            for (int r = random.Next(0, 4); r > 0; r--)
                roots.Add(random.Next(count));

            var reachable = new HashSet<int>();
            var queue = new Queue<int>(roots);
            while (queue.Count > 0)
            {
                int i = queue.Dequeue();
                if (reachable.Add(i))
                    foreach (int j in edges[i])
                        queue.Enqueue(j);
            }

            foreach (int r in roots)
                w.Marker->Mark((nuint)objects[r] + (nuint)random.Next(8));
            w.Complete();
            Assert.Equal((ulong)reachable.Count, w.Marker->MarkedObjects);
            w.Heap->Sweep(out _);
            for (int i = 0; i < count; i++)
                Assert.Equal(reachable.Contains(i), w.Alive((void*)objects[i]));
        }, iter: 300, threads: 1);
    }
}
