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
    // 56 bytes: what every entry has. Fields most entries leave empty (link target, device numbers, uid and gid
    // other than root's, the visor-tar executable fields) live in a side array (RecExtra), so the record array,
    // which is zeroed, written and (in the kernel) grown with the archive, stays small.
    private struct Rec
    {
        public long DataOffset;
        public long Size;
        public long MTime;
        public int PathStart;
        public int Parent;
        public int FirstChild;
        public int LastChild;
        public int NextSibling;
        public int Extra;            // 1 + index into _extras, or 0: all those fields are empty (uid/gid 0, no link)
        public ushort PathLength;    // <= TarPath.MaxLength
        public ushort Mode;          // permission bits
        private byte _type;
        public bool IsImplicit;

        public TarEntryType Type
        {
            readonly get => (TarEntryType)_type;
            set => _type = (byte)value;
        }
    }

    private struct RecExtra
    {
        public int LinkStart;
        public int LinkLength;
        public int LinkIndex;
        public int Uid;
        public int Gid;
        public int DevMajor;
        public int DevMinor;
        public uint TextOffset;
        public uint TextSize;
        public uint FixupPageCount;
    }

    private Rec[] _recs;
    private RecExtra[]? _extras;
    private int _extraCount;
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
        InsertSlot(root, TarPath.Hash(""));
    }

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

    /// <summary>
    /// The entry named <paramref name="name"/> directly inside directory entry <paramref name="directory"/>, or -1.
    /// <paramref name="pathHash"/> is the hash of the child's whole path (directory path, '/', name; just the name
    /// below the root), which a walker extends one component at a time with <see cref="PathHash"/>; only the name
    /// is compared, so a lookup costs the name's length, not the path's.
    /// </summary>
    public unsafe int FindChild(int directory, ReadOnlySpan<char> name, uint pathHash)
    {
        ulong[] table = _table;
        int mask = table.Length - 1;
        int slot = (int)pathHash & mask;
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
                int idx = (int)(uint)s - 1;
                if ((uint)(s >> 32) == pathHash && recs[idx].Parent == directory && idx != 0 && recs[idx].PathLength >= name.Length)
                {
                    char* tail = pool + recs[idx].PathStart + recs[idx].PathLength - name.Length;
                    int k = 0;
                    while (k < name.Length && tail[k] == name[k])
                    {
                        k++;
                    }
                    if (k == name.Length && (recs[idx].PathLength == name.Length || tail[-1] == '/'))
                    {
                        return idx;
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
        e.Size = r.Size;
        e.ModificationTime = r.MTime;
        e.DataOffset = r.DataOffset;
        e.LinkTarget = "";
        e.LinkIndex = -1;
        if (r.Extra != 0)
        {
            ref RecExtra x = ref _extras![r.Extra - 1];
            e.Uid = x.Uid;
            e.Gid = x.Gid;
            e.LinkTarget = x.LinkLength == 0 ? "" : new string(_pool, x.LinkStart, x.LinkLength);
            e.LinkIndex = x.LinkIndex;
            e.DeviceMajor = x.DevMajor;
            e.DeviceMinor = x.DevMinor;
            e.TextOffset = x.TextOffset;
            e.TextSize = x.TextSize;
            e.FixupPageCount = x.FixupPageCount;
        }
        e.IsImplicit = r.IsImplicit;
        e.Index = i;
        e.Parent = r.Parent;
        e.FirstChild = r.FirstChild;
        e.NextSibling = r.NextSibling;
        e.LastChild = r.LastChild;
        objects[i] = e;
        return e;
    }

    // A new record with the link fields empty; the caller fills in the rest.
    private int NewRec()
    {
        if (_count == _recs.Length)
        {
            _recs = Grown(_recs, _count, _recs.Length * 2);
        }
        int idx = _count++;
        ref Rec r = ref _recs[idx];
        r.Parent = -1;
        r.FirstChild = -1;
        r.LastChild = -1;
        r.NextSibling = -1;
        return idx;
    }

    // Stores the rarely set fields of record `idx`: in the side array if any is set (reusing the record's slot when
    // a duplicate path replaces it), else nothing.
    private void SetExtra(ref Rec r, in RecExtra extra)
    {
        bool empty = extra.LinkLength == 0 && extra.LinkIndex < 0 && extra.Uid == 0 && extra.Gid == 0
            && extra.DevMajor == 0 && extra.DevMinor == 0 && extra.TextOffset == 0 && extra.TextSize == 0
            && extra.FixupPageCount == 0;
        if (empty && r.Extra == 0)
        {
            return;
        }
        if (r.Extra == 0)
        {
            if (_extras == null)
            {
                _extras = new RecExtra[16];
            }
            else if (_extraCount == _extras.Length)
            {
                _extras = Grown(_extras, _extraCount, _extras.Length * 2);
            }
            r.Extra = ++_extraCount;
        }
        _extras![r.Extra - 1] = extra;
    }

    // Appends a record for a new path (already in the pool) and enters it in the hash table.
    private int AppendPath(int pathStart, int pathLength, uint hash, int parent)
    {
        int idx = NewRec();
        ref Rec r = ref _recs[idx];
        r.PathStart = pathStart;
        r.PathLength = (ushort)pathLength;
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
        _table = new ulong[size];
        for (int i = 0; i < _count; i++)
        {
            InsertSlot(i, TarPath.Hash(new ReadOnlySpan<char>(_pool, _recs[i].PathStart, _recs[i].PathLength)));
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
        _pool = Grown(_pool, _pool.Length, size);
    }

    /// <summary>A larger copy of <paramref name="array"/> holding its first <paramref name="used"/> elements (one block copy).</summary>
    internal static T[] Grown<T>(T[] array, int used, int size)
    {
        var bigger = new T[size];
        new ReadOnlySpan<T>(array, 0, used).CopyTo(bigger);
        return bigger;
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
}
