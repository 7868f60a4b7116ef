// VisorFsRoot.Lookup.cs -- path resolution through the layers: the ramdisk tree first (whiteouts hide, opaque
// directories cut off what is below), then the tardisks latest first; symlinks are followed component by
// component with at most 40 hops (ELOOP); `..` works on the canonical, symlink-free path (the walk itself is in
// VisorFsRoot.Walk.cs). Also directory listings, which merge the upper directory with the same directory of every
// tardisk below it.
using System;
using System.Collections.Generic;
using Internal.Runtime;
using VisorFs;

namespace Kernel.VisorFs
{
    public sealed partial class VisorFsRoot
    {
        private const string TardisksPath = "/tardisks";

        public FsNode RootNode => new FsNode { Path = "/", Ram = _root };

        /// <summary>
        /// Resolves <paramref name="path"/> (relative to <paramref name="cwd"/>), following symlinks (the last
        /// component only with <paramref name="followLast"/>). On ENOENT for the last component, node.Path is the
        /// canonical path it would have, so callers can create it. Takes time linear in the path's length (plus the
        /// symlink targets it expands); a canonical path longer than PATH_MAX is ENAMETOOLONG.
        /// </summary>
        public Errno Resolve(string cwd, string path, bool followLast, out FsNode node)
        {
            node = default;
            if (path == null || path.Length == 0)
                return Errno.ENOENT;
            if (path.Length > FsPath.MaxLength)
                return Errno.ENAMETOOLONG;
            string pending = FsPath.Absolute(cwd ?? "/", path);
            PathWalk walk = PathWalk.Start(this, pending.Length);
            return walk.Run(pending, followLast, out node);
        }

        /// <summary>Resolves everything but the last component: the directory a new entry would go in, and its name.</summary>
        public Errno ResolveParent(string cwd, string path, out FsNode parent, out string name)
        {
            parent = default;
            name = path == null ? "" : FsPath.LastName(path);
            if (name.Length == 0 || name == "." || name == "..")
                return name.Length == 0 ? Errno.ENOENT : Errno.EINVAL;
            if (name.Length > 255)
                return Errno.ENAMETOOLONG;
            string directory = FsPath.DirectoryPart(path);
            Errno e = Resolve(cwd, directory, true, out parent);
            if (e != Errno.Ok)
                return e;
            return parent.IsDirectory ? Errno.Ok : Errno.ENOTDIR;
        }

        /// <summary>What a canonical path is in the layers, without following a symlink at its end.</summary>
        public Errno LookupExact(string path, out FsNode node)
        {
            node = default;
            node.Path = path;
            if (path == "/")
            {
                node.Ram = _root;
                return Errno.Ok;
            }
            if (path == TardisksPath)
            {
                node.TardisksDir = true;
                return Errno.Ok;
            }
            if (path.Length > TardisksPath.Length && path.StartsWith(TardisksPath) && path[TardisksPath.Length] == '/')
            {
                string name = path.Substring(TardisksPath.Length + 1);
                node.TardiskFile = FindTardisk(name);
                bool nested = name.IndexOf('/') >= 0;
                if (nested)
                    return Errno.ENOTDIR;
                return node.TardiskFile != null ? Errno.Ok : Errno.ENOENT;
            }
            if (FindMount(path, out MountedVolume volume, out string relative))
                return VolumeNode(volume, relative, path, out node);
            // Upper layer: the ramdisk tree.
            RamNode dir = _root;
            bool opaque = dir != null && dir.Opaque;
            int start = 1;
            while (dir != null)
            {
                int slash = path.IndexOf('/', start);
                int end = slash < 0 ? path.Length : slash;
                RamNode child = dir.Children?.Find(path, start, end - start);
                if (child == null)
                    break;
                if (child.Kind == RamNodeKind.Whiteout)
                    return Errno.ENOENT;
                if (slash < 0)
                {
                    node.Ram = child;
                    return Errno.Ok;
                }
                if (!child.IsDirectory)
                    return Errno.ENOTDIR;
                dir = child;
                opaque |= dir.Opaque;
                start = slash + 1;
            }
            if (opaque)
                return Errno.ENOENT;
            // Lower layers, the latest tardisk first.
            for (int i = _tardisks.Count - 1; i >= 0; i--)
            {
                if (_tardisks[i].Index.TryFind(path, out TarEntry entry))
                {
                    node.Tar = _tardisks[i];
                    node.Entry = entry;
                    return Errno.Ok;
                }
            }
            return Errno.ENOENT;
        }

        /// <summary>True when a tardisk (not a ramdisk) has the canonical path: deleting it needs a whiteout.</summary>
        private bool LowerHas(string path)
        {
            for (int i = _tardisks.Count - 1; i >= 0; i--)
                if (_tardisks[i].Index.TryFind(path, out _))
                    return true;
            return false;
        }

        /// <summary>
        /// Lists a directory: the upper layer's live entries, then every tardisk's, latest first, each name once.
        /// Linear in the number of entries: a lower layer's name is checked against the layers above it by one
        /// lookup per layer (the ramdisk directory, each higher tardisk's same directory), never against the list.
        /// </summary>
        public Errno ReadDirectory(FsNode dir, List<DirEntry> into)
        {
            if (!dir.Exists)
                return Errno.ENOENT;
            if (!dir.IsDirectory)
                return Errno.ENOTDIR;
            if (dir.TardisksDir)
            {
                for (int i = 0; i < _tardisks.Count; i++)
                    into.Add(new DirEntry { Name = _tardisks[i].Name, Node = new FsNode { Path = FsPath.Child(dir.Path, _tardisks[i].Name), TardiskFile = _tardisks[i] } });
                return Errno.Ok;
            }
            if (dir.Volume != null)
                return ReadVolumeDirectory(dir.Volume, dir.VolumePath, dir.Path, into);
            if (dir.Ram != null && dir.Ram.Volume != null)
                return ReadVolumeDirectory(dir.Ram.Volume, "", dir.Path, into);   // the mount point as a listing found it
            bool root = dir.Path == "/";
            RamNode upper = dir.Ram;
            if (upper != null)
            {
                for (int i = 0; i < upper.Children.Count; i++)
                {
                    RamNode c = upper.Children[i];
                    if (c.Kind != RamNodeKind.Whiteout && !(root && c.Name == TardisksName))
                        into.Add(new DirEntry { Name = c.Name, Node = new FsNode { Path = FsPath.Child(dir.Path, c.Name), Ram = c } });
                }
            }
            if (root)
                into.Add(new DirEntry { Name = TardisksName, Node = new FsNode { Path = TardisksPath, TardisksDir = true } });
            if (upper != null && IsOpaque(upper))
                return Errno.Ok;
            // The directory in every tardisk that has it, latest first, down to the first that has a file there
            // (it hides the directories of the tardisks below).
            string tarPath = root ? "" : dir.Path.Substring(1);
            var dirHash = PathHash.Empty;
            dirHash.Append(tarPath.AsSpan());
            int[] dirEntry = new int[_tardisks.Count];
            int lowest = _tardisks.Count;
            for (int t = _tardisks.Count - 1; t >= 0; t--)
            {
                dirEntry[t] = -1;
                if (!_tardisks[t].Index.TryFind(tarPath, out TarEntry tdir))
                    continue;
                if (!tdir.IsDirectory)
                    break;
                dirEntry[t] = tdir.Index;
                lowest = t;
            }
            for (int t = _tardisks.Count - 1; t >= lowest; t--)
            {
                if (dirEntry[t] < 0)
                    continue;
                TarIndex index = _tardisks[t].Index;
                for (int c = index[dirEntry[t]].FirstChild; c >= 0; c = index[c].NextSibling)
                {
                    TarEntry e = index[c];
                    string name = e.Name;
                    if ((root && name == TardisksName) || (upper != null && upper.FindChild(name) != null)
                        || ShownByHigherTardisk(dirEntry, t, dirHash, root, name))
                        continue;
                    into.Add(new DirEntry { Name = name, Node = new FsNode { Path = FsPath.Child(dir.Path, name), Tar = _tardisks[t], Entry = e } });
                }
            }
            return Errno.Ok;
        }

        // True when a tardisk above `below` that has the listed directory also has `name` in it (so it was listed).
        private bool ShownByHigherTardisk(int[] dirEntry, int below, PathHash dirHash, bool root, string name)
        {
            if (below == _tardisks.Count - 1)
                return false;
            PathHash h = dirHash;
            if (!root)
                h.Append('/');
            h.Append(name.AsSpan());
            uint hash = h.Finish();
            for (int t = below + 1; t < _tardisks.Count; t++)
                if (dirEntry[t] >= 0 && _tardisks[t].Index.FindChild(dirEntry[t], name.AsSpan(), hash) >= 0)
                    return true;
            return false;
        }

        // A ramdisk directory hides the tardisks below if it or any ancestor is opaque.
        private static bool IsOpaque(RamNode dir)
        {
            for (RamNode n = dir; n != null; n = n.Parent)
                if (n.Opaque)
                    return true;
            return false;
        }

        /// <summary>True when a directory has no visible entries.</summary>
        public bool IsEmptyDirectory(FsNode dir)
        {
            var entries = new List<DirEntry>();
            ReadDirectory(dir, entries);
            bool empty = entries.Count == 0 || (dir.Path == "/" && entries.Count == 1);
            return empty;
        }
    }
}
