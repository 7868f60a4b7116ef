// VisorFsRoot.Walk.cs -- path resolution in time linear in the path's length. The walk descends one component at
// a time and keeps where it is in every layer: the ramdisk tree's node, and each tardisk's directory entry, so a
// component costs a lookup of its name in each layer, never a re-walk from the root or a string per level.
//
// Why the state looks like this: every layer holds an unbroken prefix of the path (a layer that lacks `/a` cannot
// have `/a/b`), so each layer is fully described by the depth it has matched down to and its node there; a layer is
// "here" when that depth is the walk's depth. Hiding falls out of the same rule: a layer that must not be looked into
// below some directory (an opaque ramdisk directory above it, or a file in a higher layer at that name) simply does
// not descend, so it is not here at any deeper level and is here again after `..` climbs back. `..` is one step up
// in every layer (the node's parent) and in the path text, whose length and hash state are kept per level. The
// tardisk child lookup hashes the child's whole path by extending the parent level's saved hash state with the name
// (PathHash), and compares only the name.
using System;
using VisorFs;

namespace Kernel.VisorFs
{
    public sealed partial class VisorFsRoot
    {
        private struct PathWalk
        {
            private VisorFsRoot _fs;
            private char[] _path;           // the canonical path so far: "/" then the components joined by '/'
            private int _length;
            private int _depth;             // components below the root
            private int[] _levelEnd;        // _length at each depth (the root: 1)
            private PathHash[] _levelHash;  // each depth's path hashed in tardisk form (no leading '/'; the root is "")
            private RamNode _ram;           // the ramdisk tree's node at _ramDepth
            private int _ramDepth;          // -1: no ramdisk yet
            private bool _inTardisksDir;    // depth 1 is the synthetic /tardisks
            private int[] _tarDepth;        // per tardisk: the depth it has matched down to (-1: hidden from the root)
            private int[] _tarEntry;        // ... and its directory entry there
            private int[] _tarFound;        // scratch: each tardisk's entry for the component being looked up
            private PathHash _childHash;    // scratch: the hash state of the component being looked up

            public static PathWalk Start(VisorFsRoot fs, int pathLength)
            {
                int tardisks = fs._tardisks.Count;
                var walk = new PathWalk
                {
                    _fs = fs,
                    _path = new char[pathLength + 2 < 64 ? 64 : pathLength + 2],
                    _levelEnd = new int[16],
                    _levelHash = new PathHash[16],
                    _tarDepth = new int[tardisks],
                    _tarEntry = new int[tardisks],
                    _tarFound = new int[tardisks],
                };
                walk.ToRoot();
                return walk;
            }

            private void ToRoot()
            {
                _path[0] = '/';
                _length = 1;
                _depth = 0;
                _levelEnd[0] = 1;
                _levelHash[0] = PathHash.Empty;
                _ram = _fs._root;
                _ramDepth = _ram == null ? -1 : 0;
                _inTardisksDir = false;
                bool hidden = _ram != null && _ram.Opaque;
                for (int t = 0; t < _tarDepth.Length; t++)
                {
                    _tarDepth[t] = hidden ? -1 : 0;
                    _tarEntry[t] = 0;
                }
            }

            /// <summary>Walks absolute <paramref name="pending"/>; see <see cref="VisorFsRoot.Resolve"/>.</summary>
            public Errno Run(string pending, bool followLast, out FsNode node)
            {
                node = default;
                int pos = 0, hops = 0;
                while (true)
                {
                    while (pos < pending.Length && pending[pos] == '/')
                        pos++;
                    if (pos >= pending.Length)
                    {
                        node = Here();
                        return Errno.Ok;
                    }
                    int end = pending.IndexOf('/', pos);
                    if (end < 0)
                        end = pending.Length;
                    int after = end;
                    while (after < pending.Length && pending[after] == '/')
                        after++;
                    bool last = after >= pending.Length;
                    int length = end - pos;
                    if (length == 1 && pending[pos] == '.')
                    {
                        pos = end;
                        continue;
                    }
                    if (length == 2 && pending[pos] == '.' && pending[pos + 1] == '.')
                    {
                        pos = end;
                        Up();
                        continue;
                    }
                    if (length > 255 || ChildLength(length) > FsPath.MaxLength)
                        return Errno.ENAMETOOLONG;
                    Errno found = Child(pending, pos, length, out FsNode child);
                    if (found != Errno.Ok)
                    {
                        node.Path = last && found == Errno.ENOENT ? ChildPath(pending, pos, length) : null;
                        return found;
                    }
                    if (child.Kind == FileKind.Symlink && (!last || followLast))
                    {
                        if (++hops > MaxSymlinkHops)
                            return Errno.ELOOP;
                        string target = child.LinkTarget;
                        if (target == null || target.Length == 0)
                            return Errno.ENOENT;
                        // The target replaces the link: relative to the directory we are in, or from the root.
                        pending = string.Concat(target, "/", pending.Substring(end));
                        pos = 0;
                        if (target[0] == '/')
                            ToRoot();
                        continue;
                    }
                    if (!child.IsDirectory)
                    {
                        if (!last)
                            return Errno.ENOTDIR;   // `file/x`, `file/.` and `file/..` alike
                        child.Path = ChildPath(pending, pos, length);
                        node = child;
                        return Errno.Ok;
                    }
                    Descend(pending, pos, length, in child);
                    pos = end;
                    if (child.Ram != null && child.Ram.Volume != null)
                    {
                        // A mount point: the rest of the path is the volume's.
                        Errno onVolume = WalkVolume(child.Ram.Volume, pending, ref pos, out node, out bool climbedOut);
                        if (!climbedOut)
                            return onVolume;
                    }
                }
            }

            // The rest of `pending` from `pos` inside a volume mounted where the walk is: `.` and `..` are taken
            // lexically (a volume has no symlinks); a `..` above the volume's root climbs back out of it, and the
            // walk goes on from the mount point's parent (climbedOut).
            private Errno WalkVolume(MountedVolume volume, string pending, ref int pos, out FsNode node, out bool climbedOut)
            {
                node = default;
                climbedOut = false;
                var parts = new System.Collections.Generic.List<string>();
                while (true)
                {
                    while (pos < pending.Length && pending[pos] == '/')
                        pos++;
                    if (pos >= pending.Length)
                        break;
                    int end = pending.IndexOf('/', pos);
                    if (end < 0)
                        end = pending.Length;
                    string name = pending.Substring(pos, end - pos);
                    pos = end;
                    if (name == ".")
                        continue;
                    if (name == "..")
                    {
                        if (parts.Count == 0)
                        {
                            Up();
                            climbedOut = true;
                            return Errno.Ok;
                        }
                        parts.RemoveAt(parts.Count - 1);
                        continue;
                    }
                    if (name.Length > 255)
                        return Errno.ENAMETOOLONG;
                    parts.Add(name);
                }
                string relative = string.Join("/", parts.ToArray());
                string mountPoint = new string(_path, 0, _length);
                string canonical = relative.Length == 0 ? mountPoint : string.Concat(mountPoint, "/", relative);
                if (canonical.Length > FsPath.MaxLength)
                    return Errno.ENAMETOOLONG;
                Errno e = VolumeNode(volume, relative, canonical, out node);
                if (e == Errno.ENOENT && parts.Count > 0)
                {
                    // As for the layers: the would-be path only when its directory exists, so callers can create it.
                    int lastLength = parts[parts.Count - 1].Length;
                    string parent = parts.Count == 1 ? "" : relative.Substring(0, relative.Length - lastLength - 1);
                    if (volume.Stat(parent, out VolumeEntry dir) != Errno.Ok || !dir.IsDirectory)
                        node.Path = null;
                }
                return e;
            }

            private readonly int ChildLength(int nameLength) => _length + (_depth > 0 ? 1 : 0) + nameLength;

            // The canonical path of a component of the current directory, as a string (only for a walk's result).
            private readonly string ChildPath(string text, int start, int length) =>
                _depth == 0 ? string.Concat("/", text.Substring(start, length))
                    : string.Concat(new string(_path, 0, _length), "/", text.Substring(start, length));

            /// <summary>What the name text[start, start+length) is in the current directory, top layer first.</summary>
            private Errno Child(string text, int start, int length, out FsNode child)
            {
                child = default;
                if (_inTardisksDir && _depth == 1)
                {
                    child.TardiskFile = _fs.FindTardisk(text.AsSpan().Slice(start, length));
                    return child.TardiskFile != null ? Errno.Ok : Errno.ENOENT;
                }
                if (_depth == 0 && TarPath.SameAs(TardisksName, text.AsSpan().Slice(start, length)))
                {
                    child.TardisksDir = true;
                    return Errno.Ok;
                }
                bool lowerHidden = false;
                if (_ramDepth == _depth)
                {
                    RamNode r = _ram.Children?.Find(text, start, length);
                    if (r != null)
                    {
                        if (r.Kind == RamNodeKind.Whiteout)
                            return Errno.ENOENT;
                        child.Ram = r;
                        if (!r.IsDirectory)
                            return Errno.Ok;
                        lowerHidden = r.Opaque;
                    }
                }
                _childHash = _levelHash[_depth];
                if (_depth > 0)
                    _childHash.Append('/');
                ReadOnlySpan<char> name = text.AsSpan().Slice(start, length);
                _childHash.Append(name);
                uint hash = _childHash.Finish();
                for (int t = _tarDepth.Length - 1; t >= 0; t--)
                {
                    _tarFound[t] = -1;
                    if (lowerHidden || _tarDepth[t] != _depth)
                        continue;
                    TarIndex index = _fs._tardisks[t].Index;
                    int found = index.FindChild(_tarEntry[t], name, hash);
                    if (found < 0)
                        continue;
                    TarEntry entry = index[found];
                    if (child.Ram == null && child.Entry == null)
                    {
                        child.Tar = _fs._tardisks[t];
                        child.Entry = entry;
                    }
                    if (entry.IsDirectory)
                        _tarFound[t] = found;
                    else
                        lowerHidden = true;   // a file here hides the directories of the tardisks below
                }
                return child.Exists ? Errno.Ok : Errno.ENOENT;
            }

            // Enters directory `child`, just looked up by Child (its _tarFound and _childHash are still current).
            private void Descend(string text, int start, int length, in FsNode child)
            {
                int newLength = ChildLength(length);
                if (newLength > _path.Length)
                    _path = TarIndex.Grown(_path, _length, newLength * 2);
                if (_depth > 0)
                    _path[_length++] = '/';
                for (int i = 0; i < length; i++)
                    _path[_length++] = text[start + i];
                _depth++;
                if (_depth == _levelEnd.Length)
                {
                    _levelEnd = TarIndex.Grown(_levelEnd, _depth, _depth * 2);
                    _levelHash = TarIndex.Grown(_levelHash, _depth, _depth * 2);
                }
                _levelEnd[_depth] = _length;
                _levelHash[_depth] = _childHash;
                if (child.TardisksDir)
                {
                    _inTardisksDir = true;
                    return;   // no layer has anything below /tardisks: none descends
                }
                if (child.Ram != null)
                {
                    _ram = child.Ram;
                    _ramDepth = _depth;
                }
                for (int t = 0; t < _tarFound.Length; t++)
                {
                    if (_tarFound[t] < 0)
                        continue;
                    _tarDepth[t] = _depth;
                    _tarEntry[t] = _tarFound[t];
                }
            }

            // `..`: one level up in the path and in every layer that is here (the root's parent is the root).
            private void Up()
            {
                if (_depth == 0)
                    return;
                if (_ramDepth == _depth)
                {
                    _ram = _ram.Parent;
                    _ramDepth--;
                }
                for (int t = 0; t < _tarDepth.Length; t++)
                {
                    if (_tarDepth[t] != _depth)
                        continue;
                    _tarEntry[t] = _fs._tardisks[t].Index[_tarEntry[t]].Parent;
                    _tarDepth[t]--;
                }
                _depth--;
                _length = _levelEnd[_depth];
                if (_depth == 0)
                    _inTardisksDir = false;
            }

            // The directory the walk is in, as a node: the ramdisk's if it is here, else the topmost tardisk's.
            private readonly FsNode Here()
            {
                var node = new FsNode { Path = new string(_path, 0, _length) };
                if (_depth == 0)
                {
                    node.Ram = _fs._root;
                    return node;
                }
                if (_inTardisksDir)
                {
                    node.TardisksDir = true;
                    return node;
                }
                if (_ramDepth == _depth)
                {
                    node.Ram = _ram;
                    return node;
                }
                for (int t = _tarDepth.Length - 1; t >= 0; t--)
                {
                    if (_tarDepth[t] != _depth)
                        continue;
                    node.Tar = _fs._tardisks[t];
                    node.Entry = node.Tar.Index[_tarEntry[t]];
                    break;
                }
                return node;
            }
        }

        private const string TardisksName = "tardisks";
    }
}
