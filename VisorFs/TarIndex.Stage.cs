// TarIndex.Stage.cs -- a member's name, type, numbers and link text, decoded and checked without touching the index.

using System;
using System.Collections.Generic;

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

    // True if a NUL-terminated field has anything but NULs after its terminator (a NUL inside the name).
    private static unsafe bool HasEmbeddedNul(ReadOnlySpan<byte> f)
    {
        int i = TextLength(f);
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

    // A name or link target: the pax record if there was one, else the GNU long-name member, else the header field.
    // `embeddedNul` reports a NUL inside the text (the header field may be NUL-padded after it, the others not).
    private static ReadOnlySpan<byte> LongField(ReadOnlySpan<byte> a, ReadOnlySpan<byte> h, int paxOffset, int paxLength,
        int gnuOffset, int gnuLength, int fieldOffset, int fieldLength, out bool embeddedNul)
    {
        if (paxOffset >= 0)
        {
            ReadOnlySpan<byte> pax = a.Slice(paxOffset, paxLength);
            embeddedNul = ContainsNul(pax);
            return pax;
        }
        if (gnuOffset >= 0)
        {
            ReadOnlySpan<byte> data = a.Slice(gnuOffset, gnuLength);
            embeddedNul = HasEmbeddedNul(data);
            return FieldText(data, 0, data.Length);
        }
        embeddedNul = HasEmbeddedNul(h.Slice(fieldOffset, fieldLength));
        return FieldText(h, fieldOffset, fieldLength);
    }

    private void AddMember(ReadOnlySpan<byte> a, ReadOnlySpan<byte> h, byte type, long size, long dataOffset, long headerOffset, bool visor)
    {
        // Name: pax path, else GNU long name, else prefix + '/' + name (POSIX ustar and visor only: GNU keeps
        // times where the prefix would be).
        ReadOnlySpan<byte> prefix = default;
        ReadOnlySpan<byte> name = LongField(a, h, _paxPathOffset, _paxPathLength, _gnuNameOffset, _gnuNameLength,
            TarHeader.NameOffset, TarHeader.NameLength, out bool embeddedNul);
        if (_paxPathOffset < 0 && _gnuNameOffset < 0)
        {
            TarFormat format = visor ? TarFormat.Visor : TarHeader.GetFormat(h);
            if (format == TarFormat.Ustar || format == TarFormat.Visor)
            {
                int plen = format == TarFormat.Visor ? TarHeader.VisorPrefixLength : TarHeader.PrefixLength;
                prefix = FieldText(h, TarHeader.PrefixOffset, plen);
            }
        }
        if (embeddedNul)
        {
            Diagnose(DiagName(prefix, name), TarPath.ReasonNul, headerOffset);
            return;
        }
        if (prefix.Length + name.Length + 1 > _raw.Length)
        {
            Diagnose(DiagName(prefix, name), TarPath.ReasonTooLong, headerOffset);
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
                Diagnose(DiagName(prefix, name), UnsupportedType(type), headerOffset);
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
                    Diagnose(DiagName(prefix, name), "name is not valid UTF-8", headerOffset);
                    return;
                }
                raw[n] = '/';
                rawLength = n + 1;
            }
            if (!Utf8.TryDecode(name, raw.Slice(rawLength), out int nameChars))
            {
                Diagnose(DiagName(prefix, name), "name is not valid UTF-8", headerOffset);
                return;
            }
            rawLength += nameChars;
            bool trailingSlash = rawLength > 0 && raw[rawLength - 1] == '/';
            if (!TryMapType(type, trailingSlash, out entryType))
            {
                Diagnose(DiagName(prefix, name), UnsupportedType(type), headerOffset);
                return;
            }
            // Normalize straight into the free end of the pool; the chars are kept only if an entry is added.
            Span<char> norm = new Span<char>(_pool, pathStart, TarPath.MaxLength + 1);
            string? reason = TarPath.Normalize(raw.Slice(0, rawLength), norm, out normLength);
            if (reason != null)
            {
                Diagnose(DiagName(prefix, name), reason, headerOffset);
                return;
            }
        }

        if (!TarHeader.TryParseNumber(h.Slice(TarHeader.ModeOffset, 8), out long mode)
            || !TarHeader.TryParseNumber(h.Slice(TarHeader.UidOffset, 8), out long uid)
            || !TarHeader.TryParseNumber(h.Slice(TarHeader.GidOffset, 8), out long gid)
            || !TarHeader.TryParseNumber(h.Slice(TarHeader.MTimeOffset, 12), out long mtime))
        {
            Diagnose(DiagName(prefix, name), "bad numeric field", headerOffset);
            return;
        }
        if (_hasPaxUid) uid = _paxUid;
        if (_hasPaxGid) gid = _paxGid;
        if (_hasPaxMTime) mtime = _paxMTime;
        if (uid < 0 || uid > int.MaxValue || gid < 0 || gid > int.MaxValue)
        {
            Diagnose(DiagName(prefix, name), "uid or gid out of range", headerOffset);
            return;
        }
        long devMajor = 0;
        long devMinor = 0;
        if ((entryType == TarEntryType.CharDevice || entryType == TarEntryType.BlockDevice)
            && (!TarHeader.TryParseNumber(h.Slice(TarHeader.DevMajorOffset, 8), out devMajor)
                || !TarHeader.TryParseNumber(h.Slice(TarHeader.DevMinorOffset, 8), out devMinor)
                || devMajor > int.MaxValue || devMinor > int.MaxValue))
        {
            Diagnose(DiagName(prefix, name), "bad device number", headerOffset);
            return;
        }

        // Link target: pax linkpath, else GNU long link, else the linkname field.
        int linkChars = 0;
        int linkIndex = -1;
        if (entryType == TarEntryType.Symlink || entryType == TarEntryType.HardLink)
        {
            ReadOnlySpan<byte> link = LongField(a, h, _paxLinkOffset, _paxLinkLength, _gnuLinkOffset, _gnuLinkLength,
                TarHeader.LinkNameOffset, 100, out bool linkNul);
            if (linkNul)
            {
                Diagnose(DiagName(prefix, name), "NUL byte inside link target", headerOffset);
                return;
            }
            if (link.Length > _raw.Length || !Utf8.TryDecode(link, raw, out linkChars))
            {
                Diagnose(DiagName(prefix, name), "link target is not valid UTF-8 or too long", headerOffset);
                return;
            }
            if (linkChars == 0)
            {
                Diagnose(DiagName(prefix, name), "empty link target", headerOffset);
                return;
            }
            if (entryType == TarEntryType.HardLink)
            {
                Span<char> linkNorm = _linkNorm;
                string? linkReason = TarPath.Normalize(raw.Slice(0, linkChars), linkNorm, out int targetLength);
                if (linkReason != null)
                {
                    Diagnose(DiagName(prefix, name), string.Concat("hard link target: ", linkReason), headerOffset);
                    return;
                }
                ReadOnlySpan<char> target = linkNorm.Slice(0, targetLength);
                linkIndex = Lookup(target, TarPath.Hash(target));
                if (linkIndex < 0)
                {
                    Diagnose(DiagName(prefix, name), "hard link target missing", headerOffset);
                    return;
                }
                if (_recs[linkIndex].Type == TarEntryType.Directory)
                {
                    Diagnose(DiagName(prefix, name), "hard link to a directory", headerOffset);
                    return;
                }
            }
        }

        if (normLength == 0)
        {
            // "./" or "/": the archive's own root. Take its attributes; anything else cannot be the root.
            if (entryType != TarEntryType.Directory)
            {
                Diagnose(DiagName(prefix, name), "empty name", headerOffset);
                return;
            }
            ref Rec root = ref _recs[0];
            root.Mode = (int)(mode & 0xFFF);
            root.Uid = (int)uid;
            root.Gid = (int)gid;
            root.MTime = mtime;
            root.IsImplicit = false;
            return;
        }

        ReadOnlySpan<char> path = new ReadOnlySpan<char>(_pool, pathStart, normLength);
        uint hash = TarPath.Hash(path);
        int existing = Lookup(path, hash);
        int idx;
        int used = 0;
        if (existing >= 0)
        {
            idx = existing;
            ref Rec old = ref _recs[existing];
            if (old.Type == TarEntryType.Directory && old.FirstChild >= 0 && entryType != TarEntryType.Directory)
            {
                Diagnose(DiagName(prefix, name), "would replace a non-empty directory", headerOffset);
                return;
            }
            if (!old.IsImplicit)
            {
                Diagnose(DiagName(prefix, name), "duplicate path, later entry wins", headerOffset);
            }
        }
        else
        {
            int parent = FindParent(pathStart, normLength, out string? parentReason);
            if (parent < 0)
            {
                Diagnose(DiagName(prefix, name), parentReason!, headerOffset);
                return;
            }
            idx = AppendPath(pathStart, normLength, hash, parent);
            LinkChild(parent, idx);
            used = normLength;
        }
        // A symlink's target is just data at this level (resolved and confined at lookup time): its chars follow
        // the path in the pool. A hard link shares its target's path chars.
        int linkStart = 0;
        int linkLength = 0;
        if (entryType == TarEntryType.Symlink)
        {
            EnsurePool(used + linkChars);
            linkStart = pathStart + used;
            new ReadOnlySpan<char>(_raw, 0, linkChars).CopyTo(new Span<char>(_pool, linkStart, linkChars));
            linkLength = linkChars;
            used += linkChars;
        }
        else if (entryType == TarEntryType.HardLink)
        {
            linkStart = _recs[linkIndex].PathStart;
            linkLength = _recs[linkIndex].PathLength;
        }
        _poolLength = pathStart + used;

        ref Rec e = ref _recs[idx];
        e.Type = entryType;
        e.IsImplicit = false;
        e.Mode = (int)(mode & 0xFFF);
        e.Uid = (int)uid;
        e.Gid = (int)gid;
        e.MTime = mtime;
        e.LinkStart = linkStart;
        e.LinkLength = linkLength;
        e.LinkIndex = linkIndex;
        e.DevMajor = (int)devMajor;
        e.DevMinor = (int)devMinor;
        if (entryType == TarEntryType.File)
        {
            e.Size = size;
            e.DataOffset = dataOffset;
        }
        else if (entryType == TarEntryType.HardLink)
        {
            e.Size = _recs[linkIndex].Size;
            e.DataOffset = _recs[linkIndex].DataOffset;
        }
        else
        {
            e.Size = 0;
            e.DataOffset = dataOffset;
        }
        if (visor)
        {
            e.TextOffset = TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorTextOffset);
            e.TextSize = TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorTextSize);
            e.FixupPageCount = TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorFixupPages);
        }
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
