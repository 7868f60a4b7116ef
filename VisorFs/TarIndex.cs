// TarIndex.cs -- one pass over a tar or visor-tar archive in memory builds a path index; file data stays in place.

using System;
using System.Collections.Generic;

namespace VisorFs;

/// <summary>
/// The index of a tardisk: every member's path, attributes and data offset, a hash table for lookup by path, and
/// the directory tree. The archive bytes are not copied or kept; entries hold offsets into them.
/// </summary>
/// <remarks>
/// <para>Accepted layouts (see <see cref="TarHeader"/> for the header block):</para>
/// <list type="bullet">
/// <item>Plain tar (V7, POSIX ustar, GNU, pax): header, data padded to 512 bytes, next header, ...; the archive
/// ends at a zero block or at the end of the bytes. GNU 'L'/'K' members carry the long name/link target of the
/// member that follows (data: the name, NUL terminated). pax 'x' members carry "LEN key=value\n" records for the
/// member that follows; path, linkpath, size, mtime (fraction dropped), uid and gid are honoured. pax 'g' global
/// headers are skipped: nothing in a boot image depends on them.</item>
/// <item>visor-tar (ESXi): every header has the magic "visor " and they all come first; the list ends at the first
/// block without the magic. Each header's data lives at the absolute offset in its u32 at 0x1F0 (followed by
/// the text offset, text size and fixup page count of executables), including the data of 'L'/'K' members.</item>
/// </list>
/// <para>Hostile members never stop the rest of the archive from indexing; each rejected one adds one
/// <see cref="TarDiagnostic"/>: bad checksum (plain tar then scans block by block for the next valid header),
/// unparseable numbers, sizes or offsets beyond the archive (plain tar stops there, since the next header's
/// position is unknown), names with '..' or NUL, invalid UTF-8, hard links to missing entries or directories,
/// members below a non-directory, unsupported types. A duplicate path replaces the earlier member (as extraction
/// would) and is reported too. Directories that are only implied by deeper paths are created
/// (<see cref="TarEntry.IsImplicit"/>), so the tree is always connected from the root (entry 0, path "").</para>
/// <para>A hard link's <see cref="TarEntry.DataOffset"/> and <see cref="TarEntry.Size"/> are those of its target at
/// the time it appears, since it names the same file.</para>
/// </remarks>
public sealed partial class TarIndex
{
    // One record per entry, all in one array: no object or string per member at mount time. Paths (and symlink
    // targets) live in one shared char pool; an implicit directory's path is a prefix of the member path that
    // created it and shares its characters. TarEntry objects are made on first access (index, lookup, children)
    // and cached, so repeated lookups return the same object.
    private struct Rec
    {
        public long DataOffset;
        public long Size;
        public long MTime;
        public int PathStart;
        public int PathLength;
        public int LinkStart;
        public int LinkLength;
        public int Parent;
        public int FirstChild;
        public int LastChild;
        public int NextSibling;
        public int LinkIndex;
        public int Mode;
        public int Uid;
        public int Gid;
        public int DevMajor;
        public int DevMinor;
        public uint TextOffset;
        public uint TextSize;
        public uint FixupPageCount;
        public uint Hash;
        public TarEntryType Type;
        public bool IsImplicit;
    }

    private Rec[] _recs;
    private int _count;
    private char[] _pool;
    private int _poolLength;
    // Open addressing, linear probing, load <= 0.5: (hash << 32) | (entry index + 1); 0 is empty. Hash and index in
    // one word, so a probe is one memory access.
    private ulong[] _table;
    private TarEntry?[]? _objects;
    private readonly List<TarDiagnostic> _diagnostics = new List<TarDiagnostic>();

    // Scratch for decoding names: bytes -> chars (normalized straight into the pool).
    private readonly char[] _raw = new char[2 * TarPath.MaxLength + 512];
    private readonly char[] _linkNorm = new char[TarPath.MaxLength + 1];
    private int _lastParent;
    private int _touch; // sink for the early loads of the next header (see IndexArchive)

    // What 'L'/'K' and 'x' members said about the next member. Offsets point into the archive (-1: not set).
    private int _gnuNameOffset, _gnuNameLength, _gnuLinkOffset, _gnuLinkLength;
    private int _paxPathOffset, _paxPathLength, _paxLinkOffset, _paxLinkLength;
    private long _paxSize, _paxMTime, _paxUid, _paxGid;
    private bool _hasPaxMTime, _hasPaxUid, _hasPaxGid;

    /// <summary>Layout of the archive: <see cref="TarFormat.Visor"/>, or the flavour of its first header.</summary>
    public TarFormat Format { get; private set; }

    /// <summary>Number of entries including the root.</summary>
    public int Count => _count;

    public TarEntry this[int index] => Materialize(index);

    /// <summary>The root directory (entry 0, path "").</summary>
    public TarEntry Root => Materialize(0);

    /// <summary>One record per rejected or replaced member, in archive order.</summary>
    public List<TarDiagnostic> Diagnostics => _diagnostics;

    /// <summary>The default cap on up-front sizing (see <see cref="Build(ReadOnlySpan{byte}, int)"/>).</summary>
    public const int DefaultMaxPresizedMembers = 1 << 17;

    private TarIndex(long archiveLength, int maxPresizedMembers)
    {
        // Every member takes at least one 512-byte block, so length / 512 bounds the member count (implicit
        // directories aside). Pre-size for that, capped so a huge hostile archive of empty blocks does not reserve
        // memory it will never use; beyond the cap the arrays double as usual.
        long expect = archiveLength / TarHeader.BlockSize + 16;
        if (expect > maxPresizedMembers)
        {
            expect = maxPresizedMembers < 16 ? 16 : maxPresizedMembers;
        }
        _recs = new Rec[(int)expect];
        int tableSize = 32;
        while (tableSize < expect * 2)
        {
            tableSize *= 2;
        }
        _table = new ulong[tableSize];
        _pool = new char[(int)expect * 24 + TarPath.MaxLength + 1];
        int root = NewRec();
        ref Rec r = ref _recs[root];
        r.Type = TarEntryType.Directory;
        r.Mode = 0x1ED; // 0755
        r.IsImplicit = true;
        r.Hash = TarPath.Hash("");
        InsertSlot(root, r.Hash);
    }

    /// <summary>
    /// Hands back an object this index no longer references (a grown-out array). The host has a collector and
    /// leaves this empty; the kernel, which has none, implements it to free the memory at once.
    /// </summary>
    static partial void Discard(object obj);

    /// <summary>Indexes <paramref name="archive"/>. Never fails: problems become <see cref="Diagnostics"/>.</summary>
    public static TarIndex Build(ReadOnlySpan<byte> archive) => Build(archive, DefaultMaxPresizedMembers);

    /// <summary>
    /// Indexes <paramref name="archive"/>, sizing the index up front for at most <paramref name="maxPresizedMembers"/>
    /// members (it grows past that). The bound from the archive length fits archives of many small members (the
    /// host benchmark); the kernel, whose base images hold few large files and where every zeroed array costs,
    /// passes a small cap.
    /// </summary>
    public static TarIndex Build(ReadOnlySpan<byte> archive, int maxPresizedMembers)
    {
        var index = new TarIndex(archive.Length, maxPresizedMembers);
        index.IndexArchive(archive);
        return index;
    }

    /// <summary>Looks up a normalized path ("a/b"; a leading '/' is tolerated, "" or "/" is the root).</summary>
    public bool TryFind(string path, out TarEntry entry)
    {
        int found = Find(path, path.Length > 0 && path[0] == '/' ? 1 : 0);
        if (found < 0)
        {
            entry = null!;
            return false;
        }
        entry = Materialize(found);
        return true;
    }

    private unsafe int Find(string path, int start)
    {
        uint h = TarPath.Hash(path, start);
        ulong[] table = _table;
        int mask = table.Length - 1;
        int slot = (int)h & mask;
        int len = path.Length - start;
        Rec[] recs = _recs;
        fixed (char* pool = _pool)
        {
            while (true)
            {
                ulong s = table[slot];
                if (s == 0)
                {
                    return -1;
                }
                if ((uint)(s >> 32) == h)
                {
                    int idx = (int)(uint)s - 1;
                    if (recs[idx].PathLength == len)
                    {
                        char* p = pool + recs[idx].PathStart;
                        int k = 0;
                        while (k < len && p[k] == path[start + k])
                        {
                            k++;
                        }
                        if (k == len)
                        {
                            return idx;
                        }
                    }
                }
                slot = (slot + 1) & mask;
            }
        }
    }

    /// <summary>Looks up a path; null if absent.</summary>
    public TarEntry? Find(string path) => TryFind(path, out TarEntry e) ? e : null;

    /// <summary>Appends the children of <paramref name="directory"/> to <paramref name="into"/>; returns how many.</summary>
    public int GetChildren(TarEntry directory, List<TarEntry> into)
    {
        int n = 0;
        for (int c = directory.FirstChild; c >= 0; c = _recs[c].NextSibling)
        {
            into.Add(Materialize(c));
            n++;
        }
        return n;
    }

    /// <summary>The bytes of a file member (empty for other types).</summary>
    public static ReadOnlySpan<byte> GetData(ReadOnlySpan<byte> archive, TarEntry entry)
    {
        if (entry.Size <= 0 || entry.DataOffset < 0 || entry.DataOffset > archive.Length
            || entry.Size > archive.Length - entry.DataOffset)
        {
            return default;
        }
        return archive.Slice((int)entry.DataOffset, (int)entry.Size);
    }

    // The TarEntry of record i, made on first use. The index is complete when Build returns, so the object is a
    // snapshot that never changes. (Not synchronized: two threads racing on the first access of one entry may
    // each make one; give each CPU its own view or touch the entries once if identity matters.)
    private TarEntry Materialize(int i)
    {
        TarEntry?[]? objects = _objects;
        if (objects == null)
        {
            objects = new TarEntry?[_count];
            _objects = objects;
        }
        TarEntry? e = objects[i];
        if (e != null)
        {
            return e;
        }
        ref Rec r = ref _recs[i];
        e = new TarEntry();
        e.Path = r.PathLength == 0 ? "" : new string(_pool, r.PathStart, r.PathLength);
        e.Type = r.Type;
        e.Mode = r.Mode;
        e.Uid = r.Uid;
        e.Gid = r.Gid;
        e.Size = r.Size;
        e.ModificationTime = r.MTime;
        e.DataOffset = r.DataOffset;
        e.LinkTarget = r.LinkLength == 0 ? "" : new string(_pool, r.LinkStart, r.LinkLength);
        e.LinkIndex = r.LinkIndex;
        e.DeviceMajor = r.DevMajor;
        e.DeviceMinor = r.DevMinor;
        e.TextOffset = r.TextOffset;
        e.TextSize = r.TextSize;
        e.FixupPageCount = r.FixupPageCount;
        e.IsImplicit = r.IsImplicit;
        e.Index = i;
        e.Parent = r.Parent;
        e.FirstChild = r.FirstChild;
        e.NextSibling = r.NextSibling;
        e.LastChild = r.LastChild;
        e.Hash = r.Hash;
        objects[i] = e;
        return e;
    }

    // A new record with the link fields empty; the caller fills in the rest.
    private int NewRec()
    {
        if (_count == _recs.Length)
        {
            var bigger = new Rec[_recs.Length * 2];
            for (int i = 0; i < _count; i++)
            {
                bigger[i] = _recs[i];
            }
            Discard(_recs);
            _recs = bigger;
        }
        int idx = _count++;
        ref Rec r = ref _recs[idx];
        r.Parent = -1;
        r.FirstChild = -1;
        r.LastChild = -1;
        r.NextSibling = -1;
        r.LinkIndex = -1;
        return idx;
    }

    // Appends a record for a new path (already in the pool) and enters it in the hash table.
    private int AppendPath(int pathStart, int pathLength, uint hash, int parent)
    {
        int idx = NewRec();
        ref Rec r = ref _recs[idx];
        r.PathStart = pathStart;
        r.PathLength = pathLength;
        r.Hash = hash;
        r.Parent = parent;
        if (_count * 2 > _table.Length)
        {
            Rehash(_table.Length * 2);
        }
        InsertSlot(idx, hash);
        return idx;
    }

    private void InsertSlot(int index, uint hash)
    {
        ulong[] table = _table;
        int mask = table.Length - 1;
        int slot = (int)hash & mask;
        while (table[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = ((ulong)hash << 32) | (uint)(index + 1);
    }

    private void Rehash(int size)
    {
        Discard(_table);
        _table = new ulong[size];
        for (int i = 0; i < _count; i++)
        {
            InsertSlot(i, _recs[i].Hash);
        }
    }

    // Makes room for `extra` more chars after the committed part of the pool, keeping whatever was already written
    // past it (a path being added).
    private void EnsurePool(int extra)
    {
        if (_pool.Length - _poolLength >= extra)
        {
            return;
        }
        int size = _pool.Length * 2;
        while (size - _poolLength < extra)
        {
            size *= 2;
        }
        var bigger = new char[size];
        new ReadOnlySpan<char>(_pool).CopyTo(bigger);
        Discard(_pool);
        _pool = bigger;
    }

    private bool PathEquals(int idx, ReadOnlySpan<char> path)
    {
        ref Rec r = ref _recs[idx];
        if (r.PathLength != path.Length)
        {
            return false;
        }
        char[] pool = _pool;
        int p = r.PathStart;
        for (int i = 0; i < path.Length; i++)
        {
            if (pool[p + i] != path[i])
            {
                return false;
            }
        }
        return true;
    }

    private int Lookup(ReadOnlySpan<char> path, uint hash)
    {
        ulong[] table = _table;
        int mask = table.Length - 1;
        int slot = (int)hash & mask;
        while (true)
        {
            ulong s = table[slot];
            if (s == 0)
            {
                return -1;
            }
            if ((uint)(s >> 32) == hash && PathEquals((int)(uint)s - 1, path))
            {
                return (int)(uint)s - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void Diagnose(string name, string reason, long offset)
    {
        _diagnostics.Add(new TarDiagnostic(name, reason, offset));
    }

    private void ClearPending()
    {
        _gnuNameOffset = -1;
        _gnuNameLength = 0;
        _gnuLinkOffset = -1;
        _gnuLinkLength = 0;
        _paxPathOffset = -1;
        _paxPathLength = 0;
        _paxLinkOffset = -1;
        _paxLinkLength = 0;
        _paxSize = -1;
        _hasPaxMTime = false;
        _hasPaxUid = false;
        _hasPaxGid = false;
    }

    private void IndexArchive(ReadOnlySpan<byte> a)
    {
        long len = a.Length;
        bool visor = len >= TarHeader.BlockSize && TarHeader.IsVisor(a.Slice(0, TarHeader.BlockSize));
        Format = visor ? TarFormat.Visor
            : len >= TarHeader.BlockSize ? TarHeader.GetFormat(a.Slice(0, TarHeader.BlockSize)) : TarFormat.Ustar;
        ClearPending();
        long pos = 0;
        bool resync = false;
        int touch = 0;
        while (true)
        {
            if (len - pos < TarHeader.BlockSize)
            {
                if (len - pos > 0 && !visor && !resync)
                {
                    Diagnose("", "truncated header at end of archive", pos);
                }
                break;
            }
            ReadOnlySpan<byte> h = a.Slice((int)pos, TarHeader.BlockSize);
            long headerOffset = pos;
            if (visor && !TarHeader.IsVisor(h))
            {
                break;
            }
            // The checksum is tested first: an all-zero block (end of a plain archive) never matches (its stored
            // checksum reads 0, its sum is 8 spaces = 256), so the zero test only runs on blocks that failed it
            // and a valid header is read once, not twice.
            if (!TarHeader.ChecksumMatches(h))
            {
                if (!visor && TarHeader.IsZeroBlock(h))
                {
                    if (resync)
                    {
                        pos += TarHeader.BlockSize;
                        continue;
                    }
                    break;
                }
                // In plain tar the size of a damaged header cannot be trusted, so scan for the next valid header
                // block by block, reporting the damage once.
                if (!resync)
                {
                    Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "bad header checksum", pos);
                }
                resync = !visor;
                ClearPending();
                pos += TarHeader.BlockSize;
                continue;
            }
            resync = false;
            byte type = h[TarHeader.TypeOffset];
            if (!TarHeader.TryParseNumber(h.Slice(TarHeader.SizeOffset, 12), out long size) || size < 0)
            {
                Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "bad size field", pos);
                resync = !visor;
                ClearPending();
                pos += TarHeader.BlockSize;
                continue;
            }
            bool isMeta = type == (byte)'x' || type == (byte)'g' || type == (byte)'K' || type == (byte)'L';
            if (!isMeta && _paxSize >= 0)
            {
                size = _paxSize;
            }
            // ustar: links, devices, directories and fifos have no data blocks whatever the size field says.
            bool hasData = !(type >= (byte)'1' && type <= (byte)'6');
            long dataSize = hasData ? size : 0;
            long dataOffset = visor ? TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorDataOffset) : pos + TarHeader.BlockSize;
            if (dataOffset > len || dataSize > len - dataOffset)
            {
                Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "data extends past end of archive", pos);
                ClearPending();
                if (visor)
                {
                    pos += TarHeader.BlockSize;
                    continue;
                }
                break;
            }
            pos = visor ? pos + TarHeader.BlockSize : dataOffset + ((dataSize + 511) & ~511L);
            if (pos > len)
            {
                pos = len; // the last member's padding may be missing
            }
            // Touch the next header now: on an archive larger than the cache its eight lines are memory misses, and
            // issuing the load here lets it overlap this member's name decoding and hashing instead of stalling
            // the next iteration. (An ordinary load; the value only feeds a field nobody reads.)
            if (len - pos >= TarHeader.BlockSize)
            {
                int next = (int)pos;
                touch += a[next] + a[next + 64] + a[next + 128] + a[next + 192] + a[next + 256] + a[next + 320]
                    + a[next + 384] + a[next + 448];
            }

            if (type == (byte)'L')
            {
                _gnuNameOffset = (int)dataOffset;
                _gnuNameLength = (int)dataSize;
                continue;
            }
            if (type == (byte)'K')
            {
                _gnuLinkOffset = (int)dataOffset;
                _gnuLinkLength = (int)dataSize;
                continue;
            }
            if (type == (byte)'x')
            {
                if (Format == TarFormat.Ustar)
                {
                    Format = TarFormat.Pax;
                }
                if (!ParsePax(a, (int)dataOffset, (int)dataSize))
                {
                    Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "bad pax extended header", headerOffset);
                    ClearPending();
                }
                continue;
            }
            if (type == (byte)'g')
            {
                continue;
            }
            AddMember(a, h, type, size, dataOffset, headerOffset, visor);
            ClearPending();
        }
        _touch = touch;
    }

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

    /// <summary>
    /// Parses a pax extended header: records "LEN key=value\n" where LEN counts the whole record in decimal.
    /// </summary>
    private bool ParsePax(ReadOnlySpan<byte> a, int offset, int length)
    {
        ReadOnlySpan<byte> d = a.Slice(offset, length);
        int i = 0;
        while (i < d.Length)
        {
            if (d[i] == 0)
            {
                break; // NUL padding after the last record
            }
            int j = i;
            long recordLength = 0;
            while (j < d.Length && d[j] >= (byte)'0' && d[j] <= (byte)'9')
            {
                recordLength = recordLength * 10 + (d[j] - '0');
                if (recordLength > d.Length)
                {
                    return false;
                }
                j++;
            }
            if (j == i || j >= d.Length || d[j] != (byte)' ' || recordLength > d.Length - i || recordLength < (j - i) + 3)
            {
                return false;
            }
            int end = i + (int)recordLength; // one past the '\n'
            if (d[end - 1] != (byte)'\n')
            {
                return false;
            }
            int keyStart = j + 1;
            int eq = keyStart;
            while (eq < end - 1 && d[eq] != (byte)'=')
            {
                eq++;
            }
            if (eq >= end - 1 && d[eq] != (byte)'=')
            {
                return false;
            }
            ReadOnlySpan<byte> key = d.Slice(keyStart, eq - keyStart);
            int valueStart = eq + 1;
            int valueLength = end - 1 - valueStart;
            ReadOnlySpan<byte> value = d.Slice(valueStart, valueLength);
            // An empty value removes the keyword: the header field applies again.
            if (KeyIs(key, "path"))
            {
                _paxPathOffset = valueLength == 0 ? -1 : offset + valueStart;
                _paxPathLength = valueLength;
            }
            else if (KeyIs(key, "linkpath"))
            {
                _paxLinkOffset = valueLength == 0 ? -1 : offset + valueStart;
                _paxLinkLength = valueLength;
            }
            else if (KeyIs(key, "size"))
            {
                if (valueLength == 0)
                {
                    _paxSize = -1;
                }
                else if (!TryParseDecimal(value, false, out _paxSize))
                {
                    return false;
                }
            }
            else if (KeyIs(key, "mtime"))
            {
                _hasPaxMTime = valueLength != 0;
                if (_hasPaxMTime && !TryParseDecimal(value, true, out _paxMTime))
                {
                    return false;
                }
            }
            else if (KeyIs(key, "uid"))
            {
                _hasPaxUid = valueLength != 0;
                if (_hasPaxUid && !TryParseDecimal(value, false, out _paxUid))
                {
                    return false;
                }
            }
            else if (KeyIs(key, "gid"))
            {
                _hasPaxGid = valueLength != 0;
                if (_hasPaxGid && !TryParseDecimal(value, false, out _paxGid))
                {
                    return false;
                }
            }
            i = end;
        }
        return true;
    }

    private static bool KeyIs(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != name.Length)
        {
            return false;
        }
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] != name[i])
            {
                return false;
            }
        }
        return true;
    }

    // Decimal integer, optionally signed and with a fraction (dropped, rounding toward negative infinity as a
    // time stamp should), refusing overflow.
    private static bool TryParseDecimal(ReadOnlySpan<byte> s, bool allowSignAndFraction, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (allowSignAndFraction && s.Length > 0 && s[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }
        int digitsStart = i;
        long v = 0;
        while (i < s.Length && s[i] >= (byte)'0' && s[i] <= (byte)'9')
        {
            int digit = s[i] - '0';
            if (v > (long.MaxValue - digit) / 10)
            {
                return false;
            }
            v = v * 10 + digit;
            i++;
        }
        if (i == digitsStart)
        {
            return false;
        }
        bool fraction = false;
        if (i < s.Length)
        {
            if (!allowSignAndFraction || s[i] != (byte)'.')
            {
                return false;
            }
            i++;
            while (i < s.Length)
            {
                if (s[i] < (byte)'0' || s[i] > (byte)'9')
                {
                    return false;
                }
                if (s[i] != (byte)'0')
                {
                    fraction = true;
                }
                i++;
            }
        }
        value = negative ? -v - (fraction ? 1 : 0) : v;
        return true;
    }
}
