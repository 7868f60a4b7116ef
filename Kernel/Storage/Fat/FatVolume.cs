// FatVolume.cs -- a mounted FAT12/16/32 volume on a range of a block device: the checked boot sector, the FAT in
// memory, and sector and cluster I/O. The file operations are in FatVolume.Files.cs (read, write, truncate) and
// FatVolume.Tree.cs (lookup, create, mkdir, remove, rename).
//
// Consistency: every operation that changes the volume ends with Commit, which writes the FAT sectors that changed
// to every copy, refreshes FAT32's FSInfo and flushes the device, so the volume on disk is whole between operations
// (there is no unmount to wait for). Growing: data, then the FAT, then the directory entry that points at it;
// shrinking and removing: the entry first, then the FAT that frees. A power cut can leave lost clusters, not a
// cluster both free and in use.
// Errors are values (Errno); a device error is EIO and leaves the volume as consistent as the last commit.
using System;
using Drivers.Block;
using Kernel.VisorFs;

namespace Kernel.Storage.Fat
{
    public sealed unsafe partial class FatVolume
    {
        private readonly BlockDevice _disk;
        private readonly ulong _firstLba;
        private readonly int _deviceSectorsPerSector;
        private byte[] _fsInfo;

        public FatBootSector Boot { get; }
        public FatTable Table { get; private set; }
        public string Label { get; private set; }
        public uint VolumeId => Boot.VolumeId;
        public bool IsReadOnly => _disk.IsReadOnly;
        public BlockDevice Disk => _disk;

        /// <summary>The wall clock for timestamps, in Unix seconds (the FAT epoch, 1980, when unset).</summary>
        public Func<long> Clock;

        public ulong TotalBytes => (ulong)Boot.ClusterCount * (ulong)Boot.ClusterBytes;
        public ulong FreeBytes => (ulong)Table.FreeClusters * (ulong)Boot.ClusterBytes;

        private FatVolume(BlockDevice disk, ulong firstLba, FatBootSector boot)
        {
            _disk = disk;
            _firstLba = firstLba;
            Boot = boot;
            _deviceSectorsPerSector = boot.BytesPerSector / disk.SectorSize;
        }

        /// <summary>
        /// Mounts the FAT volume in sectors <paramref name="firstLba"/> .. + <paramref name="sectorCount"/> of
        /// <paramref name="disk"/>; null and the reason when it is not one or is damaged beyond use.
        /// </summary>
        public static FatVolume Mount(BlockDevice disk, ulong firstLba, ulong sectorCount, out string problem)
        {
            problem = null;
            int deviceSector = disk.SectorSize;
            if (deviceSector < 512 || deviceSector > 4096 || sectorCount == 0 || firstLba >= disk.SectorCount || sectorCount > disk.SectorCount - firstLba)
            {
                problem = "bad partition range";
                return null;
            }
            var first = new byte[deviceSector];
            BlockStatus status;
            fixed (byte* p = first)
                status = disk.Read(firstLba, 1, p);
            if (status != BlockStatus.Ok)
            {
                problem = string.Concat("cannot read the boot sector (", BlockStatusText.Of(status), ")");
                return null;
            }
            FatBootSector boot = FatBootSector.Parse(first, sectorCount * (ulong)deviceSector, out problem);
            if (boot == null)
                return null;
            if (boot.BytesPerSector % deviceSector != 0)
            {
                problem = "sector size smaller than the device's";
                return null;
            }
            if ((ulong)boot.FatSectors * (ulong)boot.BytesPerSector > FatTable.MaxBytes)
            {
                problem = "FAT larger than 16 MiB";
                return null;
            }
            var volume = new FatVolume(disk, firstLba, boot);
            var fat = new byte[boot.FatSectors * (uint)boot.BytesPerSector];
            if (volume.ReadSectors((uint)boot.ReservedSectors, (int)boot.FatSectors, fat, 0) != Errno.Ok)
            {
                problem = "cannot read the FAT";
                return null;
            }
            volume.Table = new FatTable(boot, fat);
            if (boot.FsInfoSector != 0)
            {
                var info = new byte[boot.BytesPerSector];
                if (volume.ReadSectors((uint)boot.FsInfoSector, 1, info, 0) == Errno.Ok
                    && FatBootSector.U32(info, 0) == 0x41615252 && FatBootSector.U32(info, 484) == 0x61417272)
                    volume._fsInfo = info;
            }
            volume.Label = volume.RootLabel() ?? boot.Label;
            return volume;
        }

        /// <summary>Writes what changed in the FAT to every copy, FAT32's free count, and flushes the device.</summary>
        public Errno Commit()
        {
            Errno result = WriteTable();
            if (_fsInfo != null && result == Errno.Ok)
            {
                FatBootSector.Put32(_fsInfo, 488, Table.FreeClusters);
                FatBootSector.Put32(_fsInfo, 492, 0xFFFFFFFF);   // no hint: a wrong hint is worse than none
                result = WriteSectors((uint)Boot.FsInfoSector, 1, _fsInfo, 0);
            }
            if (result == Errno.Ok && _disk.Flush() != BlockStatus.Ok)
                result = Errno.EIO;
            return result;
        }

        /// <summary>Writes the FAT sectors that changed to every copy (before an entry that points at new clusters).</summary>
        internal Errno WriteTable()
        {
            Errno result = Errno.Ok;
            for (int i = 0; i < Table.SectorCount; i++)
            {
                if (!Table.TakeDirty(i, out int offset))
                    continue;
                for (int copy = 0; copy < Boot.FatCount; copy++)
                {
                    uint sector = (uint)Boot.ReservedSectors + (uint)copy * Boot.FatSectors + (uint)i;
                    Errno e = WriteSectors(sector, 1, Table.Bytes, offset);
                    if (e != Errno.Ok)
                        result = e;
                }
            }
            return result;
        }

        internal Errno ReadSectors(uint sector, int count, byte[] into, int offset)
        {
            if (count <= 0)
                return Errno.Ok;
            if ((long)offset + (long)count * Boot.BytesPerSector > into.Length)
                return Errno.EIO;
            BlockStatus status;
            fixed (byte* p = into)
                status = _disk.Read(_firstLba + (ulong)sector * (ulong)_deviceSectorsPerSector, count * _deviceSectorsPerSector, p + offset);
            return status == BlockStatus.Ok ? Errno.Ok : Errno.EIO;
        }

        internal Errno WriteSectors(uint sector, int count, byte[] from, int offset)
        {
            if (count <= 0)
                return Errno.Ok;
            if ((long)offset + (long)count * Boot.BytesPerSector > from.Length)
                return Errno.EIO;
            BlockStatus status;
            fixed (byte* p = from)
                status = _disk.Write(_firstLba + (ulong)sector * (ulong)_deviceSectorsPerSector, count * _deviceSectorsPerSector, p + offset);
            return status == BlockStatus.Ok ? Errno.Ok : status == BlockStatus.ReadOnly ? Errno.EROFS : Errno.EIO;
        }

        internal Errno ReadCluster(uint cluster, byte[] into, int offset) =>
            ReadSectors(Boot.ClusterSector(cluster), Boot.SectorsPerCluster, into, offset);

        internal Errno WriteCluster(uint cluster, byte[] from, int offset) =>
            WriteSectors(Boot.ClusterSector(cluster), Boot.SectorsPerCluster, from, offset);

        internal long Now() => Clock != null ? Clock() : 0;

        // The label mkfs.fat and Windows put in the root directory (attribute 0x08), which wins over the boot sector's.
        private string RootLabel()
        {
            if (FatDirectory.Load(this, RootCluster, out FatDirectory root) != Errno.Ok)
                return null;
            for (int slot = 0; slot < root.SlotCount; slot++)
            {
                int at = slot * FatDirectory.SlotBytes;
                if (root.Data[at] == 0)
                    break;
                byte attributes = root.Data[at + 11];
                if (root.Data[at] != 0xE5 && (attributes & 0x3F) != FatNode.AttrLongName && (attributes & FatNode.AttrVolumeId) != 0)
                    return FatNames.LabelText(root.Data, at);
            }
            return null;
        }

        /// <summary>The root directory's first cluster: FAT32's root cluster, or 0 for FAT12/16's fixed root.</summary>
        internal uint RootCluster => Boot.Type == FatType.Fat32 ? Boot.RootCluster : 0;
    }
}
