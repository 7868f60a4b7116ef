// DirEntryOrder.cs -- sorting a directory listing by name (ordinal, as busybox ls in the C locale) in O(n log n):
// a listing can hold a tardisk directory's 100,000 entries, where an insertion sort takes minutes.
using System.Collections.Generic;

namespace Kernel.VisorFs
{
    public static class DirEntryOrder
    {
        /// <summary>Sorts <paramref name="entries"/> by ordinal name; stable (a bottom-up merge sort).</summary>
        public static void ByName(List<DirEntry> entries)
        {
            int n = entries.Count;
            if (n < 2)
                return;
            var from = new DirEntry[n];
            var to = new DirEntry[n];
            for (int i = 0; i < n; i++)
                from[i] = entries[i];
            for (int width = 1; width < n; width *= 2)
            {
                for (int left = 0; left < n; left += 2 * width)
                {
                    int middle = left + width < n ? left + width : n;
                    int right = left + 2 * width < n ? left + 2 * width : n;
                    Merge(from, to, left, middle, right);
                }
                DirEntry[] swap = from;
                from = to;
                to = swap;
            }
            for (int i = 0; i < n; i++)
                entries[i] = from[i];
        }

        private static void Merge(DirEntry[] from, DirEntry[] to, int left, int middle, int right)
        {
            int a = left, b = middle, k = left;
            while (a < middle && b < right)
                to[k++] = string.CompareOrdinal(from[b].Name, from[a].Name) < 0 ? from[b++] : from[a++];
            while (a < middle)
                to[k++] = from[a++];
            while (b < right)
                to[k++] = from[b++];
        }
    }
}
