// HeapBlockMap.cs -- which heap block (slab or large page run) an address lies in, for any address at all.
//
// Why a side table: the collector asks "is this word a pointer into a live object?" about every word of every stack
// it scans, and most words are not pointers. Masking the word and reading a header there would touch unmapped pages
// (stack guard pages, page 0) and would trust whatever bytes happen to sit at a 16 KiB boundary (a file's contents
// can spell the slab magic). The map answers from memory the heap owns: one 32-bit entry per 16 KiB chunk of the
// covered range, 0 when no heap block covers the chunk, otherwise 1 + the distance in chunks back to the block's
// start (a large object's run covers many chunks; an interior pointer into its middle still finds the header).
// Cost: 4 bytes per 16 KiB (1 MiB for 4 GiB of RAM), written when a block is created or released, never during a
// collection. The storage comes from the caller (the kernel takes pages for it before the heap exists; host tests
// cover their fake page arena), so the map itself never allocates.
namespace Internal.Runtime
{
    public unsafe struct HeapBlockMap
    {
        private nuint _base;
        private nuint _chunks;
        private uint* _entries;

        /// <summary>Bytes of storage needed to cover <paramref name="bytes"/> of address space.</summary>
        public static nuint StorageBytes(nuint bytes) => (bytes + SizeClassHeap.SlabBytes - 1) / SizeClassHeap.SlabBytes * sizeof(uint);

        /// <summary>Covers [<paramref name="rangeBase"/>, rangeBase + bytes) with <paramref name="storage"/> of
        /// <see cref="StorageBytes"/>, cleared here unless the caller says it already is (fresh pages are).</summary>
        public void Initialize(nuint rangeBase, nuint bytes, void* storage, bool storageIsZeroed = false)
        {
            _base = rangeBase & ~(nuint)(SizeClassHeap.SlabBytes - 1);
            _chunks = (bytes + (rangeBase - _base) + SizeClassHeap.SlabBytes - 1) / SizeClassHeap.SlabBytes;
            _entries = (uint*)storage;
            if (!storageIsZeroed)
                for (nuint i = 0; i < _chunks; i++)
                    _entries[i] = 0;
        }

        public bool IsInitialized => _entries != null;
        public nuint RangeBase => _base;
        public nuint RangeEnd => _base + _chunks * SizeClassHeap.SlabBytes;

        /// <summary>Records a block of <paramref name="bytes"/> (a multiple of SlabBytes) at a SlabBytes-aligned address.
        /// False when the block lies outside the covered range (the heap then refuses the block).</summary>
        public bool Register(void* block, nuint bytes)
        {
            nuint first = ((nuint)block - _base) / SizeClassHeap.SlabBytes;
            nuint count = bytes / SizeClassHeap.SlabBytes;
            if ((nuint)block < _base || first + count > _chunks)
                return false;
            for (nuint i = 0; i < count; i++)
                _entries[first + i] = (uint)(i + 1);
            return true;
        }

        public void Unregister(void* block, nuint bytes)
        {
            nuint first = ((nuint)block - _base) / SizeClassHeap.SlabBytes;
            nuint count = bytes / SizeClassHeap.SlabBytes;
            if ((nuint)block < _base || first + count > _chunks)
                return;
            for (nuint i = 0; i < count; i++)
                _entries[first + i] = 0;
        }

        /// <summary>The entry table and the number of chunks it covers, for a marker that keeps them in registers.</summary>
        public uint* Entries => _entries;
        public nuint Chunks => _chunks;

        /// <summary>The start of the block covering <paramref name="address"/>, or null. Safe for any value.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public byte* BlockOf(nuint address)
        {
            nuint chunk = (address - _base) / SizeClassHeap.SlabBytes;   // wraps to a huge value below the base
            if (chunk >= _chunks)
                return null;
            uint entry = _entries[chunk];
            if (entry == 0)
                return null;
            return (byte*)(_base + (chunk - (entry - 1)) * SizeClassHeap.SlabBytes);
        }
    }
}
