// TarIndex.Stage.cs -- a member's name, type, numbers and link text, decoded and checked without touching the index.

using System;

namespace VisorFs;

public sealed partial class TarIndex
{
    // Index of the first NUL in f, or its length. Eight bytes per step: (w - 0x01..) & ~w & 0x80.. is non-zero
    // exactly when some byte of w is zero.
    private static unsafe int TextLength(ReadOnlySpan<byte> f)
    {
        int n = f.Length;
        if (n == 0)
        {
            return 0;
        }
        fixed (byte* p = f)
        {
            int i = 0;
            for (; i + 8 <= n; i += 8)
            {
                ulong w = *(ulong*)(p + i);
                if (((w - 0x0101010101010101UL) & ~w & 0x8080808080808080UL) != 0)
                {
                    break;
                }
            }
            for (; i < n; i++)
            {
                if (p[i] == 0)
                {
                    return i;
                }
            }
            return n;
        }
    }

    // The bytes of a NUL-terminated field, without the terminator.
    private static ReadOnlySpan<byte> FieldText(ReadOnlySpan<byte> h, int offset, int length)
    {
        ReadOnlySpan<byte> f = h.Slice(offset, length);
        return f.Slice(0, TextLength(f));
    }

    private static bool ContainsNul(ReadOnlySpan<byte> s)
    {
        return TextLength(s) < s.Length;
    }

    // True if a NUL-terminated field whose text is `textLength` long has anything but NULs after its terminator
    // (a NUL inside the name).
    private static unsafe bool HasEmbeddedNul(ReadOnlySpan<byte> f, int textLength)
    {
        int i = textLength;
        int n = f.Length;
        if (i >= n)
        {
            return false;
        }
        fixed (byte* p = f)
        {
            ulong acc = 0;
            for (; i + 8 <= n; i += 8)
            {
                acc |= *(ulong*)(p + i);
            }
            for (; i < n; i++)
            {
                acc |= p[i];
            }
            return acc != 0;
        }
    }

    private static bool TryMapType(byte type, bool trailingSlash, out TarEntryType entryType)
    {
        switch (type)
        {
            case (byte)'0':
            case 0:
            case (byte)'7':
                // V7 marked directories only by the trailing slash.
                entryType = trailingSlash ? TarEntryType.Directory : TarEntryType.File;
                return true;
            case (byte)'1': entryType = TarEntryType.HardLink; return true;
            case (byte)'2': entryType = TarEntryType.Symlink; return true;
            case (byte)'3': entryType = TarEntryType.CharDevice; return true;
            case (byte)'4': entryType = TarEntryType.BlockDevice; return true;
            case (byte)'5': entryType = TarEntryType.Directory; return true;
            case (byte)'6': entryType = TarEntryType.Fifo; return true;
            default:
                entryType = TarEntryType.File;
                return false;
        }
    }

    /// <summary>
    /// Fast path for the names nearly every archive has: prefix + '/' + name (or just name) that is ASCII without
    /// NUL, has no empty, "." or ".." component and at most one trailing '/'. Such a name normalizes to itself
    /// (minus the trailing '/'), so it is widened straight into <paramref name="output"/> at
    /// <paramref name="at"/> in one pass. False for anything else, including an empty name or one longer than
    /// <see cref="TarPath.MaxLength"/>: the general path (strict UTF-8 decode, then <see cref="TarPath.Normalize"/>)
    /// takes it and reports whatever is wrong, so the fast path never accepts a name the general path would refuse
    /// or spell differently.
    /// </summary>
    private static unsafe bool TryCopySimpleName(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> name, char[] output, int at, out int length, out bool trailingSlash)
    {
        length = 0;
        trailingSlash = false;
        int total = prefix.Length + (prefix.Length > 0 ? 1 : 0) + name.Length;
        if (total == 0 || total > TarPath.MaxLength + 1 || output.Length - at < total)
        {
            return false;
        }
        int n = 0;
        int compLength = 0;
        int compDots = 0;
        fixed (char* outStart = output)
        fixed (byte* pre = prefix)
        fixed (byte* nam = name)
        {
            char* o = outStart + at;
            for (int part = 0; part < 2; part++)
            {
                byte* src = part == 0 ? pre : nam;
                int count = part == 0 ? prefix.Length : name.Length;
                if (part == 1 && prefix.Length > 0)
                {
                    // The '/' joining prefix and name.
                    if (compLength == 0 || (compLength == compDots && compLength <= 2))
                    {
                        return false;
                    }
                    o[n++] = '/';
                    compLength = 0;
                    compDots = 0;
                }
                for (int i = 0; i < count; i++)
                {
                    byte b = src[i];
                    if (b == (byte)'/')
                    {
                        if (compLength == 0 || (compLength == compDots && compLength <= 2))
                        {
                            return false; // leading '/', "//", "." or ".."
                        }
                        compLength = 0;
                        compDots = 0;
                    }
                    else
                    {
                        if (b == 0 || b >= 0x80)
                        {
                            return false;
                        }
                        compLength++;
                        if (b == (byte)'.')
                        {
                            compDots++;
                        }
                    }
                    o[n++] = (char)b;
                }
            }
        }
        if (compLength == 0)
        {
            // Ends with '/': drop it once (the component before it was checked when the '/' was seen).
            n--;
            trailingSlash = true;
            if (n == 0)
            {
                return false;
            }
        }
        else if (compLength == compDots && compLength <= 2)
        {
            return false;
        }
        if (n > TarPath.MaxLength)
        {
            return false;
        }
        length = n;
        return true;
    }

    // A name or link target, as an (offset, length) in the archive: the pax record if there was one, else the GNU
    // long-name member, else the header field (up to its NUL). `embeddedNul` reports a NUL inside the text (the
    // header field may be NUL-padded after it, the others not).
    private static void LongField(ReadOnlySpan<byte> a, int headerOffset, int paxOffset, int paxLength, int gnuOffset,
        int gnuLength, int fieldOffset, int fieldLength, out int offset, out int length, out bool embeddedNul)
    {
        if (paxOffset >= 0)
        {
            offset = paxOffset;
            length = paxLength;
            embeddedNul = ContainsNul(a.Slice(paxOffset, paxLength));
            return;
        }
        ReadOnlySpan<byte> field = gnuOffset >= 0
            ? a.Slice(gnuOffset, gnuLength)
            : a.Slice(headerOffset + fieldOffset, fieldLength);
        offset = gnuOffset >= 0 ? gnuOffset : headerOffset + fieldOffset;
        length = TextLength(field);
        embeddedNul = HasEmbeddedNul(field, length);
    }

    // A member waiting for its turn to enter the index, or a diagnostic waiting for its turn to be reported. The
    // walk decodes and checks members a few ahead of the index updates (PendingDepth), so each member's hash-table
    // slot, likely a cache miss in a big index, is prefetched while the members in between are decoded.
    private struct Pending
    {
        public string? Reason; // set: a diagnostic (DiagnosticName, Reason, HeaderOffset), not a member
        public string? DiagnosticName;
        public long HeaderOffset;
        public int PrefixOffset; // the raw name in the archive (prefix, name), for diagnostics found at commit
        public int PrefixLength;
        public int NameOffset;
        public int NameLength;
        public int LinkOffset; // a hard link's raw target in the archive; it is decoded again at commit
        public int LinkLength;
        public int PathStart; // the normalized path in the pool, then a symlink's target
        public int PathLength;
        public int SymlinkLength;
        public uint Hash;
        public TarEntryType Type;
        public int Mode;
        public int Uid;
        public int Gid;
        public int DevMajor;
        public int DevMinor;
        public long MTime;
        public long Size;
        public long DataOffset;
        public uint TextOffset;
        public uint TextSize;
        public uint FixupPageCount;
    }

    private const int PendingDepth = 8; // a power of two
    private readonly Pending[] _pending = new Pending[PendingDepth];
    private int _pendingFirst;
    private int _pendingCount;

    // The next free queue slot (holding an old item: the caller sets every field it reads back); the walk makes
    // room (CommitOldest) before each header.
    private ref Pending PushPending()
    {
        ref Pending p = ref _pending[(_pendingFirst + _pendingCount) & (PendingDepth - 1)];
        _pendingCount++;
        return ref p;
    }

    // Decodes and checks one member (everything that does not depend on the rest of the index) and queues it.
    // Its path, and a symlink's target after it, go to the pool now; the pool keeps them if the member is
    // refused at commit, a waste bounded by the name bytes of such members (duplicates, missing hard-link
    // targets, parents that are not directories), which are rare and in the archive anyway.
    private unsafe void StageMember(ReadOnlySpan<byte> a, ReadOnlySpan<byte> h, byte type, long size, long dataOffset, long headerOffset, bool visor)
    {
        int hdr = (int)headerOffset;
        // Name: pax path, else GNU long name, else prefix + '/' + name (POSIX ustar and visor only: GNU keeps
        // times where the prefix would be).
        LongField(a, hdr, _paxPathOffset, _paxPathLength, _gnuNameOffset, _gnuNameLength, TarHeader.NameOffset,
            TarHeader.NameLength, out int nameOffset, out int nameLength, out bool embeddedNul);
        int prefixOffset = 0;
        int prefixLength = 0;
        if (_paxPathOffset < 0 && _gnuNameOffset < 0)
        {
            TarFormat format = visor ? TarFormat.Visor : TarHeader.GetFormat(h);
            if (format == TarFormat.Ustar || format == TarFormat.Visor)
            {
                int plen = format == TarFormat.Visor ? TarHeader.VisorPrefixLength : TarHeader.PrefixLength;
                prefixOffset = hdr + TarHeader.PrefixOffset;
                prefixLength = TextLength(h.Slice(TarHeader.PrefixOffset, plen));
            }
        }
        ReadOnlySpan<byte> prefix = a.Slice(prefixOffset, prefixLength);
        ReadOnlySpan<byte> name = a.Slice(nameOffset, nameLength);
        if (embeddedNul)
        {
            Report(DiagName(prefix, name), TarPath.ReasonNul, headerOffset);
            return;
        }
        if (prefix.Length + name.Length + 1 > _raw.Length)
        {
            Report(DiagName(prefix, name), TarPath.ReasonTooLong, headerOffset);
            return;
        }
        Span<char> raw = _raw;
        EnsurePool(TarPath.MaxLength + 1);
        int pathStart = _poolLength;
        int normLength;
        TarEntryType entryType;
        if (TryCopySimpleName(prefix, name, _pool, pathStart, out normLength, out bool simpleTrailingSlash))
        {
            // Already normalized (see TryCopySimpleName): only the type can still be refused.
            if (!TryMapType(type, simpleTrailingSlash, out entryType))
            {
                Report(DiagName(prefix, name), UnsupportedType(type), headerOffset);
                return;
            }
        }
        else
        {
            int rawLength = 0;
            if (prefix.Length > 0)
            {
                if (!Utf8.TryDecode(prefix, raw, out int n))
                {
                    Report(DiagName(prefix, name), "name is not valid UTF-8", headerOffset);
                    return;
                }
                raw[n] = '/';
                rawLength = n + 1;
            }
            if (!Utf8.TryDecode(name, raw.Slice(rawLength), out int nameChars))
            {
                Report(DiagName(prefix, name), "name is not valid UTF-8", headerOffset);
                return;
            }
            rawLength += nameChars;
            bool trailingSlash = rawLength > 0 && raw[rawLength - 1] == '/';
            if (!TryMapType(type, trailingSlash, out entryType))
            {
                Report(DiagName(prefix, name), UnsupportedType(type), headerOffset);
                return;
            }
            // Normalize straight into the free end of the pool; the chars are kept only if the member is staged.
            Span<char> norm = new Span<char>(_pool, pathStart, TarPath.MaxLength + 1);
            string? reason = TarPath.Normalize(raw.Slice(0, rawLength), norm, out normLength);
            if (reason != null)
            {
                Report(DiagName(prefix, name), reason, headerOffset);
                return;
            }
        }

        if (!TarHeader.TryParseNumber(h.Slice(TarHeader.ModeOffset, 8), out long mode)
            || !TarHeader.TryParseNumber(h.Slice(TarHeader.UidOffset, 8), out long uid)
            || !TarHeader.TryParseNumber(h.Slice(TarHeader.GidOffset, 8), out long gid)
            || !TarHeader.TryParseNumber(h.Slice(TarHeader.MTimeOffset, 12), out long mtime))
        {
            Report(DiagName(prefix, name), "bad numeric field", headerOffset);
            return;
        }
        if (_hasPaxUid) uid = _paxUid;
        if (_hasPaxGid) gid = _paxGid;
        if (_hasPaxMTime) mtime = _paxMTime;
        if (uid < 0 || uid > int.MaxValue || gid < 0 || gid > int.MaxValue)
        {
            Report(DiagName(prefix, name), "uid or gid out of range", headerOffset);
            return;
        }
        long devMajor = 0;
        long devMinor = 0;
        if ((entryType == TarEntryType.CharDevice || entryType == TarEntryType.BlockDevice)
            && (!TarHeader.TryParseNumber(h.Slice(TarHeader.DevMajorOffset, 8), out devMajor)
                || !TarHeader.TryParseNumber(h.Slice(TarHeader.DevMinorOffset, 8), out devMinor)
                || devMajor > int.MaxValue || devMinor > int.MaxValue))
        {
            Report(DiagName(prefix, name), "bad device number", headerOffset);
            return;
        }

        // Link target: pax linkpath, else GNU long link, else the linkname field.
        int linkOffset = 0;
        int linkLength = 0;
        int symlinkChars = 0;
        if (entryType == TarEntryType.Symlink || entryType == TarEntryType.HardLink)
        {
            LongField(a, hdr, _paxLinkOffset, _paxLinkLength, _gnuLinkOffset, _gnuLinkLength,
                TarHeader.LinkNameOffset, 100, out linkOffset, out linkLength, out bool linkNul);
            string? linkReason = "NUL byte inside link target";
            int linkChars = 0;
            if (!linkNul)
            {
                linkReason = CheckLinkTarget(a.Slice(linkOffset, linkLength), entryType, out linkChars, out _);
            }
            if (linkReason != null)
            {
                Report(DiagName(prefix, name), linkReason, headerOffset);
                return;
            }
            if (entryType == TarEntryType.Symlink)
            {
                // A symlink's target is data at this level (resolved and confined at lookup): as written, after
                // the path.
                symlinkChars = linkChars;
                EnsurePool(normLength + symlinkChars);
                new ReadOnlySpan<char>(_raw, 0, symlinkChars).CopyTo(new Span<char>(_pool, pathStart + normLength, symlinkChars));
            }
        }
        if (normLength == 0 && entryType != TarEntryType.Directory)
        {
            // "./" or "/" names the archive's own root: only a directory can be that.
            Report(DiagName(prefix, name), "empty name", headerOffset);
            return;
        }

        uint hash = TarPath.Hash(new ReadOnlySpan<char>(_pool, pathStart, normLength));
        fixed (ulong* table = _table)
        {
            CacheHint.Prefetch(table + (hash & (uint)(_table.Length - 1)));
        }
        _poolLength = pathStart + normLength + symlinkChars;

        ref Pending p = ref PushPending();
        p.Reason = null;
        p.DiagnosticName = null;
        p.HeaderOffset = headerOffset;
        p.PrefixOffset = prefixOffset;
        p.PrefixLength = prefixLength;
        p.NameOffset = nameOffset;
        p.NameLength = nameLength;
        p.LinkOffset = linkOffset;
        p.LinkLength = linkLength;
        p.PathStart = pathStart;
        p.PathLength = normLength;
        p.SymlinkLength = symlinkChars;
        p.Hash = hash;
        p.Type = entryType;
        p.Mode = (int)(mode & 0xFFF);
        p.Uid = (int)uid;
        p.Gid = (int)gid;
        p.DevMajor = (int)devMajor;
        p.DevMinor = (int)devMinor;
        p.MTime = mtime;
        p.Size = entryType == TarEntryType.File ? size : 0;
        p.DataOffset = dataOffset;
        p.TextOffset = visor ? TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorTextOffset) : 0;
        p.TextSize = visor ? TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorTextSize) : 0;
        p.FixupPageCount = visor ? TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorFixupPages) : 0;
    }

    // Decodes a link target into _raw (linkChars long) and checks it; null if it is usable. A hard link's target
    // must also be a valid path (normalized into _linkNorm, targetLength long); whether it exists is decided at
    // commit, in archive order.
    private string? CheckLinkTarget(ReadOnlySpan<byte> link, TarEntryType type, out int linkChars, out int targetLength)
    {
        Span<char> raw = _raw;
        linkChars = 0;
        targetLength = 0;
        if (link.Length > _raw.Length || !Utf8.TryDecode(link, raw, out linkChars))
        {
            return "link target is not valid UTF-8 or too long";
        }
        if (linkChars == 0)
        {
            return "empty link target";
        }
        if (type == TarEntryType.HardLink)
        {
            string? reason = TarPath.Normalize(raw.Slice(0, linkChars), _linkNorm, out targetLength);
            if (reason != null)
            {
                return string.Concat("hard link target: ", reason);
            }
        }
        return null;
    }

    private static string UnsupportedType(byte type)
    {
        char[] c = new char[1];
        c[0] = type >= 0x20 && type < 0x7F ? (char)type : '?';
        return string.Concat("unsupported entry type '", new string(c, 0, 1), "'");
    }

    private static string DiagName(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> name)
    {
        if (prefix.Length == 0)
        {
            return Utf8.Printable(name);
        }
        return string.Concat(Utf8.Printable(prefix), "/", Utf8.Printable(name));
    }
}
