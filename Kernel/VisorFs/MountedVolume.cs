// MountedVolume.cs -- a file system that VisorFS does not hold itself (a FAT volume on a disk), mounted on a ramdisk
// directory (`/vmfs/volumes/UUID`, marked in RamNode.Volume). The path walk hands everything below the mount point to
// the volume as a path relative to its root ("" is the root, components joined by '/', never "." or ".."), and the
// operations VisorFS offers forward to these calls. The interface is small on purpose: files and directories with a
// size and a time, no modes, links or sticky bits (FAT has none).
using System;
using System.Collections.Generic;

namespace Kernel.VisorFs
{
    public struct VolumeEntry
    {
        public string Name;
        public bool IsDirectory;
        public long Size;
        public long ModificationTime;   // Unix seconds
    }

    public abstract class MountedVolume
    {
        public string Uuid { get; protected set; }
        public string Label { get; protected set; }
        public string Type { get; protected set; }       // `vfat`
        public string Device { get; protected set; }     // the disk and partition, for df and the log

        /// <summary>Where VisorFS shows it: /vmfs/volumes/UUID.</summary>
        public string MountPath => string.Concat(VolumesPath, "/", Uuid);

        public const string VolumesPath = "/vmfs/volumes";

        public abstract bool IsReadOnly { get; }
        public abstract ulong TotalBytes { get; }
        public abstract ulong FreeBytes { get; }

        public abstract Errno Stat(string path, out VolumeEntry entry);
        public abstract Errno List(string path, List<VolumeEntry> into);
        public abstract Errno Read(string path, long offset, Span<byte> into, out int read);

        /// <summary>Writes into an existing file, growing it as needed.</summary>
        public abstract Errno Write(string path, long offset, ReadOnlySpan<byte> data);
        public abstract Errno Truncate(string path, long size);

        /// <summary>Creates an empty file (EEXIST if the name is taken).</summary>
        public abstract Errno Create(string path);
        public abstract Errno MakeDirectory(string path);

        /// <summary>Removes a file or an empty directory.</summary>
        public abstract Errno Remove(string path);
        public abstract Errno Rename(string from, string to);
    }
}
