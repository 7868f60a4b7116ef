// VisorFsRoot.Volumes.cs -- mounted volumes (FAT partitions) in the namespace, as ESXi shows them: the volume at
// /vmfs/volumes/UUID (a ramdisk directory marked as the mount point; the path walk forwards what is below it to the
// volume) and a symlink /vmfs/volumes/LABEL -> UUID. This file holds the mount table and the volume side of the
// operations the shell uses: writing (create, truncate, append), copying in and out, removing trees. Ramdisk-only
// operations (chmod, ln -s, creating ramdisk nodes) are refused below a mount point rather than shadowing the volume.
using System;
using System.Collections.Generic;

namespace Kernel.VisorFs
{
    public sealed partial class VisorFsRoot
    {
        private readonly List<MountedVolume> _volumes = new List<MountedVolume>();

        public int VolumeCount => _volumes.Count;
        public MountedVolume VolumeAt(int i) => _volumes[i];

        /// <summary>Mounts <paramref name="volume"/> on /vmfs/volumes/UUID and links its label there.</summary>
        public Errno MountVolume(MountedVolume volume)
        {
            FsLock.Enter();
            try
            {
                if (FindMount(volume.MountPath, out _, out _))
                    return Errno.EBUSY;
                // /vmfs, /vmfs/volumes and the mount point: ramdisk directories of the root (made if missing).
                Mkdir("/", "/vmfs", DefaultDirectoryMode);
                Mkdir("/", MountedVolume.VolumesPath, DefaultDirectoryMode);
                Mkdir("/", volume.MountPath, DefaultDirectoryMode);
                Errno e = EnsureRamDirectory(volume.MountPath, out RamNode dir);
                if (e != Errno.Ok)
                    return e;
                if (dir.Children != null && dir.Children.Count > 0)
                    return Errno.EBUSY;   // something is there already; never hide it
                dir.Volume = volume;
                _volumes.Add(volume);
                string link = string.Concat(MountedVolume.VolumesPath, "/", volume.Label);
                if (volume.Label.Length > 0 && volume.Label.IndexOf('/') < 0 && LookupExact(link, out _) == Errno.ENOENT)
                    CreateSymlink(link, volume.Uuid);
                return Errno.Ok;
            }
            finally
            {
                FsLock.Exit();
            }
        }

        /// <summary>The volume a canonical path lies on, and the path relative to its root; false when none.</summary>
        internal bool FindMount(string canonical, out MountedVolume volume, out string relative)
        {
            for (int i = 0; i < _volumes.Count; i++)
            {
                string at = _volumes[i].MountPath;
                if (!FsPath.IsWithin(canonical, at))
                    continue;
                volume = _volumes[i];
                relative = canonical.Length == at.Length ? "" : canonical.Substring(at.Length + 1);
                return true;
            }
            volume = null;
            relative = null;
            return false;
        }

        // What a canonical path on a volume is, as a node (ENOENT leaves node.Path set, as the walk does).
        internal static Errno VolumeNode(MountedVolume volume, string relative, string canonical, out FsNode node)
        {
            node = default;
            node.Path = canonical;
            Errno e = volume.Stat(relative, out VolumeEntry entry);
            if (e != Errno.Ok)
                return e;
            node.Volume = volume;
            node.VolumePath = relative;
            node.OnVolume = entry;
            return Errno.Ok;
        }

        /// <summary>
        /// When <paramref name="path"/> is (or would be created) on a volume: creates it there, or truncates it unless
        /// <paramref name="append"/>; true with the result. False when the path is not on a volume (the caller goes
        /// the ramdisk way).
        /// </summary>
        public bool TryOpenOnVolume(string cwd, string path, bool append, out Errno result, out string canonical)
        {
            Errno e = Resolve(cwd, path, true, out FsNode node);
            canonical = node.Path;
            result = Errno.Ok;
            if (e == Errno.Ok && node.Volume != null)
            {
                if (node.IsDirectory)
                    result = Errno.EISDIR;
                else if (!append)
                    result = node.Volume.Truncate(node.VolumePath, 0);
                return true;
            }
            if (e == Errno.ENOENT && node.Path != null && FindMount(node.Path, out MountedVolume volume, out string relative))
            {
                result = volume.Create(relative);
                return true;
            }
            return false;
        }

        // WriteFile's volume side: false when the path is not on a volume.
        private bool TryWriteOnVolume(string cwd, string path, ReadOnlySpan<byte> data, bool append, out Errno result)
        {
            if (!TryOpenOnVolume(cwd, path, append, out result, out string canonical))
                return false;
            if (result != Errno.Ok)
                return true;
            FindMount(canonical, out MountedVolume volume, out string relative);
            result = volume.Stat(relative, out VolumeEntry entry);
            if (result == Errno.Ok && data.Length > 0)
                result = volume.Write(relative, append ? entry.Size : 0, data);
            return true;
        }

        // Copies a file's bytes (from any layer or volume) into a file on a volume that TryOpenOnVolume just emptied.
        private Errno CopyToVolume(FsNode from, string canonical)
        {
            FindMount(canonical, out MountedVolume volume, out string relative);
            Errno e = Files.Open(from, "cp", out int fd);
            if (e != Errno.Ok)
                return e;
            var chunk = new byte[16384];
            long offset = 0;
            try
            {
                while (true)
                {
                    int n = Files.Read(fd, chunk);
                    if (n < 0)
                        return Errno.EIO;
                    if (n == 0)
                        return Errno.Ok;
                    e = volume.Write(relative, offset, new ReadOnlySpan<byte>(chunk, 0, n));
                    if (e != Errno.Ok)
                        return e;
                    offset += n;
                }
            }
            finally
            {
                Files.Close(fd);
            }
        }

        // Reads from a volume file into a ramdisk file (cp out of a volume).
        private Errno CopyFromVolume(FsNode from, RamNode to, string path)
        {
            var chunk = new byte[16384];
            long offset = 0;
            while (true)
            {
                Errno e = from.Volume.Read(from.VolumePath, offset, chunk, out int n);
                if (e != Errno.Ok)
                    return e;
                if (n == 0)
                    return Errno.Ok;
                e = to.Owner.Write(to, offset, new ReadOnlySpan<byte>(chunk, 0, n), path);
                if (e != Errno.Ok)
                    return e;
                offset += n;
            }
        }

        // rm -r on a volume: children first, iteratively (a list of directories still to empty), bounded by depth.
        private static Errno RemoveVolumeTree(MountedVolume volume, string relative)
        {
            if (relative.Length == 0)
                return Errno.EBUSY;
            var pending = new List<string>();
            pending.Add(relative);
            var entries = new List<VolumeEntry>();
            int steps = 0;
            while (pending.Count > 0)
            {
                if (++steps > 1_000_000 || pending.Count > MaxTreeDepth)
                    return Errno.ELOOP;   // a damaged volume whose directories contain themselves
                string dir = pending[pending.Count - 1];
                entries.Clear();
                Errno e = volume.List(dir, entries);
                if (e != Errno.Ok)
                    return e;
                bool descended = false;
                for (int i = 0; i < entries.Count && !descended; i++)
                {
                    string child = string.Concat(dir, "/", entries[i].Name);
                    if (entries[i].IsDirectory)
                    {
                        pending.Add(child);
                        descended = true;
                    }
                    else if ((e = volume.Remove(child)) != Errno.Ok)
                    {
                        return e;
                    }
                }
                if (descended)
                    continue;
                e = volume.Remove(dir);
                if (e != Errno.Ok)
                    return e;
                pending.RemoveAt(pending.Count - 1);
            }
            return Errno.Ok;
        }

        // mv within one volume: the volume renames (an existing directory destination takes the name inside it).
        // False when the destination is elsewhere: a file then moves by copy and delete, as across ramdisks.
        private bool TryRenameOnVolume(string cwd, FsNode from, string destination, out Errno result)
        {
            result = Errno.Ok;
            string target;
            Errno e = Resolve(cwd, destination, true, out FsNode to);
            if (e == Errno.Ok)
                target = to.IsDirectory ? FsPath.Child(to.Path, FsPath.LastName(from.Path)) : to.Path;
            else if (e == Errno.ENOENT && to.Path != null)
                target = to.Path;
            else
            {
                result = e;
                return true;
            }
            if (!FindMount(target, out MountedVolume volume, out string relative) || volume != from.Volume)
                return false;
            result = relative.Length == 0 ? Errno.EBUSY : volume.Rename(from.VolumePath, relative);
            return true;
        }

        // Lists a volume directory as VisorFS entries.
        private static Errno ReadVolumeDirectory(MountedVolume volume, string relative, string path, List<DirEntry> into)
        {
            var entries = new List<VolumeEntry>();
            Errno e = volume.List(relative, entries);
            if (e != Errno.Ok)
                return e;
            for (int i = 0; i < entries.Count; i++)
            {
                VolumeEntry v = entries[i];
                string childRelative = relative.Length == 0 ? v.Name : string.Concat(relative, "/", v.Name);
                into.Add(new DirEntry
                {
                    Name = v.Name,
                    Node = new FsNode { Path = FsPath.Child(path, v.Name), Volume = volume, VolumePath = childRelative, OnVolume = v },
                });
            }
            return Errno.Ok;
        }
    }
}
