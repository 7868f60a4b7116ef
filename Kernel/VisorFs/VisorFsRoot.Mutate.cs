// VisorFsRoot.Mutate.cs -- changes to the overlaid root: creating and writing files (a tardisk file is copied up
// into the ramdisk that holds its path first), directories, deleting (a tardisk entry is hidden by a whiteout),
// renaming, and the sticky-file markers. `.#*` names are the system's own and cannot be created by users.
using System;
using System.Collections.Generic;
using Internal.Runtime;
using VisorFs;

namespace Kernel.VisorFs
{
    public sealed partial class VisorFsRoot
    {
        private const int DefaultDirectoryMode = 0x1ED;   // 0755
        private const int DefaultFileMode = 0x1A4;        // 0644

        /// <summary>
        /// Makes sure the ramdisk tree has the canonical directory <paramref name="path"/> (copying up the tardisk
        /// directories on the way with their modes), and returns it.
        /// </summary>
        internal Errno EnsureRamDirectory(string path, out RamNode dir)
        {
            dir = _root;
            if (dir == null)
                return Errno.ENOENT;
            if (FindMount(path, out _, out _))
                return Errno.EXDEV;   // below a mount point the volume's directories are shown, not the ramdisk's
            int start = 1;
            while (start < path.Length)
            {
                int slash = path.IndexOf('/', start);
                int end = slash < 0 ? path.Length : slash;
                RamNode child = dir.Children?.Find(path, start, end - start);
                if (child == null || child.Kind == RamNodeKind.Whiteout)
                {
                    if (child != null)
                        return Errno.ENOENT;
                    string prefix = path.Substring(0, end);
                    int mode = DefaultDirectoryMode;
                    long mtime = Now;
                    if (LookupExact(prefix, out FsNode lower) == Errno.Ok)
                    {
                        if (!lower.IsDirectory)
                            return Errno.ENOTDIR;
                        mode = lower.Mode;
                        mtime = lower.ModificationTime;
                    }
                    else
                    {
                        return Errno.ENOENT;
                    }
                    if (!dir.Owner.TryTakeInode(prefix))
                        return Errno.ENOSPC;
                    child = dir.Owner.NewNode(dir, path.Substring(start, end - start), RamNodeKind.Directory, mode, mtime);
                    dir.Children.Add(child);
                }
                else if (!child.IsDirectory)
                {
                    return Errno.ENOTDIR;
                }
                dir = child;
                if (slash < 0)
                    break;
                start = slash + 1;
            }
            return Errno.Ok;
        }

        /// <summary>
        /// Opens a file for writing (creating it, or copying it up from its tardisk), truncated unless
        /// <paramref name="append"/>. Returns the ramdisk inode and its canonical path.
        /// </summary>
        public Errno OpenForWrite(string cwd, string path, bool append, out RamNode file, out string canonical)
        {
            file = null;
            canonical = null;
            Errno e = Resolve(cwd, path, true, out FsNode node);
            if (e == Errno.Ok)
            {
                canonical = node.Path;
                if (node.IsDirectory)
                    return Errno.EISDIR;
                if (node.Volume != null)
                    return Errno.EXDEV;   // not a ramdisk inode: see TryOpenOnVolume
                if (node.TardiskFile != null)
                    return Errno.EBUSY;
                if (node.Kind != FileKind.File)
                    return Errno.EINVAL;
                if (node.Ram != null)
                {
                    file = node.Ram;
                    if (!append)
                        file.Owner.Truncate(file, 0);
                    return Errno.Ok;
                }
                return CopyUp(node, append, out file);
            }
            if (e != Errno.ENOENT || node.Path == null)
                return e;
            canonical = node.Path;
            return CreateFile(node.Path, DefaultFileMode, out file);
        }

        /// <summary>Creates an empty regular file at a canonical path whose parent exists.</summary>
        internal Errno CreateFile(string canonical, int mode, out RamNode file)
        {
            file = null;
            string name = FsPath.LastName(canonical);
            if (FsPath.IsMarkerName(name))
                return Errno.EPERM;
            return CreateNode(canonical, name, RamNodeKind.File, mode, out file);
        }

        private Errno CreateNode(string canonical, string name, RamNodeKind kind, int mode, out RamNode node)
        {
            node = null;
            // Every node is named by its canonical path, so none may be longer than PATH_MAX, however it was
            // reached (a relative name in a deep working directory, a copy into a deep directory).
            if (canonical.Length > FsPath.MaxLength)
                return Errno.ENAMETOOLONG;
            // /tardisks holds mounted archives only (cp/mv there mount them); nothing is created below it.
            if (FsPath.IsWithin(canonical, TardisksPath))
                return Errno.EPERM;
            string parentPath = FsPath.Parent(canonical);
            Errno e = EnsureRamDirectory(parentPath, out RamNode dir);
            if (e != Errno.Ok)
                return e;
            RamNode old = dir.FindChild(name);
            if (old != null && old.Kind != RamNodeKind.Whiteout)
                return Errno.EEXIST;
            if (old == null && !dir.Owner.TryTakeInode(canonical))
                return Errno.ENOSPC;
            node = dir.Owner.NewNode(dir, name, kind, mode, Now);
            if (old != null)
            {
                // The whiteout's file-table slot passes to the new node; a directory made over one stays opaque.
                node.Opaque = kind == RamNodeKind.Directory;
                dir.Children.Remove(old);
                old.Parent = null;
            }
            dir.Children.Add(node);
            return Errno.Ok;
        }

        private Errno CopyUp(FsNode lower, bool withData, out RamNode file)
        {
            file = null;
            string name = FsPath.LastName(lower.Path);
            Errno e = CreateNode(lower.Path, name, RamNodeKind.File, lower.Entry.Mode, out file);
            if (e != Errno.Ok)
                return e;
            file.ModificationTime = lower.Entry.ModificationTime;
            if (withData)
            {
                e = file.Owner.Write(file, 0, lower.Tar.Data(lower.Entry), lower.Path);
                if (e != Errno.Ok)
                {
                    DropNode(file, lower.Path);
                    file = null;
                    return e;
                }
            }
            return Errno.Ok;
        }

        /// <summary>Appends to (or replaces) a file's contents; marks a sticky file modified.</summary>
        public Errno WriteFile(string cwd, string path, ReadOnlySpan<byte> data, bool append)
        {
            FsLock.Enter();
            Errno e = TryWriteOnVolume(cwd, path, data, append, out Errno onVolume) ? onVolume : WriteFileLocked(cwd, path, data, append);
            FsLock.Exit();
            return e;
        }

        private Errno WriteFileLocked(string cwd, string path, ReadOnlySpan<byte> data, bool append)
        {
            Errno e = OpenForWrite(cwd, path, append, out RamNode file, out string canonical);
            if (e != Errno.Ok)
                return e;
            e = file.Owner.Write(file, append ? file.Size : 0, data, canonical);
            file.ModificationTime = Now;
            MarkModified(file);
            return e;
        }

        /// <summary>
        /// Reads a whole file into a new heap array (the caller frees it); EFBIG above <paramref name="limit"/> bytes.
        /// </summary>
        public Errno ReadAll(string cwd, string path, long limit, out byte[] data)
        {
            data = null;
            Errno e = Resolve(cwd, path, true, out FsNode node);
            if (e != Errno.Ok)
                return e;
            if (node.IsDirectory)
                return Errno.EISDIR;
            if (node.Kind != FileKind.File)
                return Errno.EINVAL;
            if (node.Size > limit || node.Size > int.MaxValue)
                return Errno.EFBIG;
            e = Files.Open(node, "kernel", out int fd);
            if (e != Errno.Ok)
                return e;
            data = new byte[node.Size];
            Files.Read(fd, data);
            Files.Close(fd);
            return Errno.Ok;
        }

        /// <summary>`touch`: creates an empty file or updates the time (a tardisk file is copied up).</summary>
        public Errno Touch(string cwd, string path)
        {
            if (TryOpenOnVolume(cwd, path, true, out Errno onVolume, out _))
                return onVolume;
            Errno e = OpenForWrite(cwd, path, true, out RamNode file, out _);
            if (e != Errno.Ok)
                return e;
            file.ModificationTime = Now;
            return Errno.Ok;
        }

        /// <summary>Writes to sticky files so far: auto-backup.sh compares it with the count at the last backup.</summary>
        public ulong StickyChanges { get; private set; }

        /// <summary>Gives a modified sticky file its zero-length `.#name` marker (original mode plus T), once.</summary>
        public void MarkModified(RamNode file)
        {
            if ((file.Mode & FileMode.Sticky) == 0 || file.Parent == null || FsPath.IsMarkerName(file.Name))
                return;
            StickyChanges++;
            string markerName = string.Concat(".#", file.Name);
            RamNode existing = file.Parent.FindChild(markerName);
            if (existing != null && existing.Kind != RamNodeKind.Whiteout)
            {
                return;
            }
            if (existing != null)
            {
                file.Parent.Children.Remove(existing);
                existing.Owner.ReleaseInode();
            }
            if (!file.Owner.TryTakeInode(markerName))
                return;
            RamNode marker = file.Owner.NewNode(file.Parent, markerName, RamNodeKind.File, file.Mode | FileMode.Sticky, Now);
            file.Parent.Children.Add(marker);
        }

        /// <summary>
        /// `chmod`: gives a file or directory the permission bits <paramref name="expression"/> computes from its
        /// current mode (see <see cref="ModeExpression"/>). A tardisk's file or directory is copied up first, as for
        /// any change. Making a file sticky (`+t`) is how ESXi marks a file to persist: it gets its `.#` marker, so
        /// the next backup saves it; clearing the bit drops the marker. EINVAL for a malformed expression.
        /// </summary>
        public Errno Chmod(string cwd, string path, string expression)
        {
            Errno e = Resolve(cwd, path, true, out FsNode node);
            if (e != Errno.Ok)
                return e;
            if (node.TardisksDir || node.TardiskFile != null || node.Volume != null || FsPath.IsMarkerName(FsPath.LastName(node.Path)))
                return Errno.EPERM;   // FAT volumes have no modes
            if (!ModeExpression.TryApply(expression, node.Mode, node.IsDirectory, out int mode))
                return Errno.EINVAL;
            RamNode target = node.Ram;
            if (target == null)
            {
                if (node.IsDirectory)
                    e = EnsureRamDirectory(node.Path, out target);
                else if (node.Kind == FileKind.File)
                    e = CopyUp(node, true, out target);
                else
                    e = Errno.EPERM;   // device nodes and fifos in a tardisk stay as they are
                if (e != Errno.Ok)
                    return e;
            }
            bool wasSticky = (target.Mode & FileMode.Sticky) != 0;
            target.Mode = mode & FileMode.PermissionMask;
            if (target.Kind != RamNodeKind.File)
                return Errno.Ok;
            if ((mode & FileMode.Sticky) != 0)
                MarkModified(target);
            else if (wasSticky)
                DropMarker(target);
            return Errno.Ok;
        }

        // Removes a file's `.#name` marker (it is no longer sticky, so backups stop saving it).
        private void DropMarker(RamNode file)
        {
            if (file.Parent == null)
                return;
            string markerName = string.Concat(".#", file.Name);
            RamNode marker = file.Parent.FindChild(markerName);
            if (marker == null || marker.Kind != RamNodeKind.File)
                return;
            file.Parent.Children.Remove(marker);
            Ramdisk.FreeTree(marker);
            StickyChanges++;
        }

        public Errno Mkdir(string cwd, string path, int mode)
        {
            Errno e = ResolveParent(cwd, path, out FsNode parent, out string name);
            if (e != Errno.Ok)
                return e;
            if (parent.TardisksDir)
                return Errno.EPERM;
            if (parent.Volume != null)
                return parent.Volume.MakeDirectory(parent.VolumePath.Length == 0 ? name : string.Concat(parent.VolumePath, "/", name));
            string canonical = FsPath.Child(parent.Path, name);
            Errno made = LookupExact(canonical, out _) == Errno.Ok ? Errno.EEXIST
                : FsPath.IsMarkerName(name) ? Errno.EPERM
                : CreateNode(canonical, name, RamNodeKind.Directory, mode, out _);
            return made;
        }

        /// <summary>`rm`: deletes a file or symlink; a tardisk's is hidden by a whiteout; /tardisks/NAME unmounts.</summary>
        public Errno Unlink(string cwd, string path)
        {
            Errno e = Resolve(cwd, path, false, out FsNode node);
            if (e != Errno.Ok)
                return e;
            if (node.TardiskFile != null)
                return RemoveTardisk(node.TardiskFile.Name);
            if (node.IsDirectory)
                return Errno.EISDIR;
            if (node.Volume != null)
                return node.Volume.Remove(node.VolumePath);
            return Remove(node);
        }

        /// <summary>`rmdir`: removes an empty directory (not a mount point).</summary>
        public Errno Rmdir(string cwd, string path)
        {
            Errno e = Resolve(cwd, path, false, out FsNode node);
            if (e != Errno.Ok)
                return e;
            if (!node.IsDirectory)
                return Errno.ENOTDIR;
            if (node.Volume != null)
                return node.VolumePath.Length == 0 ? Errno.EBUSY : node.Volume.Remove(node.VolumePath);
            if (node.Path == "/" || node.TardisksDir || (node.Ram != null && node.Ram == node.Ram.Owner.Root))
                return Errno.EBUSY;
            if (!IsEmptyDirectory(node))
                return Errno.ENOTEMPTY;
            return Remove(node);
        }

        /// <summary>
        /// `rm -r`: deletes a directory and everything below it, depth first (tardisk entries are hidden, ramdisk
        /// ones freed); anything else is deleted as by <see cref="Unlink"/>. Symlinks are removed, never followed.
        /// Stops at the first failure (an open file: EBUSY; a mount point below: EBUSY), or with EINTR when
        /// <paramref name="stop"/> says so (Ctrl-C), leaving what it has not reached in place, as rm does.
        /// </summary>
        public Errno RemoveTree(string cwd, string path, Func<bool> stop = null)
        {
            Errno e = Resolve(cwd, path, false, out FsNode node);
            if (e != Errno.Ok)
                return e;
            if (!node.IsDirectory || node.TardiskFile != null)
                return Unlink(cwd, path);
            if (node.Volume != null)
                return RemoveVolumeTree(node.Volume, node.VolumePath);
            return RemoveTreeAt(node.Path, stop);
        }

        // Every level of a tree adds at least two characters ("/x") to a path no longer than PATH_MAX; the guard
        // keeps a corrupt tree from being walked without end.
        private const int MaxTreeDepth = FsPath.MaxLength / 2 + 1;

        // One directory an iterative tree walk is working through: where it is, where its copy goes, its listing.
        // The walks keep these on a list instead of recursing: a tree may be 2,000 levels deep and a world's stack
        // is 64 KiB.
        private sealed class TreeLevel
        {
            public string From;
            public string To;
            public List<DirEntry> Entries;
            public int Next;
        }

        private Errno RemoveTreeAt(string dirPath, Func<bool> stop)
        {
            var levels = new List<TreeLevel>();
            Errno e = EnterForRemoval(dirPath, levels);
            while (e == Errno.Ok && levels.Count > 0)
            {
                TreeLevel level = levels[levels.Count - 1];
                if (level.Next < level.Entries.Count)
                {
                    if (stop != null && stop())
                        return Errno.EINTR;
                    FsNode child = level.Entries[level.Next++].Node;
                    Errno r = Resolve("/", child.Path, false, out FsNode live);
                    if (r != Errno.Ok)
                        e = r;
                    else if (live.IsDirectory && !live.TardisksDir)
                        e = EnterForRemoval(live.Path, levels);
                    else
                        e = live.IsDirectory ? Errno.EBUSY : Remove(live);
                    continue;
                }
                levels.RemoveAt(levels.Count - 1);
                // Look again: hiding a tardisk child copies its directory up into a ramdisk, so the node resolved
                // on the way down may no longer say where the directory lives.
                e = Resolve("/", level.From, false, out FsNode dir);
                if (e == Errno.Ok)
                    e = Remove(dir);
            }
            return e;
        }

        private Errno EnterForRemoval(string dirPath, List<TreeLevel> levels)
        {
            if (levels.Count >= MaxTreeDepth)
                return Errno.ELOOP;
            Errno e = Resolve("/", dirPath, false, out FsNode dir);
            if (e != Errno.Ok)
                return e;
            if (dir.Path == "/" || dir.TardisksDir || (dir.Ram != null && dir.Ram == dir.Ram.Owner.Root))
                return Errno.EBUSY;
            var level = new TreeLevel { From = dir.Path, Entries = new List<DirEntry>() };
            e = ReadDirectory(dir, level.Entries);
            if (e == Errno.Ok)
                levels.Add(level);
            return e;
        }

        /// <summary>
        /// `cp -r`: copies a directory tree to <paramref name="destination"/> (a new name, or into an existing
        /// directory); files as by <see cref="Copy"/>, symlinks as symlinks, modes kept. A copy that fails part way
        /// (a full ramdisk, or EINTR when <paramref name="stop"/> says so) is removed again. Anything but a
        /// directory is copied as by <see cref="Copy"/>.
        /// </summary>
        public Errno CopyRecursive(string cwd, string source, string destination, Func<bool> stop = null)
        {
            Errno e = Resolve(cwd, source, false, out FsNode from);
            if (e != Errno.Ok)
                return e;
            if (!from.IsDirectory || from.TardisksDir)
                return from.TardisksDir ? Errno.EPERM : Copy(cwd, source, destination);
            if (from.Volume != null)
                return Errno.EXDEV;   // cp -r out of a volume: not yet (files one by one work)
            e = DirectoryDestination(cwd, from, destination, out string canonical, out _);
            if (e != Errno.Ok)
                return e;
            if (FsPath.IsWithin(canonical, from.Path))
                return Errno.EINVAL;   // into itself
            if (LookupExact(canonical, out _) == Errno.Ok)
                return Errno.EEXIST;
            return CopyWholeTree(from.Path, canonical, stop);
        }

        // mv of a symlink moves the link itself (its target text), replacing a file or link of that name.
        private Errno MoveSymlink(string cwd, FsNode from, string source, string destination)
        {
            string target = destination;
            if (Resolve(cwd, destination, true, out FsNode to) == Errno.Ok && to.IsDirectory)
                target = FsPath.Child(to.Path, FsPath.LastName(from.Path));
            Errno e = NewEntryPath(cwd, target, out string canonical);
            if (e != Errno.Ok)
                return e;
            if (canonical == from.Path)
                return Errno.Ok;
            if (LookupExact(canonical, out FsNode existing) == Errno.Ok)
            {
                if (existing.IsDirectory)
                    return Errno.EISDIR;
                e = Remove(existing);
                if (e != Errno.Ok)
                    return e;
            }
            e = CreateSymlink(canonical, from.LinkTarget);
            return e == Errno.Ok ? Unlink(cwd, source) : e;
        }

        // Where a directory copied or moved to `destination` ends up: inside it if it is an existing directory
        // (keeping the source's name), else at that path; its canonical path and the parent directory's node.
        private Errno DirectoryDestination(string cwd, FsNode from, string destination, out string canonical, out FsNode parent)
        {
            canonical = null;
            string target = destination;
            if (Resolve(cwd, destination, true, out FsNode to) == Errno.Ok)
            {
                if (!to.IsDirectory)
                {
                    parent = default;
                    return Errno.ENOTDIR;
                }
                target = FsPath.Child(to.Path, FsPath.LastName(from.Path));
            }
            Errno e = ResolveParent(cwd, target, out parent, out string name);
            if (e != Errno.Ok)
                return e;
            canonical = FsPath.Child(parent.Path, name);
            return Errno.Ok;
        }

        // Copies a directory tree to a new path, all or nothing: a copy that fails part way is removed again.
        private Errno CopyWholeTree(string from, string to, Func<bool> stop)
        {
            Errno e = CopyTree(from, to, stop);
            if (e != Errno.Ok && LookupExact(to, out _) == Errno.Ok)
                RemoveTreeAt(to, null);
            return e;
        }

        // Copies the directory at canonical path `from` to the new canonical path `to`, depth first.
        private Errno CopyTree(string from, string to, Func<bool> stop)
        {
            var levels = new List<TreeLevel>();
            Errno e = EnterForCopy(from, to, levels);
            while (e == Errno.Ok && levels.Count > 0)
            {
                TreeLevel level = levels[levels.Count - 1];
                if (level.Next >= level.Entries.Count)
                {
                    levels.RemoveAt(levels.Count - 1);
                    continue;
                }
                if (stop != null && stop())
                    return Errno.EINTR;
                DirEntry entry = level.Entries[level.Next++];
                string childFrom = entry.Node.Path;
                string childTo = FsPath.Child(level.To, entry.Name);
                e = Resolve("/", childFrom, false, out FsNode child);
                if (e != Errno.Ok)
                    break;
                if (child.IsDirectory)
                    e = EnterForCopy(childFrom, childTo, levels);
                else if (child.Kind == FileKind.Symlink)
                    e = CreateSymlink(childTo, child.LinkTarget);
                else if (child.Kind == FileKind.File)
                    e = Copy("/", childFrom, childTo);
                // Device nodes and fifos (tardisk-only) are not copied: a ramdisk cannot hold them.
            }
            return e;
        }

        private Errno EnterForCopy(string from, string to, List<TreeLevel> levels)
        {
            if (levels.Count >= MaxTreeDepth)
                return Errno.ELOOP;
            Errno e = Resolve("/", from, false, out FsNode dir);
            if (e != Errno.Ok)
                return e;
            e = Mkdir("/", to, dir.Mode);
            var level = new TreeLevel { From = from, To = to, Entries = new List<DirEntry>() };
            if (e == Errno.Ok)
                e = ReadDirectory(dir, level.Entries);
            if (e == Errno.Ok)
                levels.Add(level);
            return e;
        }

        /// <summary>`ln -s TARGET LINK`: a symlink in the ramdisk that holds LINK's directory; TARGET is kept as written.</summary>
        public Errno Symlink(string cwd, string target, string path)
        {
            if (target.Length == 0)
                return Errno.ENOENT;
            if (target.Length > TarPath.MaxLength)
                return Errno.ENAMETOOLONG;   // the same bound a tardisk's link targets have
            Errno e = NewEntryPath(cwd, path, out string canonical);
            if (e != Errno.Ok)
                return e;
            if (LookupExact(canonical, out _) == Errno.Ok)
                return Errno.EEXIST;
            return CreateSymlink(canonical, target);
        }

        // The canonical path of an entry about to be made at `path`: its directory must exist, and neither
        // /tardisks nor a `.#` marker name takes user entries.
        private Errno NewEntryPath(string cwd, string path, out string canonical)
        {
            canonical = null;
            Errno e = ResolveParent(cwd, path, out FsNode parent, out string name);
            if (e != Errno.Ok)
                return e;
            if (parent.TardisksDir || FsPath.IsMarkerName(name))
                return Errno.EPERM;
            canonical = FsPath.Child(parent.Path, name);
            return Errno.Ok;
        }

        private Errno CreateSymlink(string canonical, string target)
        {
            Errno e = CreateNode(canonical, FsPath.LastName(canonical), RamNodeKind.Symlink, 0x1FF, out RamNode link);
            if (e != Errno.Ok)
                return e;
            link.LinkTarget = target;
            return Errno.Ok;
        }


        // Drops the upper node (if any) and hides the lower entry (if any). An open file loses its name at once and
        // its data at its last close, as POSIX has it (gzip and sed -i unlink files they still hold open); an open
        // directory stays busy.
        private Errno Remove(FsNode node)
        {
            if (node.Ram != null && node.Ram.OpenCount > 0 && node.Ram.Kind != RamNodeKind.File)
                return Errno.EBUSY;
            bool lower = LowerHas(node.Path);
            if (node.Ram != null)
            {
                RamNode dir = node.Ram.Parent;
                string name = node.Ram.Name;
                Ramdisk owner = node.Ram.Owner;
                dir.Children.Remove(node.Ram);
                if (node.Ram.OpenCount > 0)
                {
                    node.Ram.Unlinked = true;   // OpenFileTable.Pin frees it when the last opener lets go
                    node.Ram.Parent = null;
                }
                else
                {
                    Ramdisk.FreeTree(node.Ram);
                }
                // The freed file-table slot is the whiteout's, so hiding the tardisk entry cannot fail (unless the
                // file is still open and holds its slot, and the table is full: then the tardisk's copy shows again).
                if (lower && owner.TryTakeInode(node.Path))
                    dir.Children.Add(owner.NewNode(dir, name, RamNodeKind.Whiteout, 0, Now));
                return Errno.Ok;
            }
            Errno e = EnsureRamDirectory(FsPath.Parent(node.Path), out RamNode parent);
            if (e != Errno.Ok)
                return e;
            if (!parent.Owner.TryTakeInode(node.Path))
                return Errno.ENOSPC;
            parent.Children.Add(parent.Owner.NewNode(parent, FsPath.LastName(node.Path), RamNodeKind.Whiteout, 0, Now));
            return Errno.Ok;
        }

        // Undoes a node just created (a failed copy).
        private void DropNode(RamNode node, string path)
        {
            node.Parent?.Children.Remove(node);
            Ramdisk.FreeTree(node);
        }

        /// <summary>
        /// `cp`: copies a file's bytes to a new or existing file (a partial copy is removed when the ramdisk fills).
        /// A destination in /tardisks mounts the copy as a tardisk instead.
        /// </summary>
        public Errno Copy(string cwd, string source, string destination)
        {
            Errno e = Resolve(cwd, source, true, out FsNode from);
            if (e != Errno.Ok)
                return e;
            if (from.IsDirectory)
                return Errno.EISDIR;
            if (from.Kind != FileKind.File)
                return Errno.EINVAL;
            string target = destination;
            if (Resolve(cwd, destination, true, out FsNode to) == Errno.Ok && to.IsDirectory)
                target = FsPath.Child(to.Path, FsPath.LastName(from.Path));
            if (Resolve(cwd, FsPath.DirectoryPart(target), true, out FsNode targetDir) == Errno.Ok && targetDir.TardisksDir)
                return MountFromFile(from, FsPath.LastName(target));
            if (Resolve(cwd, target, true, out FsNode existing) == Errno.Ok && (SameFile(existing, from)
                || (existing.Volume != null && existing.Volume == from.Volume && FatSamePath(existing.VolumePath, from.VolumePath))))
                return Errno.EINVAL;
            if (TryOpenOnVolume(cwd, target, false, out Errno opened, out string onVolume))
                return opened != Errno.Ok ? opened : CopyToVolume(from, onVolume);
            e = OpenForWrite(cwd, target, false, out RamNode file, out string canonical);
            if (e != Errno.Ok)
                return e;
            file.Mode = from.Mode;
            e = CopyBytes(from, file, canonical);
            if (e != Errno.Ok)
            {
                // The destination may have existed and be open (OpenForWrite returns the live inode): freeing it
                // would leave the open-file table pointing at freed memory. Keep an open one, emptied.
                if (file.OpenCount > 0)
                    file.Owner.Truncate(file, 0);
                else
                    DropNode(file, canonical);
                return e;
            }
            file.ModificationTime = Now;
            MarkModified(file);
            return Errno.Ok;
        }

        private static bool SameFile(FsNode a, FsNode b)
            => (a.Ram != null && a.Ram == b.Ram) || (a.Ram == null && a.Entry != null && a.Entry == b.Entry);

        // Volume names compare without case (FAT's rule), so `cp a A` on a volume is the same file.
        private static bool FatSamePath(string a, string b) => a.Length == b.Length && a.ToUpperInvariant() == b.ToUpperInvariant();

        private unsafe Errno CopyBytes(FsNode from, RamNode to, string path)
        {
            if (from.Volume != null)
                return CopyFromVolume(from, to, path);
            if (from.Ram == null)
            {
                ReadOnlySpan<byte> data = from.TardiskFile != null ? from.TardiskFile.Bytes : from.Tar.Data(from.Entry);
                return to.Owner.Write(to, 0, data, path);
            }
            byte* buffer = stackalloc byte[4096];
            var chunk = new Span<byte>(buffer, 4096);
            long offset = 0;
            while (true)
            {
                int n = Ramdisk.Read(from.Ram, offset, chunk);
                if (n <= 0)
                    return Errno.Ok;
                Errno e = to.Owner.Write(to, offset, chunk.Slice(0, n), path);
                if (e != Errno.Ok)
                    return e;
                offset += n;
            }
        }

        /// <summary>
        /// `mv`: renames. Files move by copy and delete (across ramdisks and out of tardisks alike); a directory is
        /// relinked when it lives in one ramdisk only and stays there, else copied and then removed (a failed copy
        /// is undone). A mount point is EBUSY. Into /tardisks = live mount.
        /// </summary>
        public Errno Rename(string cwd, string source, string destination)
        {
            Errno e = Resolve(cwd, source, false, out FsNode from);
            if (e != Errno.Ok)
                return e;
            if (from.Path == "/" || from.TardisksDir)
                return Errno.EBUSY;
            if (from.Kind == FileKind.Symlink)
                return MoveSymlink(cwd, from, source, destination);
            if (from.Volume != null && from.VolumePath.Length == 0)
                return Errno.EBUSY;   // a volume's mount point
            if (from.Volume != null && TryRenameOnVolume(cwd, from, destination, out Errno renamed))
                return renamed;
            if (!from.IsDirectory)
            {
                e = Copy(cwd, source, destination);
                if (e != Errno.Ok)
                    return e;
                return Unlink(cwd, source);
            }
            if (from.Ram != null && from.Ram == from.Ram.Owner.Root)
                return Errno.EBUSY;   // a mount point
            if (from.Volume != null || (from.Ram != null && from.Ram.Volume != null))
                return Errno.EXDEV;   // a directory off its volume: not yet
            e = DirectoryDestination(cwd, from, destination, out string canonical, out FsNode parent);
            if (e != Errno.Ok)
                return e;
            string name = FsPath.LastName(canonical);
            if (FsPath.IsMarkerName(name))
                return Errno.EPERM;
            if (LookupExact(canonical, out _) == Errno.Ok)
                return Errno.EEXIST;
            if (FsPath.IsWithin(canonical, from.Path))
                return Errno.EINVAL;   // into itself (an existing path was refused above)
            e = EnsureRamDirectory(parent.Path, out RamNode dir);
            if (e != Errno.Ok)
                return e;
            if (from.Ram == null || LowerHas(from.Path) || dir.Owner != from.Ram.Owner)
            {
                // Not one ramdisk's subtree moving within that ramdisk: copy it over, then remove the original
                // (what mv does across devices). A failed copy is undone, so nothing is lost either way.
                e = CopyWholeTree(from.Path, canonical, null);
                return e == Errno.Ok ? RemoveTreeAt(from.Path, null) : e;
            }
            RamNode moving = from.Ram;
            RamNode old = dir.FindChild(name);
            if (old != null)
            {
                dir.Children.Remove(old);
                Ramdisk.FreeTree(old);
            }
            moving.Parent.Children.Remove(moving);
            moving.Name = name;
            moving.Parent = dir;
            dir.Children.Add(moving);
            return Errno.Ok;
        }
    }
}
