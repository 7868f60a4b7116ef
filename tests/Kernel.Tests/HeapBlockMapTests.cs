// HeapBlockMapTests.cs -- the address -> heap block side table (Runtime/Internal/Runtime/HeapBlockMap.cs): any
// address resolves safely, large runs resolve from every chunk, released blocks stop resolving.
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace Kernel.Tests;

public unsafe class HeapBlockMapTests
{
    private const int Chunks = 64;

    private static (HeapBlockMap map, nuint arena, nint storage) NewMap()
    {
        nuint bytes = (nuint)Chunks * SizeClassHeap.SlabBytes;
        void* storage = NativeMemory.Alloc(HeapBlockMap.StorageBytes(bytes));
        new Span<byte>(storage, (int)HeapBlockMap.StorageBytes(bytes)).Fill(0xA5);   // Initialize must clear it
        HeapBlockMap map = default;
        const nuint arena = 0x4000_0000;   // addresses only: the map never reads the memory it describes
        map.Initialize(arena, bytes, storage);
        return (map, arena, (nint)storage);
    }

    [Fact]
    public void Storage_is_four_bytes_per_chunk()
    {
        Assert.Equal((nuint)4, HeapBlockMap.StorageBytes(1));
        Assert.Equal((nuint)4, HeapBlockMap.StorageBytes(SizeClassHeap.SlabBytes));
        Assert.Equal((nuint)(4 * 65536), HeapBlockMap.StorageBytes((nuint)1 << 30));
    }

    [Fact]
    public void Nothing_resolves_until_registered_and_any_address_is_safe()
    {
        var (map, arena, storage) = NewMap();
        try
        {
            foreach (nuint a in new nuint[] { 0, 1, arena - 1, arena, arena + 100, arena + (nuint)Chunks * SizeClassHeap.SlabBytes, nuint.MaxValue })
                Assert.True(map.BlockOf(a) == null);
        }
        finally
        {
            NativeMemory.Free((void*)storage);
        }
    }

    [Fact]
    public void A_large_run_resolves_from_every_chunk_and_stops_when_released()
    {
        var (map, arena, storage) = NewMap();
        try
        {
            byte* slab = (byte*)(arena + 2 * SizeClassHeap.SlabBytes);
            byte* run = (byte*)(arena + 10 * SizeClassHeap.SlabBytes);
            nuint runBytes = 5 * SizeClassHeap.SlabBytes;
            Assert.True(map.Register(slab, SizeClassHeap.SlabBytes));
            Assert.True(map.Register(run, runBytes));
            Assert.True(map.BlockOf((nuint)slab) == slab);
            Assert.True(map.BlockOf((nuint)slab + SizeClassHeap.SlabBytes - 1) == slab);
            Assert.True(map.BlockOf((nuint)slab + SizeClassHeap.SlabBytes) == null, "the chunk after the slab");
            Assert.True(map.BlockOf((nuint)slab - 1) == null, "the chunk before the slab");
            for (nuint offset = 0; offset < runBytes; offset += 4096)
                Assert.True(map.BlockOf((nuint)run + offset) == run);
            Assert.True(map.BlockOf((nuint)run + runBytes) == null);
            map.Unregister(run, runBytes);
            Assert.True(map.BlockOf((nuint)run + 3 * SizeClassHeap.SlabBytes) == null);
            Assert.True(map.BlockOf((nuint)slab + 8) == slab, "other blocks are untouched");
        }
        finally
        {
            NativeMemory.Free((void*)storage);
        }
    }

    [Fact]
    public void A_block_outside_the_range_is_refused()
    {
        var (map, arena, storage) = NewMap();
        try
        {
            Assert.False(map.Register((void*)(arena - SizeClassHeap.SlabBytes), SizeClassHeap.SlabBytes));
            Assert.False(map.Register((void*)(arena + (nuint)(Chunks - 1) * SizeClassHeap.SlabBytes), 2 * SizeClassHeap.SlabBytes));
            Assert.True(map.BlockOf(arena + (nuint)(Chunks - 1) * SizeClassHeap.SlabBytes) == null);
        }
        finally
        {
            NativeMemory.Free((void*)storage);
        }
    }
}
