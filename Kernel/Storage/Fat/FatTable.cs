// FatTable.cs -- the file allocation table, held in memory (the first copy, read at mount; at most MaxBytes, which
// covers FAT32 volumes of a few million clusters) with the sectors that changed remembered, so Commit writes just
// those to every copy. Entries are 12, 16 or 28 bits (FAT32's top four bits are reserved and kept as found).
// Chains are walked with a bound (a chain cannot be longer than the volume has clusters), so a chain that loops or
// points outside the volume is reported as broken instead of followed forever.
namespace Kernel.Storage.Fat
{
    public sealed class FatTable
    {
        public const int MaxBytes = 16 << 20;

        private readonly FatBootSector _boot;
        private readonly byte[] _fat;
        private readonly bool[] _dirty;   // per FAT sector
        private uint _nextFree = 2;

        public uint FreeClusters { get; private set; }

        /// <summary>The value at or above which an entry ends its chain (FAT12 0xFF8, FAT16 0xFFF8, FAT32 0x0FFFFFF8).</summary>
        public uint EndOfChain { get; }
        public uint BadCluster => EndOfChain - 1;

        public FatTable(FatBootSector boot, byte[] firstCopy)
        {
            _boot = boot;
            _fat = firstCopy;
            _dirty = new bool[boot.FatSectors];
            EndOfChain = boot.Type == FatType.Fat12 ? 0xFF8u : boot.Type == FatType.Fat16 ? 0xFFF8u : 0x0FFFFFF8u;
            uint free = 0;
            for (uint c = 2; c <= boot.MaxCluster; c++)
                if (Get(c) == 0)
                    free++;
            FreeClusters = free;
        }

        public uint Get(uint cluster)
        {
            switch (_boot.Type)
            {
                case FatType.Fat12:
                    {
                        int at = (int)(cluster + cluster / 2);
                        uint pair = (uint)(_fat[at] | _fat[at + 1] << 8);
                        return (cluster & 1) != 0 ? pair >> 4 : pair & 0xFFF;
                    }
                case FatType.Fat16:
                    return FatBootSector.U16(_fat, (int)cluster * 2);
                default:
                    return FatBootSector.U32(_fat, (int)cluster * 4) & 0x0FFFFFFF;
            }
        }

        public void Set(uint cluster, uint value)
        {
            uint before = Get(cluster);
            switch (_boot.Type)
            {
                case FatType.Fat12:
                    {
                        int at = (int)(cluster + cluster / 2);
                        value &= 0xFFF;
                        if ((cluster & 1) != 0)
                        {
                            _fat[at] = (byte)((_fat[at] & 0x0Fu) | (value << 4));
                            _fat[at + 1] = (byte)(value >> 4);
                        }
                        else
                        {
                            _fat[at] = (byte)value;
                            _fat[at + 1] = (byte)((_fat[at + 1] & 0xF0u) | (value >> 8));
                        }
                        Touch(at);
                        Touch(at + 1);
                        break;
                    }
                case FatType.Fat16:
                    FatBootSector.Put16(_fat, (int)cluster * 2, value);
                    Touch((int)cluster * 2);
                    break;
                default:
                    {
                        int at = (int)cluster * 4;
                        uint kept = FatBootSector.U32(_fat, at) & 0xF0000000;
                        FatBootSector.Put32(_fat, at, kept | (value & 0x0FFFFFFF));
                        Touch(at);
                        break;
                    }
            }
            if (before == 0 && value != 0)
                FreeClusters--;
            else if (before != 0 && value == 0)
                FreeClusters++;
        }

        /// <summary>Whether <paramref name="cluster"/> can hold data: 2 .. MaxCluster.</summary>
        public bool IsData(uint cluster) => cluster >= 2 && cluster <= _boot.MaxCluster;

        /// <summary>
        /// The clusters of the chain starting at <paramref name="first"/> into <paramref name="into"/> (cleared first);
        /// false when the chain loops, leaves the volume or meets a free or bad cluster. First 0 is an empty chain.
        /// </summary>
        public bool Walk(uint first, System.Collections.Generic.List<uint> into)
        {
            into.Clear();
            if (first == 0)
                return true;
            uint c = first;
            for (uint steps = 0; steps <= _boot.ClusterCount; steps++)
            {
                if (!IsData(c))
                    return false;
                into.Add(c);
                uint next = Get(c);
                if (next >= EndOfChain)
                    return true;
                c = next;
            }
            return false;   // longer than the volume: a loop
        }

        /// <summary>
        /// Allocates <paramref name="count"/> free clusters, linked after <paramref name="last"/> (0: a new chain) and
        /// ended; appended to <paramref name="chain"/>. All or nothing: false, with nothing changed, when too few are free.
        /// </summary>
        public bool Extend(uint last, int count, System.Collections.Generic.List<uint> chain)
        {
            if (count <= 0)
                return true;
            if ((uint)count > FreeClusters)
                return false;
            int start = chain.Count;
            uint c = _nextFree;
            for (uint scanned = 0; scanned < _boot.ClusterCount && chain.Count - start < count; scanned++, c++)
            {
                if (c > _boot.MaxCluster)
                    c = 2;
                if (Get(c) == 0)
                {
                    Set(c, EndOfChain | 7);   // reserved at once so the scan does not take it twice
                    chain.Add(c);
                }
            }
            if (chain.Count - start < count)
            {
                for (int i = start; i < chain.Count; i++)
                    Set(chain[i], 0);
                Shorten(chain, start);
                return false;   // the free count was wrong (a damaged FAT); nothing allocated
            }
            uint prev = last;
            for (int i = start; i < chain.Count; i++)
            {
                if (prev != 0)
                    Set(prev, chain[i]);
                prev = chain[i];
            }
            _nextFree = chain[chain.Count - 1] + 1;
            return true;
        }

        /// <summary>Frees every cluster of <paramref name="chain"/> from index <paramref name="from"/> on, and ends the chain before it.</summary>
        public void Cut(System.Collections.Generic.List<uint> chain, int from)
        {
            for (int i = from; i < chain.Count; i++)
                Set(chain[i], 0);
            if (from > 0 && from <= chain.Count)
                Set(chain[from - 1], EndOfChain | 7);
            if (from < chain.Count && chain[from] < _nextFree)
                _nextFree = chain[from];
            Shorten(chain, from);
        }

        /// <summary>Whether any sector of the table changed since the last commit.</summary>
        public bool HasChanges
        {
            get
            {
                for (int i = 0; i < _dirty.Length; i++)
                    if (_dirty[i])
                        return true;
                return false;
            }
        }

        /// <summary>Sector <paramref name="index"/> of the table if it changed (the caller writes it to every copy), else false.</summary>
        public bool TakeDirty(int index, out int offset)
        {
            offset = index * _boot.BytesPerSector;
            if (!_dirty[index])
                return false;
            _dirty[index] = false;
            return true;
        }

        public int SectorCount => _dirty.Length;

        public byte[] Bytes => _fat;

        private static void Shorten(System.Collections.Generic.List<uint> list, int count)
        {
            while (list.Count > count)
                list.RemoveAt(list.Count - 1);
        }

        private void Touch(int at) => _dirty[at / _boot.BytesPerSector] = true;
    }
}
