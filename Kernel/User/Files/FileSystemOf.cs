// FileSystemOf.cs -- which mounted file system a VisorFS path belongs to, as Linux programs see mounts: each FAT
// volume is one, and each ramdisk is one with everything under its mount point (tardisk files included: the
// overlaid root shows them in the ramdisk's tree). stat's st_dev and statfs's fsid both come from here, so busybox
// df finds the mount a path is on by comparing st_dev, and `find -xdev` stops at a mount point. Call under FsLock.
using Kernel.VisorFs;

namespace Kernel.User
{
    internal static class FileSystemOf
    {
        private const ulong RamdiskDevices = 0x10, VolumeDevices = 0x100;

        /// <summary>The ramdisk or volume <paramref name="node"/> lives on (one of them is set) and its device number.</summary>
        public static ulong Find(FsNode node, out Ramdisk ramdisk, out MountedVolume volume)
        {
            ramdisk = null;
            volume = node.Volume;
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
                return 1;
            if (volume != null)
            {
                for (int i = 0; i < root.VolumeCount; i++)
                    if (root.VolumeAt(i) == volume)
                        return VolumeDevices + (ulong)i;
                return VolumeDevices;
            }
            int best = -1;
            for (int i = 0; i < root.RamdiskCount; i++)
            {
                Ramdisk candidate = root.RamdiskAt(i);
                bool holds = node.Ram != null ? node.Ram.Owner == candidate
                    : candidate.MountPath == "/" || FsPath.IsWithin(node.Path, candidate.MountPath);
                if (holds && (best < 0 || candidate.MountPath.Length > root.RamdiskAt(best).MountPath.Length))
                    best = i;
            }
            if (best < 0)
                return 1;
            ramdisk = root.RamdiskAt(best);
            return RamdiskDevices + (ulong)best;
        }
    }
}
