// PageBitmap.cs -- one bit per physical page (1 = in use), with first-fit allocation of aligned page runs.
//
// Why a bitmap: it is built straight from the memory map before any heap exists, costs 32 KiB per GiB, makes
// "is this page free" exact (so double frees and frees of never-allocated pages are caught), and supports
// contiguous, aligned runs (heap slabs, DMA buffers later). A hint remembers where the last allocation ended so
// the common single-page case does not rescan the low, fully used part of memory.
// Pure logic over a caller-provided word array: unit-tested on the host.
namespace Kernel.Memory
{
    public unsafe struct PageBitmap
    {
        public const ulong NoPage = ulong.MaxValue;

        private ulong* _words;
        private ulong _pageCount;
        private ulong _freePages;
        private ulong _hint;

        public ulong PageCount => _pageCount;
        public ulong FreePages => _freePages;

        public static ulong WordsFor(ulong pageCount) => (pageCount + 63) / 64;

        /// <summary>Starts with every page in use; the caller frees what the memory map says is available.</summary>
        public void Initialize(ulong* words, ulong pageCount)
        {
            _words = words;
            _pageCount = pageCount;
            _freePages = 0;
            _hint = 0;
            for (ulong i = 0; i < WordsFor(pageCount); i++)
                words[i] = ulong.MaxValue;
        }

        public bool IsUsed(ulong page) => page >= _pageCount || (_words[page / 64] & (1UL << (int)(page % 64))) != 0;

        /// <summary>Marks pages free without checking their state (building the map). Out-of-range pages are ignored.</summary>
        public void MarkFree(ulong first, ulong count)
        {
            for (ulong p = first; p < first + count && p < _pageCount; p++)
            {
                ulong bit = 1UL << (int)(p % 64);
                if ((_words[p / 64] & bit) != 0)
                {
                    _words[p / 64] &= ~bit;
                    _freePages++;
                }
            }
        }

        /// <summary>Marks pages used (reserving ranges). Out-of-range pages are ignored.</summary>
        public void MarkUsed(ulong first, ulong count)
        {
            for (ulong p = first; p < first + count && p < _pageCount; p++)
            {
                ulong bit = 1UL << (int)(p % 64);
                if ((_words[p / 64] & bit) == 0)
                {
                    _words[p / 64] |= bit;
                    _freePages--;
                }
            }
        }

        /// <summary>First-fit run of <paramref name="count"/> free pages starting at a multiple of <paramref name="align"/>.</summary>
        public ulong Allocate(ulong count, ulong align = 1)
        {
            if (count == 0 || count > _freePages)
                return NoPage;
            if (align == 0)
                align = 1;
            ulong found = Search(_hint, count, align);
            if (found == NoPage && _hint != 0)
                found = Search(0, count, align);
            if (found == NoPage)
                return NoPage;
            MarkUsed(found, count);
            _hint = found + count;
            return found;
        }

        private ulong Search(ulong from, ulong count, ulong align)
        {
            ulong start = (from + align - 1) / align * align;
            while (start + count <= _pageCount)
            {
                // Skip whole used words quickly.
                if (_words[start / 64] == ulong.MaxValue)
                {
                    start = ((start / 64 + 1) * 64 + align - 1) / align * align;
                    continue;
                }
                ulong run = 0;
                while (run < count && !IsUsed(start + run))
                    run++;
                if (run == count)
                    return start;
                start = (start + run + 1 + align - 1) / align * align;
            }
            return NoPage;
        }

        /// <summary>Frees a run; false (and nothing changes) if any page in it is not currently allocated.</summary>
        public bool Free(ulong first, ulong count)
        {
            if (first >= _pageCount || count > _pageCount - first)
                return false;
            for (ulong p = first; p < first + count; p++)
                if (!IsUsed(p))
                    return false;
            MarkFree(first, count);
            if (first < _hint)
                _hint = first;
            return true;
        }
    }
}
