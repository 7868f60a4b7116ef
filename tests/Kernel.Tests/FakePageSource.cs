// FakePageSource.cs -- the heap's page source for host tests: SlabBytes-aligned runs carved first-fit out of one
// big aligned native block, with every outstanding run recorded so tests can check what the heap holds.
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace Kernel.Tests;

internal sealed unsafe class FakePageSource : IDisposable
{
    // The heap's page source is a pair of static function pointers; each test thread gets its own source.
    [ThreadStatic] private static FakePageSource t_current;

    private readonly byte* _base;
    private readonly bool[] _used;
    private readonly Dictionary<nuint, nuint> _runs = new();

    public FakePageSource(int chunks)
    {
        _used = new bool[chunks];
        _base = (byte*)NativeMemory.AlignedAlloc((nuint)chunks * SizeClassHeap.SlabBytes, SizeClassHeap.SlabBytes);
        nuint bytes = (nuint)chunks * SizeClassHeap.SlabBytes;
        _mapStorage = NativeMemory.AllocZeroed(HeapBlockMap.StorageBytes(bytes));
        Map = (HeapBlockMap*)NativeMemory.AllocZeroed((nuint)sizeof(HeapBlockMap));
        Map->Initialize((nuint)_base, bytes, _mapStorage);
        t_current = this;
    }

    private readonly void* _mapStorage;

    /// <summary>A block map covering the whole arena (what the kernel builds over all of RAM).</summary>
    public HeapBlockMap* Map { get; }

    public static delegate*<SizeClassHeap*, nuint, void*> AllocRunFn => &AllocRun;
    public static delegate*<SizeClassHeap*, void*, nuint, void> FreeRunFn => &FreeRun;

    public long Calls { get; private set; }
    public int OutstandingRuns => _runs.Count;
    public ulong OutstandingBytes { get { ulong sum = 0; foreach (var r in _runs.Values) sum += r; return sum; } }
    public IReadOnlyDictionary<nuint, nuint> Runs => _runs;
    public List<(nuint Start, nuint Bytes)> Released { get; } = new();
    public bool FailNext { get; set; }

    public byte* Base => _base;
    public nuint Size => (nuint)_used.Length * SizeClassHeap.SlabBytes;

    /// <summary>The start of the outstanding run containing p, or 0.</summary>
    public nuint RunContaining(void* p)
    {
        foreach (var r in _runs)
            if ((nuint)p >= r.Key && (nuint)p < r.Key + r.Value)
                return r.Key;
        return 0;
    }

    private static void* AllocRun(SizeClassHeap* heap, nuint bytes)
    {
        FakePageSource s = t_current;
        s.Calls++;
        Assert.True(bytes > 0 && bytes % SizeClassHeap.SlabBytes == 0, "run size is a multiple of SlabBytes");
        if (s.FailNext)
        {
            s.FailNext = false;
            return null;
        }
        int need = (int)(bytes / SizeClassHeap.SlabBytes);
        for (int start = 0; start + need <= s._used.Length; start++)
        {
            int run = 0;
            while (run < need && !s._used[start + run])
                run++;
            if (run < need)
            {
                start += run;
                continue;
            }
            for (int i = 0; i < need; i++)
                s._used[start + i] = true;
            byte* p = s._base + (nuint)start * SizeClassHeap.SlabBytes;
            s._runs.Add((nuint)p, bytes);
            // Garbage, so "zeroed on allocation" is the heap's doing, not the source's.
            new Span<byte>(p, (int)bytes).Fill(0xA5);
            return p;
        }
        return null;
    }

    private static void FreeRun(SizeClassHeap* heap, void* p, nuint bytes)
    {
        FakePageSource s = t_current;
        s.Calls++;
        Assert.True(s._runs.TryGetValue((nuint)p, out nuint given), "freed run was handed out");
        Assert.Equal(given, bytes);
        s._runs.Remove((nuint)p);
        s.Released.Add(((nuint)p, bytes));
        int first = (int)(((byte*)p - s._base) / SizeClassHeap.SlabBytes);
        for (int i = 0; i < (int)(bytes / SizeClassHeap.SlabBytes); i++)
            s._used[first + i] = false;
        // Poison returned memory: a heap that still used it would trip over this.
        new Span<byte>(p, (int)bytes).Fill(0xDD);
    }

    public void Dispose()
    {
        if (t_current == this)
            t_current = null;
        NativeMemory.AlignedFree(_base);
        NativeMemory.Free(_mapStorage);
        NativeMemory.Free(Map);
    }
}
