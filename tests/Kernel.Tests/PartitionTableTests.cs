// PartitionTableTests.cs -- the kernel's GPT/MBR reader against images written independently (TestDisks: the BCL's
// GUID layout, System.IO.Hashing's CRC-32): partitions and names, GUID text, the backup header when the primary is
// damaged, both copies damaged, entries outside the usable area, hostile header fields, MBR with a boot flag, and a
// disk that fails its reads.
using CsCheck;
using Drivers.Block;
using Kernel.Storage;
using Vmk.E2E.Tests.Infrastructure;

namespace Kernel.Tests;

public class PartitionTableTests
{
    private sealed unsafe class MemoryDisk : BlockDevice
    {
        private readonly byte[] _data;
        public int FailFromLba = int.MaxValue;
        public int OutOfRangeReads;

        public MemoryDisk(byte[] data)
        {
            _data = data;
            Name = "mem";
            SectorCount = (ulong)data.Length / 512;
        }

        public override int MaxSectorsPerRequest => 8;

        protected override BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer)
        {
            if (operation != BlockOperation.Read)
                return BlockStatus.Unsupported;
            if (count > MaxSectorsPerRequest || lba + (ulong)count > SectorCount)
            {
                OutOfRangeReads++;   // the block layer let a bad request through
                return BlockStatus.OutOfRange;
            }
            if (lba + (ulong)count > (ulong)FailFromLba)
                return BlockStatus.IoError;
            new ReadOnlySpan<byte>(_data, (int)lba * 512, count * 512).CopyTo(new Span<byte>(buffer, count * 512));
            return BlockStatus.Ok;
        }
    }

    private static byte[] ThreePartitions() => TestDisks.Gpt(8192,
        new TestDisks.GptPartition(64, 8180, TestDisks.EfiSystem, "systemPartition", 128),
        new TestDisks.GptPartition(34, 63, TestDisks.BasicData, "bootbank"),
        new TestDisks.GptPartition(2048, 4095, TestDisks.LinuxNative, "\u00e9t\u00e9"));

    [Fact]
    public void Gpt_PartitionsNamesAndGuids_AsWritten()
    {
        // Partition 1 ends past the last usable LBA (8158: the backup array takes 32 sectors before the last): dropped; the others come back as written.
        PartitionTable t = PartitionTable.Read(new MemoryDisk(ThreePartitions()));
        Assert.Equal(PartitionScheme.Gpt, t.Scheme);
        Assert.Null(t.Problem);
        Assert.False(t.UsedBackupHeader);
        Assert.Equal(1, t.DroppedEntries);
        Assert.Equal([2, 3], t.Partitions.Select(p => p.Number));
        Partition boot = t.Partitions[0];
        Assert.Equal((34UL, 63UL, "bootbank"), (boot.FirstLba, boot.LastLba, boot.Name));
        Assert.Equal(TestDisks.BasicData.ToString("N").ToUpperInvariant(), PartitionTable.GuidText(boot.TypeGuid));
        Assert.Equal("\u00e9t\u00e9", t.Partitions[1].Name);
    }

    [Fact]
    public void Gpt_DamagedPrimary_UsesTheBackupHeader_AndBothDamagedIsAProblem()
    {
        byte[] disk = ThreePartitions();
        disk[512 + 40] ^= 1;   // the primary header's first-usable field: its CRC no longer matches
        PartitionTable t = PartitionTable.Read(new MemoryDisk(disk));
        Assert.Equal(PartitionScheme.Gpt, t.Scheme);
        Assert.True(t.UsedBackupHeader);
        Assert.Equal(2, t.Partitions.Count);

        disk[2 * 512 + 100] ^= 1;                   // the primary entries' CRC
        disk[disk.Length - 512 + 88] ^= 1;          // and the backup header's
        t = PartitionTable.Read(new MemoryDisk(disk));
        Assert.Equal(PartitionScheme.None, t.Scheme);
        Assert.Equal("protective MBR but neither GPT header is valid", t.Problem);
        Assert.Empty(t.Partitions);
    }

    [Fact]
    public void Gpt_HostileHeaderFields_AreRefusedNotFollowed()
    {
        foreach (var (offset, value) in new[] { (80, 0x7FFFFFFFu), (84, 64u), (84, 4096u), (72, 0xFFFFFFF0u), (12, 4000u) })
        {
            byte[] disk = ThreePartitions();
            BitConverter.GetBytes(value).CopyTo(disk, 512 + offset);
            BitConverter.GetBytes(System.IO.Hashing.Crc32.HashToUInt32(ZeroedCrc(disk.AsSpan(512, 92)))).CopyTo(disk, 512 + 16);
            PartitionTable t = PartitionTable.Read(new MemoryDisk(disk));
            Assert.True(t.UsedBackupHeader, $"a primary header with {value} at {offset} was accepted");
        }
    }

    private static byte[] ZeroedCrc(ReadOnlySpan<byte> header)
    {
        byte[] copy = header.ToArray();
        copy[16] = copy[17] = copy[18] = copy[19] = 0;
        return copy;
    }

    [Fact]
    public void Mbr_EntriesWithTheBootFlag_AndOneBeyondTheDiskDropped()
    {
        byte[] disk = TestDisks.Mbr(4096, (0x83, 2048, 1024, true), (0x0C, 3072, 1024, false), (0x07, 4000, 200, false));
        PartitionTable t = PartitionTable.Read(new MemoryDisk(disk));
        Assert.Equal(PartitionScheme.Msdos, t.Scheme);
        Assert.Equal(1, t.DroppedEntries);
        Assert.Equal([(1, 2048UL, 3071UL, (byte)0x83, 128UL), (2, 3072UL, 4095UL, (byte)0x0C, 0UL)],
            t.Partitions.Select(p => (p.Number, p.FirstLba, p.LastLba, p.MbrType, p.Attributes)));
    }

    [Fact]
    public void NoSignature_IsNoTable_AndAFailingDiskSaysWhere()
    {
        Assert.Equal(PartitionScheme.None, PartitionTable.Read(new MemoryDisk(new byte[1 << 20])).Scheme);
        PartitionTable t = PartitionTable.Read(new MemoryDisk(ThreePartitions()) { FailFromLba = 0 });
        Assert.Equal((PartitionScheme.None, "cannot read sector 0 (I/O error)"), (t.Scheme, t.Problem));
        // Sector 0 reads, the rest fails: the primary and the backup header are both unreadable.
        t = PartitionTable.Read(new MemoryDisk(ThreePartitions()) { FailFromLba = 1 });
        Assert.Equal(PartitionScheme.None, t.Scheme);
        Assert.Equal("cannot read sector 8191 (I/O error)", t.Problem);
    }

    /// <summary>
    /// Hostile disks: random bytes flipped anywhere in a valid GPT's metadata (protective MBR, both headers and both
    /// entry arrays, CRCs included, re-sealed or not), or garbage everywhere. The reader never throws, never reads
    /// outside the disk, and every partition it returns lies on the disk with its first sector before its last.
    /// </summary>
    [Fact]
    public void HostileDisks_NeverThrow_AndOnlyReturnPartitionsOnTheDisk()
    {
        byte[] valid = ThreePartitions();
        int backupHeader = valid.Length - 512;
        // Mostly the two headers' 92 bytes (where one flip changes what is read next), sometimes anywhere in the
        // metadata (the MBR, the entry arrays).
        var position = Gen.OneOf(Gen.Int[512, 512 + 91], Gen.Int[backupHeader, backupHeader + 91],
            Gen.Int[0, 34 * 512 - 1], Gen.Int[valid.Length - 33 * 512, valid.Length - 1]);
        Gen.Select(Gen.Int[1, 6].SelectMany(n => position.Array[n]), Gen.Byte, Gen.Bool, Gen.Int[0, 9])
            .Sample((positions, value, reseal, garbage) =>
            {
                byte[] disk = (byte[])valid.Clone();
                if (garbage == 0)
                    new Random(value * 7919 + positions.Length).NextBytes(disk.AsSpan(0, 40 * 512));
                foreach (int p in positions)
                    disk[p] ^= (byte)(value | 1);
                if (reseal)
                {
                    // Recompute both headers' CRCs over whatever they now say, so the fields behind them are tried.
                    foreach (int at in new[] { 512, backupHeader })
                    {
                        uint size = Math.Min(BitConverter.ToUInt32(disk, at + 12), 512u);
                        if (size < 20)
                            continue;
                        byte[] h = disk.AsSpan(at, (int)size).ToArray();
                        h[16] = h[17] = h[18] = h[19] = 0;
                        BitConverter.GetBytes(System.IO.Hashing.Crc32.HashToUInt32(h)).CopyTo(disk, at + 16);
                    }
                }
                var memory = new MemoryDisk(disk);
                PartitionTable t = PartitionTable.Read(memory);
                Assert.All(t.Partitions, p => Assert.True(p.FirstLba <= p.LastLba && p.LastLba < memory.SectorCount, $"partition {p.Number}: {p.FirstLba}-{p.LastLba}"));
                Assert.True(t.Scheme != PartitionScheme.None || t.Partitions.Count == 0);
                Assert.Equal(0, memory.OutOfRangeReads);
                Assert.Equal(0UL, memory.Refused);
            }, iter: 2000);
    }
}
