// FatBootSector.cs -- the BIOS parameter block of a FAT volume, checked, and the geometry that follows from it
// (Microsoft's "FAT: General Overview of On-Disk Format" 1.03, the fields at their offsets):
//   BytsPerSec u16 @11, SecPerClus u8 @13, RsvdSecCnt u16 @14, NumFATs u8 @16, RootEntCnt u16 @17, TotSec16 u16 @19,
//   FATSz16 u16 @22, TotSec32 u32 @32; FAT12/16: VolID u32 @39, VolLab 11 @43; FAT32: FATSz32 u32 @36,
//   RootClus u32 @44, FSInfo u16 @48, VolID u32 @67, VolLab 11 @71; 55 AA at 510.
// The FAT type follows from the count of data clusters alone (< 4085 FAT12, < 65525 FAT16, else FAT32), as the
// specification demands. Every field that sizes or places something is checked against the volume, so the rest of
// the driver can trust the geometry: a hostile boot sector is refused here with the reason.
using System;
using System.Buffers.Binary;

namespace Kernel.Storage.Fat
{
    public enum FatType
    {
        Fat12 = 12,
        Fat16 = 16,
        Fat32 = 32,
    }

    public sealed class FatBootSector
    {
        public FatType Type;
        public int BytesPerSector;
        public int SectorsPerCluster;
        public int ReservedSectors;
        public int FatCount;
        public int RootEntries;          // FAT12/16: the fixed root directory's slots
        public uint TotalSectors;
        public uint FatSectors;          // of one FAT
        public uint RootDirSectors;      // FAT12/16
        public uint FirstRootDirSector;  // FAT12/16
        public uint FirstDataSector;
        public uint ClusterCount;        // data clusters, numbered 2 .. ClusterCount + 1
        public uint RootCluster;         // FAT32
        public int FsInfoSector;         // FAT32, or 0 when absent
        public uint VolumeId;
        public string Label;             // from the boot sector ("" for NO NAME)

        public int ClusterBytes => BytesPerSector * SectorsPerCluster;
        public uint MaxCluster => ClusterCount + 1;

        /// <summary>The volume's first sector of cluster <paramref name="cluster"/> (2 .. MaxCluster).</summary>
        public uint ClusterSector(uint cluster) => FirstDataSector + (cluster - 2) * (uint)SectorsPerCluster;

        /// <summary>Parses and checks <paramref name="sector"/> for a volume of <paramref name="volumeBytes"/>; null and the reason on refusal.</summary>
        public static FatBootSector Parse(byte[] sector, ulong volumeBytes, out string problem)
        {
            problem = null;
            if (sector == null || sector.Length < 512 || sector[510] != 0x55 || sector[511] != 0xAA)
            {
                problem = "no boot sector signature";
                return null;
            }
            var b = new FatBootSector
            {
                BytesPerSector = U16(sector, 11),
                SectorsPerCluster = sector[13],
                ReservedSectors = U16(sector, 14),
                FatCount = sector[16],
                RootEntries = U16(sector, 17),
            };
            uint total16 = U16(sector, 19), fat16 = U16(sector, 22);
            b.TotalSectors = total16 != 0 ? total16 : U32(sector, 32);
            b.FatSectors = fat16 != 0 ? fat16 : U32(sector, 36);
            int bps = b.BytesPerSector, spc = b.SectorsPerCluster;
            if (bps != 512 && bps != 1024 && bps != 2048 && bps != 4096)
                problem = "bad bytes per sector";
            else if (spc == 0 || (spc & (spc - 1)) != 0 || bps * spc > 65536)
                problem = "bad sectors per cluster";
            else if (b.ReservedSectors == 0)
                problem = "no reserved sectors";
            else if (b.FatCount == 0 || b.FatCount > 4)
                problem = "bad number of FATs";
            else if (b.FatSectors == 0)
                problem = "FAT size is zero";
            else if (b.TotalSectors == 0 || (ulong)b.TotalSectors * (ulong)bps > volumeBytes)
                problem = "the volume is larger than its partition";
            if (problem != null)
                return null;

            b.RootDirSectors = (uint)((b.RootEntries * 32 + bps - 1) / bps);
            ulong metadata = (ulong)b.ReservedSectors + (ulong)b.FatCount * b.FatSectors + b.RootDirSectors;
            if (metadata >= b.TotalSectors)
            {
                problem = "no room for data after the FATs";
                return null;
            }
            b.FirstRootDirSector = (uint)((ulong)b.ReservedSectors + (ulong)b.FatCount * b.FatSectors);
            b.FirstDataSector = (uint)metadata;
            b.ClusterCount = (b.TotalSectors - b.FirstDataSector) / (uint)spc;
            b.Type = b.ClusterCount < 4085 ? FatType.Fat12 : b.ClusterCount < 65525 ? FatType.Fat16 : FatType.Fat32;
            if (b.ClusterCount == 0)
                problem = "no data clusters";
            else if (b.Type == FatType.Fat32 ? (b.RootEntries != 0 || fat16 != 0) : b.RootEntries == 0)
                problem = "root directory fields do not match the FAT type";
            else if ((ulong)b.FatSectors * (ulong)bps * 8 < (ulong)(b.ClusterCount + 2) * (ulong)(int)b.Type)
                problem = "the FAT is too small for the clusters";
            if (problem != null)
                return null;

            int idAt = b.Type == FatType.Fat32 ? 67 : 39;
            bool extended = sector[idAt - 1] == 0x29;   // BS_BootSig: VolID and VolLab are present
            b.VolumeId = extended ? U32(sector, idAt) : 0;
            b.Label = extended ? FatNames.LabelText(sector, idAt + 4) : "";
            if (b.Type == FatType.Fat32)
            {
                b.RootCluster = U32(sector, 44);
                int info = U16(sector, 48);
                b.FsInfoSector = info > 0 && info < b.ReservedSectors ? info : 0;
                if (b.RootCluster < 2 || b.RootCluster > b.MaxCluster)
                {
                    problem = "root cluster out of range";
                    return null;
                }
            }
            return b;
        }

        // Little-endian fields, through the core library's BinaryPrimitives (one implementation, BCL-tested).
        internal static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));

        internal static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

        internal static void Put16(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), (ushort)v);

        internal static void Put32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
    }
}
