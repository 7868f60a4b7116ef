// FatMount.cs -- a FAT volume as VisorFS mounts it (MountedVolume over FatVolume): paths relative to the volume's
// root, the volume's errors passed through. The last looked-up file is remembered, because `cat` reads a file in 4 KiB
// pieces and each piece would otherwise walk the directories again; any change to the volume forgets it.
using System;
using System.Collections.Generic;
using Kernel.Storage.Fat;
using Kernel.VisorFs;

namespace Kernel.Storage
{
    public sealed class FatMount : MountedVolume
    {
        private readonly FatVolume _fat;
        private string _cachedPath;
        private FatNode _cachedNode;

        public FatMount(FatVolume fat, string uuid, string device)
        {
            _fat = fat;
            Uuid = uuid;
            Label = fat.Label ?? "";
            Type = "vfat";
            Device = device;
        }

        public FatVolume Fat => _fat;
        public override bool IsReadOnly => _fat.IsReadOnly;
        public override ulong TotalBytes => _fat.TotalBytes;
        public override ulong FreeBytes => _fat.FreeBytes;

        public override Errno Stat(string path, out VolumeEntry entry)
        {
            entry = default;
            Errno e = Find(path, out FatNode node);
            if (e == Errno.Ok)
                entry = Describe(node);
            return e;
        }

        public override Errno List(string path, List<VolumeEntry> into)
        {
            var nodes = new List<FatNode>();
            Errno e = _fat.List(path, nodes);
            for (int i = 0; i < nodes.Count; i++)
                into.Add(Describe(nodes[i]));
            return e;
        }

        public override Errno Read(string path, long offset, Span<byte> into, out int read)
        {
            read = 0;
            Errno e = Find(path, out FatNode node);
            return e != Errno.Ok ? e : _fat.Read(node, offset, into, out read);
        }

        public override Errno Write(string path, long offset, ReadOnlySpan<byte> data)
        {
            Errno e = Find(path, out FatNode node);
            if (e != Errno.Ok)
                return e;
            e = _fat.Write(node, offset, data);   // updates the node in place: the cache stays right
            if (e != Errno.Ok)
                Forget();
            return e;
        }

        public override Errno Truncate(string path, long size)
        {
            Errno e = Find(path, out FatNode node);
            if (e != Errno.Ok)
                return e;
            e = _fat.Truncate(node, size);
            if (e != Errno.Ok)
                Forget();
            return e;
        }

        public override Errno Create(string path)
        {
            Forget();
            return _fat.Create(path, out _);
        }

        public override Errno MakeDirectory(string path)
        {
            Forget();
            return _fat.MakeDirectory(path);
        }

        public override Errno Remove(string path)
        {
            Forget();
            return _fat.Remove(path);
        }

        public override Errno Rename(string from, string to)
        {
            Forget();
            return _fat.Rename(from, to);
        }

        private Errno Find(string path, out FatNode node)
        {
            if (_cachedPath != null && _cachedPath == path)
            {
                node = _cachedNode;
                return Errno.Ok;
            }
            Errno e = _fat.Lookup(path, out node);
            if (e == Errno.Ok && !node.IsDirectory)
            {
                _cachedPath = path;
                _cachedNode = node;
            }
            return e;
        }

        private void Forget()
        {
            _cachedPath = null;
            _cachedNode = null;
        }

        private static VolumeEntry Describe(FatNode node) => new VolumeEntry
        {
            Name = node.Name,
            IsDirectory = node.IsDirectory,
            Size = node.IsDirectory ? 0 : node.Size,
            ModificationTime = node.ModificationTime,
        };
    }
}
