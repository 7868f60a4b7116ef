// FatHostileTests.cs -- damaged and malicious volumes: a boot sector with bad fields is refused with a reason; cluster
// chains that loop, leave the volume or end before the size are EIO; a directory that contains itself is listed
// without end-less descent; and a property test flips random bytes in the boot sector, the FATs and the directories
// of a populated volume: mounting, walking, reading and writing never throw, never hang and never touch the disk
// outside the volume. A disk that stops answering fails the operation with EIO, and the next ones at once.
using CsCheck;
using Kernel.Storage.Fat;
using Kernel.VisorFs;

namespace Kernel.Tests.Storage;

public class FatHostileTests
{
    // A FAT16 volume with a directory, a multi-cluster file and a small one; returns the image and the file's first cluster.
    private static byte[] Populated(int bits, out FatBootSector boot)
    {
        using var host = HostFat.Make(bits, bits == 12 ? 1024 : bits == 16 ? 8192 : 34000, "HOSTILE", bits == 12 ? 0 : 1);
        host.MakeDirectory("dir");
        host.PutFile("dir/big.bin", new byte[5000].Select((_, i) => (byte)i).ToArray());
        host.PutFile("small.txt", "small"u8.ToArray());
        byte[] image = host.Bytes;
        boot = FatBootSector.Parse(image.AsSpan(0, 512).ToArray(), (ulong)image.Length, out string problem);
        Assert.True(boot != null, problem);
        return image;
    }

    [Theory]
    [InlineData(11, 0x00, 0x03, "bad bytes per sector")]
    [InlineData(13, 0x03, 0x00, "bad sectors per cluster")]
    [InlineData(14, 0x00, 0x00, "no reserved sectors")]
    [InlineData(16, 0x00, 0x00, "bad number of FATs")]
    [InlineData(22, 0x00, 0x00, "no room for data after the FATs")]   // FATSz32 is then read from FAT16 fields
    [InlineData(19, 0xFF, 0xFF, "the volume is larger than its partition")]
    [InlineData(510, 0x00, 0x00, "no boot sector signature")]
    public void BadBootSectors_AreRefusedWithTheReason(int at, byte low, byte high, string reason)
    {
        byte[] image = Populated(16, out _);
        image[at] = low;
        if (at != 13 && at != 16)
            image[at + 1] = high;
        var disk = new MemoryBlockDevice(image);
        Assert.Null(FatVolume.Mount(disk, 0, disk.SectorCount, out string problem));
        Assert.Equal(reason, problem);
    }

    [Fact]
    public void LoopingAndOutOfRangeChains_AreEio()
    {
        byte[] image = Populated(16, out FatBootSector boot);
        var disk = new MemoryBlockDevice(image);
        FatVolume volume = FatVolumeTests.Mount(disk);
        Assert.Equal(Errno.Ok, volume.Lookup("dir/big.bin", out FatNode big));
        var buffer = new byte[8192];

        volume.Table.Set(big.FirstCluster + 1, big.FirstCluster);   // the second cluster points back to the first
        Assert.Equal(Errno.EIO, volume.Read(big, 0, buffer, out _));
        Assert.Equal(Errno.EIO, volume.Write(big, 0, "x"u8));
        Assert.Equal(Errno.EIO, volume.Remove("dir/big.bin"));   // never frees a chain it cannot trust

        volume.Table.Set(big.FirstCluster + 1, boot.MaxCluster + 5);   // out of the volume
        Assert.Equal(Errno.EIO, volume.Read(big, 0, buffer, out _));

        volume.Table.Set(big.FirstCluster + 1, volume.Table.EndOfChain | 7);   // shorter than the size says
        Assert.Equal(Errno.EIO, volume.Read(big, 0, buffer, out _));
        Assert.Equal(Errno.Ok, volume.Read(big, 0, buffer.AsSpan(0, 100), out int read));
        Assert.Equal(100, read);
    }

    [Fact]
    public void ADiskThatStopsAnswering_FailsWithEio_AndLaterCallsFailAtOnce()
    {
        byte[] image = Populated(16, out _);
        var disk = new MemoryBlockDevice(image);
        FatVolume volume = FatVolumeTests.Mount(disk);
        Assert.Equal(Errno.Ok, volume.Create("doomed.bin", out FatNode doomed));
        disk.TimeoutAfterRequests = disk.Submitted.Count + 3;   // a few more requests, then silence
        Assert.Equal(Errno.EIO, volume.Write(doomed, 0, new byte[64 * 1024]));
        Assert.True(disk.HasFailed);
        int seen = disk.Submitted.Count;
        Assert.Equal(Errno.EIO, volume.List("dir", new List<FatNode>()));
        Assert.Equal(Errno.EIO, volume.Create("another.txt", out _));
        Assert.Equal(seen, disk.Submitted.Count);   // the failed device is not asked again
    }

    [Fact]
    public void ADirectoryThatContainsItself_IsListedWithoutEndlessDescent()
    {
        byte[] image = Populated(32, out _);
        var disk = new MemoryBlockDevice(image);
        FatVolume volume = FatVolumeTests.Mount(disk);
        Assert.Equal(Errno.Ok, volume.Lookup("dir", out FatNode dir));
        Assert.Equal(Errno.Ok, volume.MakeDirectory("dir/loop"));
        Assert.Equal(Errno.Ok, volume.Lookup("dir/loop", out FatNode loop));
        // Point dir/loop at dir's own cluster: dir/loop/loop/loop/... all resolve to the same directory.
        loop.FirstCluster = dir.FirstCluster;
        typeof(FatVolume).GetMethod("UpdateEntry", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .Invoke(volume, new object[] { loop });
        string deep = string.Join("/", Enumerable.Repeat("loop", 200));
        Assert.Equal(Errno.Ok, volume.Lookup("dir/" + deep + "/big.bin", out FatNode big));
        Assert.Equal(5000u, big.Size);
        var entries = new List<FatNode>();
        Assert.Equal(Errno.Ok, volume.List("dir/loop", entries));
        Assert.Contains(entries, e => e.Name == "loop");
        Assert.Equal(Errno.ENOTEMPTY, volume.Remove("dir/loop"));
    }

    [Fact]
    public void RandomDamage_NeverThrowsHangsOrLeavesTheVolume()
    {
        byte[][] clean = { Populated(12, out FatBootSector b12), Populated(16, out FatBootSector b16), Populated(32, out FatBootSector b32) };
        FatBootSector[] boots = { b12, b16, b32 };
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 40], Gen.Int[0, int.MaxValue]).Sample((kind, flips, seed) =>
        {
            var random = new Random(seed);
            byte[] image = (byte[])clean[kind].Clone();
            FatBootSector boot = boots[kind];
            // Damage where it hurts: the boot sector, the FATs, the root directory and the first data clusters.
            int metadataEnd = (int)(boot.FirstDataSector + 64) * 512;
            for (int i = 0; i < flips; i++)
            {
                int at = random.Next(4) == 0 ? random.Next(90) : random.Next(Math.Min(metadataEnd, image.Length));
                image[at] = (byte)random.Next(256);
            }
            // The volume is the middle of a larger disk, so a read outside it would be seen.
            var disk = new MemoryBlockDevice(new byte[image.Length + 64 * 512]);
            image.CopyTo(disk.Data, 32 * 512);
            FatVolume volume = FatVolume.Mount(disk, 32, (ulong)image.Length / 512, out _);
            if (volume != null)
            {
                Walk(volume, "", 0);
                volume.Create("new file.txt", out FatNode created);
                if (created != null)
                    volume.Write(created, 0, new byte[3000]);
                volume.MakeDirectory("dir/new dir");
                volume.Rename("small.txt", "dir/renamed.txt");
                volume.Remove("dir/big.bin");
            }
            Assert.Equal(0, disk.BadSubmissions);
            Assert.All(disk.Submitted, s => Assert.True(s.Lba >= 32 && s.Lba + (ulong)s.Count <= 32 + (ulong)image.Length / 512 || s.Count == 0,
                $"request {s.Operation} {s.Lba}+{s.Count} outside the volume"));
        }, iter: 400, threads: 1);
    }

    private static void Walk(FatVolume volume, string path, int depth)
    {
        if (depth > 4)
            return;
        var entries = new List<FatNode>();
        if (volume.List(path, entries) != Errno.Ok)
            return;
        var buffer = new byte[4096];
        foreach (FatNode e in entries.Take(50))
        {
            string child = path.Length == 0 ? e.Name : path + "/" + e.Name;
            if (e.IsDirectory)
                Walk(volume, child, depth + 1);
            else
                volume.Read(e, 0, buffer, out _);
        }
    }
}
