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
            // Entries live in one struct array and one char pool; TarEntry objects exist only for entries that were
            // looked at (made on first access), each with its own Path and LinkTarget strings ("" when empty).
            TarEntry[] objects = _objects;
            if (objects != null)
            {
                for (int i = 0; i < objects.Length; i++)
                {
                    TarEntry e = objects[i];
                    if (e == null)
                        continue;
                    if (e.LinkTarget.Length != 0)
                        Allocator.Free(e.LinkTarget);
                    if (e.Path.Length != 0)
                        Allocator.Free(e.Path);
                    Allocator.Free(e);
                }
                Allocator.Free(objects);
                _objects = null;
            }
            for (int i = 0; i < _diagnostics.Count; i++)
                Allocator.Free(_diagnostics[i].EntryName);
            Allocator.Free(_diagnostics);
            Allocator.Free(_recs);
            Allocator.Free(_pool);
            Allocator.Free(_table);
            Allocator.Free(_raw);
            Allocator.Free(_linkNorm);
            Allocator.Free(_pending);
            if (_extras != null)
                Allocator.Free(_extras);
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
