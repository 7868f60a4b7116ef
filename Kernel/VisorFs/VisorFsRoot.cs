// VisorFsRoot.cs -- the overlaid root file system: read-only tardisks stacked in boot order (later wins) under
// writable ramdisks mounted at /, /etc, /var, /tmp... This file holds the layers themselves: creating, adding
// and removing ramdisks, mounting and unmounting tardisks. Lookup and changes live in the partial files beside it.
//
// Model: the ramdisks form one tree of RamNodes (a ramdisk's mount point is a node owned by that ramdisk; every
// node below it belongs to it). A path exists in the upper layer if that tree has it; a whiteout node hides the
// tardisk entries of its path; an opaque directory hides the tardisk directories below it. Otherwise the
// tardisks are searched latest first. Callers hold FsLock around each sequence of calls (the shell's file
// commands and redirection, the log writer, cron and boot intake do); WriteFile takes it itself.
using System;
using System.Collections.Generic;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Resources;
using Kernel.Time;

namespace Kernel.VisorFs
{
    public sealed partial class VisorFsRoot
    {
        public const int MaxSymlinkHops = 40;

        /// <summary>The system's root file system (null until boot intake made it).</summary>
        public static VisorFsRoot Instance { get; set; }

        public ResourceGroupTree Tree { get; private set; }
        public ResourceGroup Group { get; private set; }            // host/visorfs
        public ResourceGroup TardiskGroup { get; private set; }     // host/visorfs/tardisks
        public OpenFileTable Files { get; } = new OpenFileTable();

        private readonly List<Ramdisk> _ramdisks = new List<Ramdisk>();
        private readonly List<Tardisk> _tardisks = new List<Tardisk>();
        private RamNode _root;

        /// <summary>The top of the ramdisk tree (sticky-state backup walks it: markers only live in ramdisks).</summary>
        internal RamNode RamRoot => _root;

        public int RamdiskCount => _ramdisks.Count;
        public Ramdisk RamdiskAt(int i) => _ramdisks[i];
        public int TardiskCount => _tardisks.Count;
        public Tardisk TardiskAt(int i) => _tardisks[i];

        /// <summary>Makes the groups `PARENT/NAME` (unlimited) and `PARENT/NAME/tardisks` (limited) for a new root.</summary>
        public static VisorFsRoot Create(ResourceGroupTree tree, ResourceGroup parent, string name, long tardiskLimit)
        {
            GroupsLock.LockTree();
            GroupError error = tree.Add(parent, name, 0, ResourceGroup.Unlimited, out ResourceGroup group);
            ResourceGroup tardisks = null;
            if (error == GroupError.None)
                error = tree.Add(group, "tardisks", 0, tardiskLimit, out tardisks);
            GroupsLock.UnlockTree();
            if (error != GroupError.None)
                return null;
            return new VisorFsRoot { Tree = tree, Group = group, TardiskGroup = tardisks };
        }

        public static long Now => Clock.HasWallClock ? Clock.WallMilliseconds / 1000 : 0;

        public Ramdisk FindRamdisk(string name)
        {
            for (int i = 0; i < _ramdisks.Count; i++)
                if (_ramdisks[i].Name == name)
                    return _ramdisks[i];
            return null;
        }

        public Tardisk FindTardisk(string name) => FindTardisk(name.AsSpan());

        /// <summary>The tardisk named <paramref name="name"/> (a slice of a path during a walk: no string made), or null.</summary>
        public Tardisk FindTardisk(ReadOnlySpan<char> name)
        {
            for (int i = 0; i < _tardisks.Count; i++)
                if (global::VisorFs.TarPath.SameAs(_tardisks[i].Name, name))
                    return _tardisks[i];
            return null;
        }

        /// <summary>
        /// `ramdisk add`: a new pool mounted at <paramref name="mountPath"/> (absolute). The first ramdisk must be
        /// mounted at `/`. The mount point is created if missing; an existing ramdisk directory there must be empty.
        /// </summary>
        public Errno AddRamdisk(string name, string mountPath, long min, long max, int mode, int maxInodes)
        {
            if (name == null || name.Length == 0 || name == "tardisks" || FindRamdisk(name) != null)
                return name == null || name.Length == 0 ? Errno.EINVAL : Errno.EEXIST;
            if (_root == null && mountPath != "/")
                return Errno.EINVAL;
            RamNode parent = null;
            string leaf = null;
            if (_root != null)
            {
                Errno resolved = Resolve("/", mountPath, true, out FsNode existing);
                if (resolved == Errno.Ok)
                {
                    if (!existing.IsDirectory || existing.TardisksDir || existing.TardiskFile != null)
                        return existing.IsDirectory ? Errno.EBUSY : Errno.ENOTDIR;
                    if (existing.Ram != null && (existing.Ram == existing.Ram.Owner.Root || CountLive(existing.Ram) > 0 || existing.Ram.OpenCount > 0))
                        return Errno.EBUSY;
                    mountPath = existing.Path;
                }
                else if (resolved == Errno.ENOENT && existing.Path != null)
                {
                    mountPath = existing.Path;
                }
                else
                {
                    return resolved;
                }
                if (mountPath == "/")
                    return Errno.EBUSY;
                Errno made = EnsureRamDirectory(FsPath.Parent(mountPath), out parent);
                if (made != Errno.Ok)
                    return made;
                leaf = FsPath.LastName(mountPath);
            }
            Errno created = Ramdisk.TryCreate(Tree, Group, name, min, max, mode, maxInodes, out Ramdisk disk);
            if (created != Errno.Ok)
                return created;
            disk.MountPath = _root == null ? "/" : mountPath;
            disk.TryTakeInode(disk.MountPath);
            RamNode root = disk.NewNode(parent, leaf ?? "", RamNodeKind.Directory, mode, Now);
            disk.Root = root;
            if (parent != null)
            {
                RamNode old = parent.FindChild(leaf);
                if (old != null)
                {
                    // An empty directory (or a whiteout) of the parent ramdisk becomes the mount point.
                    root.Opaque = old.Kind == RamNodeKind.Whiteout || old.Opaque;
                    parent.Children.Remove(old);
                    Ramdisk.FreeTree(old);
                }
                parent.Children.Add(root);
            }
            else
            {
                _root = root;
            }
            _ramdisks.Add(disk);
            Log.Info("VisorFs", string.Concat("Ramdisk ", name, string.Concat(" mounted on ", disk.MountPath, ": "),
                string.Concat(DescribeLimits(disk), ", file table ", maxInodes.ToString())));
            return Errno.Ok;
        }

        /// <summary>`ramdisk remove`: unmounts and frees a ramdisk (not the root; EBUSY while a file of it is open).</summary>
        public Errno RemoveRamdisk(string name)
        {
            Ramdisk disk = FindRamdisk(name);
            if (disk == null)
                return Errno.ENOENT;
            if (disk.Root == _root || disk.OpenCount > 0 || HasNestedMount(disk))
                return Errno.EBUSY;
            RamNode mount = disk.Root;
            mount.Parent.Children.Remove(mount);
            Ramdisk.FreeTree(mount);
            disk.Destroy();
            _ramdisks.Remove(disk);
            Log.Info("VisorFs", string.Concat("Ramdisk ", name, " removed"));
            return Errno.Ok;
        }

        private bool HasNestedMount(Ramdisk disk)
        {
            for (int i = 0; i < _ramdisks.Count; i++)
                for (RamNode n = _ramdisks[i].Root.Parent; n != null; n = n.Parent)
                    if (n.Owner == disk && _ramdisks[i] != disk)
                        return true;
            return false;
        }

        public static string DescribeLimits(Ramdisk disk)
            => string.Concat("(", (disk.MinBytes >> 20).ToString(), ",", string.Concat((disk.MaxBytes >> 20).ToString(), ",", FileMode.Octal(disk.Mode), string.Concat(",", disk.Name, ")")));

        /// <summary>Adds an indexed archive as the topmost tardisk.</summary>
        public Errno AddTardisk(Tardisk disk)
        {
            if (FindTardisk(disk.Name) != null)
                return Errno.EEXIST;
            _tardisks.Add(disk);
            return Errno.Ok;
        }

        /// <summary>Unmounts a tardisk (the layers below show through again); EBUSY while one of its files is open.</summary>
        public Errno RemoveTardisk(string name)
        {
            Tardisk disk = FindTardisk(name);
            if (disk == null)
                return Errno.ENOENT;
            if (disk.OpenCount > 0)
                return Errno.EBUSY;
            _tardisks.Remove(disk);
            disk.Release();
            Log.Info("VisorFs", string.Concat("Tardisk ", name, " unmounted"));
            return Errno.Ok;
        }

        private static int CountLive(RamNode dir)
        {
            int n = 0;
            for (int i = 0; i < dir.Children.Count; i++)
                if (dir.Children[i].Kind != RamNodeKind.Whiteout)
                    n++;
            return n;
        }
    }
}
