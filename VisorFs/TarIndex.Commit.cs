// TarIndex.Commit.cs -- a staged member enters the index: duplicates, parents, implicit directories, the tree.

using System;
using System.Collections.Generic;

namespace VisorFs;

public sealed partial class TarIndex
{
    private void LinkChild(int parent, int child)
    {
        ref Rec p = ref _recs[parent];
        if (p.LastChild < 0)
        {
            p.FirstChild = child;
        }
        else
        {
            _recs[p.LastChild].NextSibling = child;
        }
        p.LastChild = child;
    }

    // The directory containing the normalized path at pool[start, start + length), creating implicit directories
    // for missing ancestors (their paths are prefixes of this one and share its chars). -1 and a reason if an
    // ancestor exists but is not a directory.
    private int FindParent(int start, int length, out string? reason)
    {
        reason = null;
        ReadOnlySpan<char> path = new ReadOnlySpan<char>(_pool, start, length);
        int slash = path.Length - 1;
        while (slash >= 0 && path[slash] != '/')
        {
            slash--;
        }
        if (slash < 0)
        {
            return 0;
        }
        ReadOnlySpan<char> dir = path.Slice(0, slash);
        // Archives list a directory's members together: most members share the previous member's parent.
        if (PathEquals(_lastParent, dir))
        {
            return _lastParent;
        }
        int found = Lookup(dir, TarPath.Hash(dir));
        if (found >= 0)
        {
            if (_recs[found].Type != TarEntryType.Directory)
            {
                reason = "parent is not a directory";
                return -1;
            }
            _lastParent = found;
            return found;
        }
        // Walk up to the deepest ancestor that exists, then create the missing ones top down.
        int existingEnd = slash;
        int parent = 0;
        while (true)
        {
            int s = existingEnd - 1;
            while (s >= 0 && path[s] != '/')
            {
                s--;
            }
            if (s < 0)
            {
                parent = 0;
                existingEnd = -1;
                break;
            }
            ReadOnlySpan<char> up = path.Slice(0, s);
            int idx = Lookup(up, TarPath.Hash(up));
            existingEnd = s;
            if (idx >= 0)
            {
                if (_recs[idx].Type != TarEntryType.Directory)
                {
                    reason = "parent is not a directory";
                    return -1;
                }
                parent = idx;
                break;
            }
        }
        int begin = existingEnd + 1;
        while (true)
        {
            int end = begin;
            while (end < slash && path[end] != '/')
            {
                end++;
            }
            int dirIndex = AppendPath(start, end, TarPath.Hash(path.Slice(0, end)), parent);
            ref Rec d = ref _recs[dirIndex];
            d.Type = TarEntryType.Directory;
            d.Mode = 0x1ED; // 0755
            d.IsImplicit = true;
            LinkChild(parent, dirIndex);
            parent = dirIndex;
            if (end >= slash)
            {
                break;
            }
            begin = end + 1;
        }
        _lastParent = parent;
        return parent;
    }
}
