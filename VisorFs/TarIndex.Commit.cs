// TarIndex.Commit.cs -- a staged member enters the index: duplicates, parents, implicit directories, the tree.

using System;

namespace VisorFs;

public sealed partial class TarIndex
{
    // The oldest queued item takes its turn: a diagnostic is reported, a member enters the index.
    private void CommitOldest(ReadOnlySpan<byte> a)
    {
        ref Pending p = ref _pending[_pendingFirst];
        _pendingFirst = (_pendingFirst + 1) & (PendingDepth - 1);
        _pendingCount--;
        if (p.Reason != null)
        {
            Diagnose(p.DiagnosticName!, p.Reason, p.HeaderOffset);
            p = default; // drop the strings
            return;
        }
        CommitMember(ref p, a);
    }

    // The index-dependent half of adding a member: hard-link targets, the archive root, duplicates, parents.
    private void CommitMember(ref Pending p, ReadOnlySpan<byte> a)
    {
        int linkIndex = -1;
        if (p.Type == TarEntryType.HardLink)
        {
            // Staging checked the target; decode it again (hard links are rare; no pool space is spent on it).
            CheckLinkTarget(a.Slice(p.LinkOffset, p.LinkLength), TarEntryType.HardLink, out _, out int targetLength);
            ReadOnlySpan<char> target = new ReadOnlySpan<char>(_linkNorm, 0, targetLength);
            linkIndex = Lookup(target, TarPath.Hash(target));
            if (linkIndex < 0)
            {
                Diagnose(PendingName(ref p, a), "hard link target missing", p.HeaderOffset);
                return;
            }
            if (_recs[linkIndex].Type == TarEntryType.Directory)
            {
                Diagnose(PendingName(ref p, a), "hard link to a directory", p.HeaderOffset);
                return;
            }
        }

        if (p.PathLength == 0)
        {
            // "./" or "/": the archive's own root (staging let only a directory through). Take its attributes.
            ref Rec root = ref _recs[0];
            root.Mode = (ushort)p.Mode;
            root.MTime = p.MTime;
            root.IsImplicit = false;
            SetExtra(ref root, new RecExtra { LinkIndex = -1, Uid = p.Uid, Gid = p.Gid });
            return;
        }

        ReadOnlySpan<char> path = new ReadOnlySpan<char>(_pool, p.PathStart, p.PathLength);
        int existing = Lookup(path, p.Hash);
        int idx;
        if (existing >= 0)
        {
            idx = existing;
            ref Rec old = ref _recs[existing];
            if (old.Type == TarEntryType.Directory && old.FirstChild >= 0 && p.Type != TarEntryType.Directory)
            {
                Diagnose(PendingName(ref p, a), "would replace a non-empty directory", p.HeaderOffset);
                return;
            }
            if (!old.IsImplicit)
            {
                Diagnose(PendingName(ref p, a), "duplicate path, later entry wins", p.HeaderOffset);
            }
        }
        else
        {
            int parent = FindParent(p.PathStart, p.PathLength, out string? parentReason);
            if (parent < 0)
            {
                Diagnose(PendingName(ref p, a), parentReason!, p.HeaderOffset);
                return;
            }
            idx = AppendPath(p.PathStart, p.PathLength, p.Hash, parent);
            LinkChild(parent, idx);
        }

        ref Rec e = ref _recs[idx];
        e.Type = p.Type;
        e.IsImplicit = false;
        e.Mode = (ushort)p.Mode;
        e.MTime = p.MTime;
        var extra = new RecExtra
        {
            LinkIndex = linkIndex,
            Uid = p.Uid,
            Gid = p.Gid,
            DevMajor = p.DevMajor,
            DevMinor = p.DevMinor,
            TextOffset = p.TextOffset,
            TextSize = p.TextSize,
            FixupPageCount = p.FixupPageCount,
        };
        if (p.Type == TarEntryType.HardLink)
        {
            // A hard link names the same file: its target's chars, data and size.
            ref Rec target = ref _recs[linkIndex];
            extra.LinkStart = target.PathStart;
            extra.LinkLength = target.PathLength;
            e.Size = target.Size;
            e.DataOffset = target.DataOffset;
        }
        else
        {
            extra.LinkStart = p.Type == TarEntryType.Symlink ? p.PathStart + p.PathLength : 0;
            extra.LinkLength = p.SymlinkLength;
            e.Size = p.Size;
            e.DataOffset = p.DataOffset;
        }
        SetExtra(ref e, extra);
    }

    // The member's name as written, for a diagnostic.
    private static string PendingName(ref Pending p, ReadOnlySpan<byte> a)
    {
        return DiagName(a.Slice(p.PrefixOffset, p.PrefixLength), a.Slice(p.NameOffset, p.NameLength));
    }

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
