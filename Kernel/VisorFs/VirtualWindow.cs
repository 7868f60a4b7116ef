// VirtualWindow.cs -- a range of kernel virtual addresses (1 TB above the direct map, DirectMap.cs) handed out in
// page-granular pieces, so scattered physical pages can be seen as one contiguous span: an inflated tardisk must be
// contiguous for the index, but a fragmented machine may not have that many contiguous physical pages.
// First fit over a sorted free list; freed pieces merge with their neighbours.
using System.Collections.Generic;

namespace Kernel.VisorFs
{
    public static class VirtualWindow
    {
        public const ulong Base = 0xFFFF_C000_0000_0000UL;
        public const ulong Size = 1UL << 40;
        private const ulong PageSize = 4096;

        // Free pieces as (start, pages), sorted by start.
        private static List<ulong> s_starts;
        private static List<ulong> s_pages;

        /// <summary>A free piece of <paramref name="pages"/> pages; 0 when the window is exhausted.</summary>
        public static ulong Reserve(ulong pages)
        {
            if (s_starts == null)
            {
                s_starts = new List<ulong>();
                s_pages = new List<ulong>();
                s_starts.Add(Base);
                s_pages.Add(Size / PageSize);
            }
            for (int i = 0; i < s_starts.Count; i++)
            {
                if (s_pages[i] < pages)
                    continue;
                ulong start = s_starts[i];
                if (s_pages[i] == pages)
                {
                    s_starts.RemoveAt(i);
                    s_pages.RemoveAt(i);
                }
                else
                {
                    s_starts[i] = start + pages * PageSize;
                    s_pages[i] = s_pages[i] - pages;
                }
                return start;
            }
            return 0;
        }

        public static void Release(ulong start, ulong pages)
        {
            int i = 0;
            while (i < s_starts.Count && s_starts[i] < start)
                i++;
            s_starts.Insert(i, start);
            s_pages.Insert(i, pages);
            // Merge with the next piece, then with the previous one.
            if (i + 1 < s_starts.Count && start + pages * PageSize == s_starts[i + 1])
            {
                s_pages[i] = s_pages[i] + s_pages[i + 1];
                s_starts.RemoveAt(i + 1);
                s_pages.RemoveAt(i + 1);
            }
            if (i > 0 && s_starts[i - 1] + s_pages[i - 1] * PageSize == s_starts[i])
            {
                s_pages[i - 1] = s_pages[i - 1] + s_pages[i];
                s_starts.RemoveAt(i);
                s_pages.RemoveAt(i);
            }
        }
    }
}
