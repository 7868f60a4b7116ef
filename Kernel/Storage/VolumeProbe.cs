// VolumeProbe.cs -- after VisorFS is up: every partition of every disk (or a whole disk without a partition table)
// that holds a FAT volume is mounted at /vmfs/volumes/UUID with a LABEL symlink, as ESXi shows its vfat volumes.
// The UUID has ESXi's 8-8-4-12 hex shape and is made from what identifies the volume: the FAT serial number, the
// partition's first sector and number, and a hash of the disk's name, so it is stable across boots of the same disk.
using Drivers.Block;
using Kernel.Logging;
using Kernel.Storage.Fat;
using Kernel.VisorFs;

namespace Kernel.Storage
{
    public static class VolumeProbe
    {
        public static void MountAll(VisorFsRoot root)
        {
            if (root == null)
                return;
            for (int i = 0; i < BlockDevices.All.Count; i++)
            {
                BlockDevice disk = BlockDevices.All[i];
                if (disk.HasFailed)
                    continue;
                PartitionTable table = PartitionTable.Read(disk);
                if (table.Problem != null)
                    continue;
                if (table.Partitions.Count == 0)
                    TryMount(root, disk, 0, 0, disk.SectorCount);
                for (int p = 0; p < table.Partitions.Count; p++)
                {
                    Partition part = table.Partitions[p];
                    TryMount(root, disk, part.Number, part.FirstLba, part.LastLba - part.FirstLba + 1);
                }
            }
        }

        private static void TryMount(VisorFsRoot root, BlockDevice disk, int number, ulong first, ulong sectors)
        {
            string device = number == 0 ? disk.Name : string.Concat(disk.Name, ":", number.ToString());
            FatVolume fat = FatVolume.Mount(disk, first, sectors, out string problem);
            if (fat == null)
            {
                Log.Debug("Storage", string.Concat(device, ": no FAT volume (", problem, ")"));
                return;
            }
            fat.Clock = WallClockSeconds;
            string uuid = Uuid(fat.VolumeId, first, number, disk.Name);
            var mount = new FatMount(fat, uuid, device);
            Errno e = root.MountVolume(mount);
            string what = string.Concat(fat.Boot.Type == FatType.Fat12 ? "FAT12" : fat.Boot.Type == FatType.Fat16 ? "FAT16" : "FAT32",
                " '", mount.Label, "'");
            if (e != Errno.Ok)
            {
                Log.Warning("Storage", string.Concat(device, ": ", what, " not mounted: ", ErrnoText.Describe(e)));
                return;
            }
            Log.Info("Storage", string.Concat(
                string.Concat(device, ": ", what, " mounted on "),
                string.Concat(mount.MountPath, ", ", (fat.TotalBytes >> 10).ToString(), " KiB, "),
                string.Concat((fat.FreeBytes >> 10).ToString(), " KiB free", fat.IsReadOnly ? ", read-only" : "")));
        }

        private static long WallClockSeconds() => VisorFsRoot.Now;

        /// <summary>`1234abcd-00000800-0001-5c2a9f01e3b7`: serial, first sector, partition number, disk name hash.</summary>
        public static string Uuid(uint serial, ulong firstLba, int number, string diskName)
        {
            ulong hash = 14695981039346656037UL;   // FNV-1a over the name
            for (int i = 0; i < diskName.Length; i++)
            {
                hash ^= diskName[i];
                hash *= 1099511628211UL;
            }
            return string.Concat(
                string.Concat(((ulong)serial).ToString("x8"), "-", (firstLba & 0xFFFFFFFF).ToString("x8"), "-"),
                ((ulong)(uint)number & 0xFFFF).ToString("x4"), "-", (hash & 0xFFFFFFFFFFFF).ToString("x12"));
        }
    }
}
