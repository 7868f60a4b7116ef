// TarIndexMemory.cs -- the kernel half of the VisorFs library's memory story: with no collector, grown-out and
// scratch arrays are freed at once (TarIndex.Discard, GzipWriter.Discard) and a whole index is freed when its
// tardisk is unmounted.
using Internal.Runtime;
using VisorFs;

namespace VisorFs
{
    public sealed partial class TarIndex
    {
        static partial void Discard(object obj) => Allocator.Free(obj);

        /// <summary>Frees every object the index owns; the index must not be used afterwards.</summary>
        internal void ReleaseMemory()
        {
            for (int i = 0; i < _count; i++)
            {
                TarEntry e = _items[i];
                // A hard link's target string is its target's path: freed with that entry.
                if (e.Type != TarEntryType.HardLink)
                    Allocator.Free(e.LinkTarget);
                Allocator.Free(e.Path);
                Allocator.Free(e);
            }
            for (int i = 0; i < _diagnostics.Count; i++)
                Allocator.Free(_diagnostics[i].EntryName);
            Allocator.Free(_diagnostics);
            Allocator.Free(_items);
            Allocator.Free(_paths);
            Allocator.Free(_slots);
            Allocator.Free(_slotHashes);
            Allocator.Free(_raw);
            Allocator.Free(_norm);
            Allocator.Free(_linkNorm);
            _count = 0;
        }
    }
}

namespace Kernel.VisorFs
{
    internal static class TarIndexMemory
    {
        public static void Free(TarIndex index) => index?.ReleaseMemory();
    }
}

namespace VisorFs
{
    public static partial class GzipWriter
    {
        static partial void Discard(object obj) => Allocator.Free(obj);
    }
}
