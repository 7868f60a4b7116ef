// PartitionTable.cs -- a disk's partition table read through a BlockDevice: GPT (UEFI 2.10, 5.3) with both CRCs
// checked and the backup header (last LBA) used when the primary is bad, else MBR. Pure logic over BlockDevice's
// Read, host-tested against images the tests write with an independent CRC.
//
// GPT header (LBA 1, little-endian): "EFI PART" @0, revision @8, header size u32 @12, header CRC32 @16 (computed with
// the field zeroed over header-size bytes), reserved @20, my LBA u64 @24, alternate LBA @32, first usable @40, last
// usable @48, disk GUID @56, entries LBA @72, entry count u32 @80, entry size u32 @84, entries CRC32 @88. An entry:
// type GUID @0, unique GUID @16, first LBA @32, last LBA @40, attributes @48, name (36 UTF-16LE chars) @56.
// MBR: 55 AA at 510; four 16-byte entries at 446: boot flag @0, type @4, first LBA u32 @8, sectors u32 @12; a type
// 0xEE entry is GPT's protective MBR. Extended partitions are listed as entries, not followed.
// Hostile input: entry counts and sizes are bounded (at most 1,024 entries of 128 to 1,024 bytes), and an entry whose
// range is reversed or outside the usable area is dropped and counted.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Drivers.Block;
using VisorFs;

namespace Kernel.Storage
{
    public enum PartitionScheme
    {
        None,
        Msdos,
        Gpt,
    }

    public struct Partition
    {
        public int Number;          // 1-based: the GPT entry index + 1, or the MBR slot + 1
        public ulong FirstLba, LastLba;
        public byte[] TypeGuid;     // GPT: 16 bytes as stored (mixed-endian); MBR: null
        public byte MbrType;        // MBR: the system ID byte
        public ulong Attributes;    // GPT attributes; MBR: 128 when the boot flag is set
        public string Name;         // GPT name ("" for MBR)
    }

    public sealed class PartitionTable
    {
        private const int MaxEntries = 1024;

        public PartitionScheme Scheme;
        public List<Partition> Partitions = new List<Partition>();
        public bool UsedBackupHeader;
        public int DroppedEntries;
        public string Problem;      // why the disk could not be read or the GPT was refused, or null

        /// <summary>Reads the table of <paramref name="disk"/>; never throws on a hostile disk.</summary>
        public static unsafe PartitionTable Read(BlockDevice disk)
        {
            var table = new PartitionTable();
            if (disk.SectorSize != 512 || disk.SectorCount < 3)
            {
                table.Problem = "too small for a partition table";
                return table;
            }
            byte[] mbr = ReadSectors(disk, 0, 1, table);
            if (mbr == null)
                return table;
            if (mbr[510] != 0x55 || mbr[511] != 0xAA)
                return table;
            bool protective = false;
            for (int i = 0; i < 4; i++)
                protective |= mbr[446 + i * 16 + 4] == 0xEE;
            if (protective && (ReadGpt(disk, 1, table) || ReadGpt(disk, disk.SectorCount - 1, table)))
                return table;
            if (protective)
            {
                table.Problem ??= "protective MBR but neither GPT header is valid";
                return table;
            }
            table.Scheme = PartitionScheme.Msdos;
            for (int i = 0; i < 4; i++)
            {
                int at = 446 + i * 16;
                byte type = mbr[at + 4];
                ulong first = U32(mbr, at + 8), count = U32(mbr, at + 12);
                if (type == 0 || count == 0)
                    continue;
                if (first + count > disk.SectorCount)
                {
                    table.DroppedEntries++;
                    continue;
                }
                table.Partitions.Add(new Partition
                {
                    Number = i + 1, FirstLba = first, LastLba = first + count - 1, MbrType = type,
                    Attributes = (mbr[at] & 0x80) != 0 ? 128UL : 0, Name = "",
                });
            }
            return table;
        }

        // The GPT whose header is at `lba` (1: primary, last: backup); false when that header is not valid.
        private static bool ReadGpt(BlockDevice disk, ulong lba, PartitionTable table)
        {
            byte[] h = ReadSectors(disk, lba, 1, table);
            if (h == null)
                return false;
            if (!(h[0] == 'E' && h[1] == 'F' && h[2] == 'I' && h[3] == ' ' && h[4] == 'P' && h[5] == 'A' && h[6] == 'R' && h[7] == 'T'))
                return false;
            uint headerSize = U32(h, 12);
            if (headerSize < 92 || headerSize > 512)
                return false;
            uint storedCrc = U32(h, 16);
            h[16] = h[17] = h[18] = h[19] = 0;
            if (Crc32.Compute(new System.ReadOnlySpan<byte>(h, 0, (int)headerSize)) != storedCrc)
                return false;
            ulong myLba = U64(h, 24), firstUsable = U64(h, 40), lastUsable = U64(h, 48), entriesLba = U64(h, 72);
            uint count = U32(h, 80), entrySize = U32(h, 84), entriesCrc = U32(h, 88);
            if (myLba != lba || count > MaxEntries || entrySize < 128 || entrySize > 1024 || entrySize % 8 != 0
                || firstUsable > lastUsable || lastUsable >= disk.SectorCount)
                return false;
            ulong bytes = (ulong)count * entrySize;
            ulong sectors = (bytes + 511) / 512;
            if (entriesLba < 2 || entriesLba + sectors > disk.SectorCount)
                return false;
            byte[] entries = ReadSectors(disk, entriesLba, (int)sectors, table);
            if (entries == null || Crc32.Compute(new System.ReadOnlySpan<byte>(entries, 0, (int)bytes)) != entriesCrc)
                return false;
            table.Scheme = PartitionScheme.Gpt;
            table.Problem = null;
            table.UsedBackupHeader = lba != 1;
            table.Partitions.Clear();
            table.DroppedEntries = 0;
            for (int i = 0; i < count; i++)
            {
                int at = (int)(i * entrySize);
                bool used = false;
                for (int k = 0; k < 16; k++)
                    used |= entries[at + k] != 0;
                if (!used)
                    continue;
                ulong first = U64(entries, at + 32), last = U64(entries, at + 40);
                if (first > last || first < firstUsable || last > lastUsable)
                {
                    table.DroppedEntries++;
                    continue;
                }
                var type = new byte[16];
                for (int k = 0; k < 16; k++)
                    type[k] = entries[at + k];
                table.Partitions.Add(new Partition
                {
                    Number = i + 1, FirstLba = first, LastLba = last, TypeGuid = type,
                    Attributes = U64(entries, at + 48), Name = Utf16Name(entries, at + 56),
                });
            }
            return true;
        }

        // Sectors into a new array, read in pieces the device accepts; null (and the problem noted) on failure.
        private static unsafe byte[] ReadSectors(BlockDevice disk, ulong lba, int count, PartitionTable table)
        {
            var data = new byte[count * 512];
            fixed (byte* p = data)
            {
                for (int done = 0; done < count;)
                {
                    int n = count - done < disk.MaxSectorsPerRequest ? count - done : disk.MaxSectorsPerRequest;
                    BlockStatus status = disk.Read(lba + (ulong)done, n, p + done * 512);
                    if (status != BlockStatus.Ok)
                    {
                        table.Problem = string.Concat("cannot read sector ", (lba + (ulong)done).ToString(), " (", BlockStatusText.Of(status), ")");
                        return null;
                    }
                    done += n;
                }
            }
            return data;
        }

        /// <summary>The GUID as text without dashes, e.g. C12A7328F81F11D2BA4B00A0C93EC93B (the first three fields are stored little-endian).</summary>
        public static string GuidText(byte[] g)
        {
            int[] order = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
            var chars = new char[32];
            for (int i = 0; i < 16; i++)
            {
                byte b = g[order[i]];
                chars[i * 2] = "0123456789ABCDEF"[b >> 4];
                chars[i * 2 + 1] = "0123456789ABCDEF"[b & 15];
            }
            return new string(chars, 0, 32);
        }

        private static string Utf16Name(byte[] e, int at)
        {
            var chars = new char[36];
            int n = 0;
            for (; n < 36; n++)
            {
                char c = (char)(e[at + n * 2] | e[at + n * 2 + 1] << 8);
                if (c == 0)
                    break;
                chars[n] = c < 32 || c == 127 ? '?' : c;
            }
            return new string(chars, 0, n);
        }

        private static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));

        private static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
    }
}
