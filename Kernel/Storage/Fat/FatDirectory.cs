// FatDirectory.cs -- one directory of a FAT volume read into memory as its array of 32-byte slots: FAT12/16's fixed
// root region, or a cluster chain (bounded: a directory holds at most 65,536 slots, FAT spec 6, so a longer or
// broken chain is refused). Parsing assembles long names (entries of attribute 0x0F before their short entry, last
// part first, tied by a checksum of the short name; a sequence that does not match is ignored and the short name
// used, as the specification says). Changes are made in the array and written back sector by sector.
using System.Collections.Generic;
using Kernel.VisorFs;

namespace Kernel.Storage.Fat
{
    public sealed class FatDirectory
    {
        public const int SlotBytes = 32, MaxSlots = 65536;

        private readonly FatVolume _volume;
        public readonly uint FirstCluster;     // 0: the fixed root
        public readonly List<uint> Clusters = new List<uint>();
        public byte[] Data;

        public int SlotCount => Data.Length / SlotBytes;
        public bool IsFixedRoot => FirstCluster == 0;

        private FatDirectory(FatVolume volume, uint firstCluster)
        {
            _volume = volume;
            FirstCluster = firstCluster;
        }

        /// <summary>Reads the directory whose first cluster is <paramref name="firstCluster"/> (0: the fixed root).</summary>
        public static Errno Load(FatVolume volume, uint firstCluster, out FatDirectory dir)
        {
            dir = new FatDirectory(volume, firstCluster);
            FatBootSector b = volume.Boot;
            if (firstCluster == 0)
            {
                dir.Data = new byte[b.RootDirSectors * (uint)b.BytesPerSector];
                return volume.ReadSectors(b.FirstRootDirSector, (int)b.RootDirSectors, dir.Data, 0);
            }
            if (!volume.Table.Walk(firstCluster, dir.Clusters) || dir.Clusters.Count == 0)
                return Errno.EIO;
            if ((long)dir.Clusters.Count * b.ClusterBytes > (long)MaxSlots * SlotBytes)
                return Errno.EIO;
            dir.Data = new byte[dir.Clusters.Count * b.ClusterBytes];
            for (int i = 0; i < dir.Clusters.Count; i++)
            {
                Errno e = volume.ReadCluster(dir.Clusters[i], dir.Data, i * b.ClusterBytes);
                if (e != Errno.Ok)
                    return e;
            }
            return Errno.Ok;
        }

        /// <summary>The live files and directories, without "." and "..", volume labels and deleted entries.</summary>
        public void Entries(List<FatNode> into)
        {
            var longName = new char[20 * 13];
            int expect = 0, longLength = 0, longStart = -1;
            byte checksum = 0;
            for (int slot = 0; slot < SlotCount; slot++)
            {
                int at = slot * SlotBytes;
                byte first = Data[at];
                if (first == 0x00)
                    break;   // the end marker: nothing after it is in use
                byte attributes = Data[at + 11];
                if (first == 0xE5)
                {
                    expect = 0;
                    continue;
                }
                if ((attributes & 0x3F) == FatNode.AttrLongName)
                {
                    int order = first & 0x1F;
                    if ((first & 0x40) != 0)
                    {
                        // The last part comes first and says how many follow.
                        expect = order >= 1 && order <= 20 ? order : 0;
                        checksum = Data[at + 13];
                        longStart = slot;
                        longLength = expect * 13;
                    }
                    else if (expect <= 0 || order != expect || Data[at + 13] != checksum)
                    {
                        expect = 0;   // out of sequence: the short entry will go by its short name
                    }
                    if (expect > 0)
                    {
                        CopyLongPart(at, (order - 1) * 13, longName, ref longLength);
                        expect = expect == 1 ? -1 : expect - 1;   // -1: complete, the short entry is next
                    }
                    continue;
                }
                bool hasLong = expect == -1 && FatNames.Checksum(Data, at) == checksum;
                expect = 0;
                if ((attributes & FatNode.AttrVolumeId) != 0)
                    continue;
                if (first == '.' && (Data[at + 1] == ' ' || Data[at + 1] == '.'))
                    continue;
                var node = new FatNode
                {
                    Name = hasLong && longLength > 0 ? new string(longName, 0, longLength) : FatNames.ShortText(Data, at),
                    ShortName = Slice(at, 12),   // the name and its case flags
                    Attributes = attributes,
                    FirstCluster = FatBootSector.U16(Data, at + 26) | (_volume.Boot.Type == FatType.Fat32 ? (uint)FatBootSector.U16(Data, at + 20) << 16 : 0),
                    Size = FatBootSector.U32(Data, at + 28),
                    ModificationTime = FatTime.ToUnix(FatBootSector.U16(Data, at + 24), FatBootSector.U16(Data, at + 22)),
                    DirCluster = FirstCluster,
                    EntrySlot = slot,
                    LongSlots = hasLong ? slot - longStart : 0,
                };
                into.Add(node);
            }
        }

        /// <summary>The first of <paramref name="count"/> consecutive free slots, growing a chained directory by a cluster if needed; -1 when full.</summary>
        public Errno FindFree(int count, out int found)
        {
            found = -1;
            int run = 0;
            for (int slot = 0; slot < SlotCount; slot++)
            {
                byte first = Data[slot * SlotBytes];
                if (first == 0x00)
                {
                    // Everything from the end marker on is free; the slot after the new entries must stay an end marker.
                    int needed = slot - run + count + 1;
                    while (needed > SlotCount)
                    {
                        Errno e = Grow();
                        if (e != Errno.Ok)
                        {
                            if (slot - run + count == SlotCount)
                                break;   // exactly fills the directory: no end marker is needed after it
                            return e;
                        }
                    }
                    found = slot - run;
                    if (found + count < SlotCount)
                        Data[(found + count) * SlotBytes] = 0x00;   // stored with the entries (see Store's callers)
                    return Errno.Ok;
                }
                run = first == 0xE5 ? run + 1 : 0;
                if (run == count)
                {
                    found = slot - count + 1;
                    return Errno.Ok;
                }
            }
            // No end marker and no run long enough: a full directory grows; a trailing free run is used too.
            int start = SlotCount - run;
            while (SlotCount - start < count)
            {
                Errno e = Grow();
                if (e != Errno.Ok)
                    return e;
            }
            found = start;
            return Errno.Ok;
        }

        /// <summary>Writes back the sectors holding slots <paramref name="first"/> .. first + count - 1.</summary>
        public Errno Store(int first, int count)
        {
            FatBootSector b = _volume.Boot;
            int bps = b.BytesPerSector;
            int from = first * SlotBytes / bps, to = ((first + count) * SlotBytes - 1) / bps;
            for (int s = from; s <= to; s++)
            {
                uint sector;
                if (IsFixedRoot)
                {
                    sector = b.FirstRootDirSector + (uint)s;
                }
                else
                {
                    int cluster = s / b.SectorsPerCluster;
                    sector = b.ClusterSector(Clusters[cluster]) + (uint)(s % b.SectorsPerCluster);
                }
                Errno e = _volume.WriteSectors(sector, 1, Data, s * bps);
                if (e != Errno.Ok)
                    return e;
            }
            return Errno.Ok;
        }

        /// <summary>Whether only "." and ".." (or nothing) are left.</summary>
        public bool IsEmpty()
        {
            var entries = new List<FatNode>();
            Entries(entries);
            return entries.Count == 0;
        }

        // One more zeroed cluster at the end (not for the fixed root, and not past 65,536 slots).
        private Errno Grow()
        {
            FatBootSector b = _volume.Boot;
            if (IsFixedRoot || Data.Length + b.ClusterBytes > MaxSlots * SlotBytes)
                return Errno.ENOSPC;
            int before = Clusters.Count;
            if (!_volume.Table.Extend(Clusters[before - 1], 1, Clusters))
                return Errno.ENOSPC;
            var grown = new byte[Data.Length + b.ClusterBytes];
            System.Array.Copy(Data, grown, Data.Length);
            Data = grown;
            return _volume.WriteCluster(Clusters[before], Data, before * b.ClusterBytes);
        }

        private void CopyLongPart(int at, int into, char[] name, ref int length)
        {
            int[] offsets = FatNames.LongOffsets;
            for (int i = 0; i < 13; i++)
            {
                char c = (char)FatBootSector.U16(Data, at + offsets[i]);
                if (c == 0)
                {
                    if (into + i < length)
                        length = into + i;
                    return;
                }
                name[into + i] = c;
            }
        }

        private byte[] Slice(int at, int count)
        {
            var b = new byte[count];
            System.Array.Copy(Data, at, b, 0, count);
            return b;
        }
    }
}
