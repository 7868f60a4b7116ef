// FatVolume.Tree.cs -- the directory tree: paths ("a/b/c", relative to the volume's root, '/'-separated) looked up
// component by component with FAT's case-insensitive names, and the operations that add, remove and move entries.
// A new name gets long-name entries unless it is already an upper-case 8.3 name; its short alias is the upper-cased
// name when that is a valid 8.3 name nobody uses, else a "~N" name (FatNames).
using System.Collections.Generic;
using Kernel.VisorFs;

namespace Kernel.Storage.Fat
{
    public sealed partial class FatVolume
    {
        /// <summary>The root directory as a node.</summary>
        public FatNode Root => new FatNode { Name = "", Attributes = FatNode.AttrDirectory, FirstCluster = RootCluster, EntrySlot = -1 };

        /// <summary>Finds <paramref name="path"/> ("" is the root).</summary>
        public Errno Lookup(string path, out FatNode node)
        {
            node = Root;
            int at = 0;
            while (at < path.Length)
            {
                int end = path.IndexOf('/', at);
                if (end < 0)
                    end = path.Length;
                if (end > at)
                {
                    string name = path.Substring(at, end - at);
                    if (name != ".")
                    {
                        if (name == "..")
                            return Errno.EINVAL;   // callers pass canonical paths
                        if (!node.IsDirectory)
                            return Errno.ENOTDIR;
                        Errno e = LoadDirectory(node, out FatDirectory dir);
                        if (e != Errno.Ok)
                            return e;
                        FatNode child = Find(dir, name);
                        if (child == null)
                            return Errno.ENOENT;
                        node = child;
                    }
                }
                at = end + 1;
            }
            return Errno.Ok;
        }

        /// <summary>The entries of the directory at <paramref name="path"/>.</summary>
        public Errno List(string path, List<FatNode> into)
        {
            Errno e = Lookup(path, out FatNode node);
            if (e != Errno.Ok)
                return e;
            if (!node.IsDirectory)
                return Errno.ENOTDIR;
            e = LoadDirectory(node, out FatDirectory dir);
            if (e == Errno.Ok)
                dir.Entries(into);
            return e;
        }

        /// <summary>Creates an empty file at <paramref name="path"/> (EEXIST if the name is taken).</summary>
        public Errno Create(string path, out FatNode node)
        {
            node = null;
            Errno e = PrepareNewName(path, out FatDirectory parent, out string name);
            if (e != Errno.Ok)
                return e;
            e = AddEntry(parent, name, FatNode.AttrArchive, 0, 0, Now(), out node);
            return Finish(e);
        }

        /// <summary>Creates a directory at <paramref name="path"/> with its "." and ".." entries.</summary>
        public Errno MakeDirectory(string path)
        {
            Errno e = PrepareNewName(path, out FatDirectory parent, out string name);
            if (e != Errno.Ok)
                return e;
            var chain = new List<uint>();
            if (!Table.Extend(0, 1, chain))
                return Errno.ENOSPC;
            long now = Now();
            var cluster = new byte[Boot.ClusterBytes];
            FatNames.DotName(cluster, 0, 1);
            WriteShortEntry(cluster, 0, null, FatNode.AttrDirectory, chain[0], 0, now);
            FatNames.DotName(cluster, 32, 2);
            WriteShortEntry(cluster, 32, null, FatNode.AttrDirectory, parent.FirstCluster == RootCluster ? 0 : parent.FirstCluster, 0, now);
            e = WriteCluster(chain[0], cluster, 0);
            if (e == Errno.Ok)
                e = WriteTable();
            if (e == Errno.Ok)
                e = AddEntry(parent, name, FatNode.AttrDirectory, chain[0], 0, now, out _);
            if (e != Errno.Ok)
                Table.Cut(chain, 0);
            return Finish(e);
        }

        /// <summary>Removes the file or empty directory at <paramref name="path"/>.</summary>
        public Errno Remove(string path)
        {
            Errno e = Writable();
            if (e != Errno.Ok)
                return e;
            e = Lookup(path, out FatNode node);
            if (e != Errno.Ok)
                return e;
            if (node.IsRoot)
                return Errno.EBUSY;
            e = Unlink(node);
            return Finish(e);
        }

        /// <summary>Moves <paramref name="from"/> to <paramref name="to"/>, replacing a file or empty directory there (POSIX rename).</summary>
        public Errno Rename(string from, string to)
        {
            Errno e = Writable();
            if (e != Errno.Ok)
                return e;
            e = Lookup(from, out FatNode source);
            if (e != Errno.Ok)
                return e;
            if (source.IsRoot)
                return Errno.EBUSY;
            e = SplitParent(to, out FatDirectory target, out string name);
            if (e != Errno.Ok)
                return e;
            if (source.IsDirectory && IsInside(Trim(to), Trim(from)))
                return Errno.EINVAL;   // a directory cannot move into itself
            FatNode existing = Find(target, name);
            bool sameEntry = existing != null && existing.DirCluster == source.DirCluster && existing.EntrySlot == source.EntrySlot;
            if (existing != null)
            {
                if (existing.IsDirectory != source.IsDirectory)
                    return existing.IsDirectory ? Errno.EISDIR : Errno.ENOTDIR;
                // Replacing another entry frees it; renaming an entry to itself (say, a change of case) takes its
                // slots away first, so its short name is free again.
                e = sameEntry ? DeleteEntries(source) : Unlink(existing);
                if (e == Errno.Ok)
                    e = LoadDirectory(target.FirstCluster, out target);
                if (e != Errno.Ok)
                    return Finish(e);
            }
            e = AddEntry(target, name, source.Attributes, source.FirstCluster, source.Size, source.ModificationTime, out _);
            if (e == Errno.Ok && !sameEntry)
                e = DeleteEntries(source);
            if (e == Errno.Ok && source.IsDirectory && source.DirCluster != target.FirstCluster)
                e = SetDotDot(source.FirstCluster, target.FirstCluster == RootCluster ? 0 : target.FirstCluster);
            return Finish(e);
        }

        // ---- helpers -------------------------------------------------------------------------------------------

        private Errno Finish(Errno e)
        {
            Errno committed = Commit();
            return e != Errno.Ok ? e : committed;
        }

        private Errno Writable() => IsReadOnly ? Errno.EROFS : Errno.Ok;

        private Errno PrepareNewName(string path, out FatDirectory parent, out string name)
        {
            parent = null;
            name = null;
            Errno e = Writable();
            if (e != Errno.Ok)
                return e;
            e = SplitParent(path, out parent, out name);
            if (e != Errno.Ok)
                return e;
            return Find(parent, name) != null ? Errno.EEXIST : Errno.Ok;
        }

        // The loaded parent directory of `path` and the last component, checked as a name a new entry may take.
        private Errno SplitParent(string path, out FatDirectory parent, out string name)
        {
            parent = null;
            string trimmed = Trim(path);
            int slash = trimmed.LastIndexOf('/');
            name = slash < 0 ? trimmed : trimmed.Substring(slash + 1);
            if (name.Length > FatNames.MaxLongName)
                return Errno.ENAMETOOLONG;
            if (!FatNames.IsValidLongName(name))
                return name.Length == 0 ? Errno.EEXIST : Errno.EINVAL;
            Errno e = Lookup(slash < 0 ? "" : trimmed.Substring(0, slash), out FatNode dirNode);
            if (e != Errno.Ok)
                return e;
            if (!dirNode.IsDirectory)
                return Errno.ENOTDIR;
            return LoadDirectory(dirNode, out parent);
        }

        private static string Trim(string path)
        {
            int start = 0, end = path.Length;
            while (start < end && path[start] == '/')
                start++;
            while (end > start && path[end - 1] == '/')
                end--;
            return path.Substring(start, end - start);
        }

        private static bool IsInside(string path, string directory)
        {
            if (path.Length < directory.Length || !FatNames.SameName(path.Substring(0, directory.Length), directory))
                return false;
            return path.Length == directory.Length || path[directory.Length] == '/';
        }

        internal Errno LoadDirectory(FatNode node, out FatDirectory dir)
        {
            dir = null;
            if (!node.IsRoot && node.FirstCluster < 2)
                return Errno.EIO;   // a subdirectory without clusters would alias the fixed root
            return LoadDirectory(node.IsRoot ? RootCluster : node.FirstCluster, out dir);
        }

        private Errno LoadDirectory(uint firstCluster, out FatDirectory dir) => FatDirectory.Load(this, firstCluster, out dir);

        private static FatNode Find(FatDirectory dir, string name)
        {
            var entries = new List<FatNode>();
            dir.Entries(entries);
            for (int i = 0; i < entries.Count; i++)
            {
                FatNode n = entries[i];
                if (FatNames.SameName(n.Name, name) || FatNames.SameName(FatNames.ShortText(n.ShortName, 0), name))
                    return n;
            }
            return null;
        }

        // Frees a file's clusters or an empty directory's, then deletes its entries.
        private Errno Unlink(FatNode node)
        {
            if (node.IsDirectory)
            {
                Errno e = LoadDirectory(node, out FatDirectory dir);
                if (e != Errno.Ok)
                    return e;
                if (!dir.IsEmpty())
                    return Errno.ENOTEMPTY;
            }
            var chain = new List<uint>();
            if (!Table.Walk(node.FirstCluster, chain))
                return Errno.EIO;   // a broken chain is left alone: freeing it could free another file's clusters
            Errno deleted = DeleteEntries(node);
            if (deleted == Errno.Ok)
                Table.Cut(chain, 0);
            return deleted;
        }

        private Errno DeleteEntries(FatNode node)
        {
            Errno e = LoadDirectory(node.DirCluster, out FatDirectory dir);
            if (e != Errno.Ok)
                return e;
            int first = node.EntrySlot - node.LongSlots;
            for (int slot = first; slot <= node.EntrySlot; slot++)
                dir.Data[slot * FatDirectory.SlotBytes] = 0xE5;
            return dir.Store(first, node.EntrySlot - first + 1);
        }

        private Errno SetDotDot(uint directory, uint parent)
        {
            var cluster = new byte[Boot.ClusterBytes];
            Errno e = ReadCluster(directory, cluster, 0);
            if (e != Errno.Ok)
                return e;
            if (cluster[32] != '.' || cluster[33] != '.')
                return Errno.Ok;   // no ".." entry to fix (a damaged directory); leave it
            FatBootSector.Put16(cluster, 32 + 26, parent);
            FatBootSector.Put16(cluster, 32 + 20, Boot.Type == FatType.Fat32 ? parent >> 16 : 0);
            return WriteCluster(directory, cluster, 0);
        }

        // Writes the long-name entries (if needed) and the short entry for `name` into free slots of `dir`.
        private Errno AddEntry(FatDirectory dir, string name, byte attributes, uint cluster, uint size, long time, out FatNode node)
        {
            node = null;
            byte[] shortName = FatNames.ExactShortName(name);
            bool needsLong = shortName == null;
            if (needsLong)
            {
                shortName = FatNames.ExactShortName(FatNames.Upper(name));
                for (int tail = 1; shortName == null || ShortNameUsed(dir, shortName); tail++)
                {
                    if (tail > 999999)
                        return Errno.ENOSPC;
                    shortName = FatNames.MadeUpShortName(name, tail);
                }
            }
            else if (ShortNameUsed(dir, shortName))
            {
                return Errno.EEXIST;
            }
            int longSlots = needsLong ? (name.Length + 12) / 13 : 0;
            Errno e = dir.FindFree(longSlots + 1, out int slot);
            if (e != Errno.Ok)
                return e;
            byte checksum = FatNames.Checksum(shortName, 0);
            for (int i = 0; i < longSlots; i++)
            {
                int order = longSlots - i;
                FatNames.WriteLongEntry(dir.Data, (slot + i) * FatDirectory.SlotBytes, name, order, order == longSlots, checksum);
            }
            int at = (slot + longSlots) * FatDirectory.SlotBytes;
            WriteShortEntry(dir.Data, at, shortName, attributes, cluster, size, time);
            int count = longSlots + 2 <= dir.SlotCount - slot ? longSlots + 2 : dir.SlotCount - slot;
            e = dir.Store(slot, count);
            if (e != Errno.Ok)
                return e;
            node = new FatNode
            {
                Name = name,
                ShortName = shortName,
                Attributes = attributes,
                FirstCluster = cluster,
                Size = size,
                ModificationTime = time,
                DirCluster = dir.FirstCluster,
                EntrySlot = slot + longSlots,
                LongSlots = longSlots,
            };
            return Errno.Ok;
        }

        private static bool ShortNameUsed(FatDirectory dir, byte[] shortName)
        {
            for (int slot = 0; slot < dir.SlotCount; slot++)
            {
                int at = slot * FatDirectory.SlotBytes;
                if (dir.Data[at] == 0)
                    break;
                if (dir.Data[at] != 0xE5 && (dir.Data[at + 11] & 0x3F) != FatNode.AttrLongName && FatNames.SameShort(dir.Data, at, shortName, 0))
                    return true;
            }
            return false;
        }

        // A short entry: name (null: already written), attributes, times, first cluster and size.
        private void WriteShortEntry(byte[] data, int at, byte[] shortName, byte attributes, uint cluster, uint size, long time)
        {
            if (shortName != null)
                System.Array.Copy(shortName, 0, data, at, 11);
            data[at + 11] = attributes;
            for (int i = 12; i < 32; i++)
                data[at + i] = 0;
            FatTime.FromUnix(time, out ushort date, out ushort clock);
            FatBootSector.Put16(data, at + 14, clock);
            FatBootSector.Put16(data, at + 16, date);
            FatBootSector.Put16(data, at + 18, date);
            FatBootSector.Put16(data, at + 20, Boot.Type == FatType.Fat32 ? cluster >> 16 : 0);
            FatBootSector.Put16(data, at + 22, clock);
            FatBootSector.Put16(data, at + 24, date);
            FatBootSector.Put16(data, at + 26, cluster & 0xFFFF);
            FatBootSector.Put32(data, at + 28, size);
        }

        // Rewrites a node's first cluster, size and modification time in its directory entry.
        private Errno UpdateEntry(FatNode node)
        {
            if (node.IsRoot)
                return Errno.Ok;
            Errno e = LoadDirectory(node.DirCluster, out FatDirectory dir);
            if (e != Errno.Ok)
                return e;
            int at = node.EntrySlot * FatDirectory.SlotBytes;
            if (at + 32 > dir.Data.Length || !FatNames.SameShort(dir.Data, at, node.ShortName, 0))
                return Errno.EIO;   // the entry moved under us: never write over another
            FatTime.FromUnix(node.ModificationTime, out ushort date, out ushort clock);
            FatBootSector.Put16(dir.Data, at + 18, date);
            FatBootSector.Put16(dir.Data, at + 20, Boot.Type == FatType.Fat32 ? node.FirstCluster >> 16 : 0);
            FatBootSector.Put16(dir.Data, at + 22, clock);
            FatBootSector.Put16(dir.Data, at + 24, date);
            FatBootSector.Put16(dir.Data, at + 26, node.FirstCluster & 0xFFFF);
            FatBootSector.Put32(dir.Data, at + 28, node.Size);
            return dir.Store(node.EntrySlot, 1);
        }
    }
}
