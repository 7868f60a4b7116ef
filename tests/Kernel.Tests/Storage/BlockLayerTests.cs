// BlockLayerTests.cs -- the block layer's checks above any driver: requests split to the driver's limit, requests past
// the end refused before the driver, writes to read-only media refused, a device that times out failed for good (its
// later requests fail at once, without reaching the driver), and flush only where there is a cache.
using Drivers.Block;

namespace Kernel.Tests.Storage;

public unsafe class BlockLayerTests
{
    [Fact]
    public void LongRequests_AreSplitToTheDriversLimit_AndRoundTrip()
    {
        var disk = MemoryBlockDevice.OfSectors(64);
        var data = new byte[20 * 512];
        new Random(1).NextBytes(data);
        fixed (byte* p = data)
            Assert.Equal(BlockStatus.Ok, disk.Write(5, 20, p));
        Assert.Equal(new[] { (5UL, 8), (13UL, 8), (21UL, 4) }, disk.Submitted.Select(s => (s.Lba, s.Count)));
        Assert.Equal(data, disk.Data.AsSpan(5 * 512, 20 * 512).ToArray());
        var back = new byte[20 * 512];
        fixed (byte* p = back)
            Assert.Equal(BlockStatus.Ok, disk.Read(5, 20, p));
        Assert.Equal(data, back);
    }

    [Theory]
    [InlineData(64UL, 1)]
    [InlineData(60UL, 5)]
    [InlineData(0UL, 0)]
    [InlineData(0UL, -1)]
    [InlineData(ulong.MaxValue, 2)]
    public void RequestsOffTheDisk_AreRefusedBeforeTheDriver(ulong lba, int count)
    {
        var disk = MemoryBlockDevice.OfSectors(64);
        var buffer = new byte[8 * 512];
        fixed (byte* p = buffer)
        {
            Assert.Equal(BlockStatus.OutOfRange, disk.Read(lba, count, p));
            Assert.Equal(BlockStatus.OutOfRange, disk.Write(lba, count, p));
        }
        Assert.Empty(disk.Submitted);
        Assert.Equal(2UL, disk.Refused);
    }

    [Fact]
    public void ReadOnlyMedia_RefuseWrites_ButRead()
    {
        var disk = new MemoryBlockDevice(new byte[16 * 512], readOnly: true, writeCache: true);
        disk.Data[0] = 0x5A;
        var buffer = new byte[512];
        fixed (byte* p = buffer)
        {
            Assert.Equal(BlockStatus.ReadOnly, disk.Write(0, 1, p));
            Assert.Equal(BlockStatus.Ok, disk.Read(0, 1, p));
            Assert.Equal(BlockStatus.Ok, disk.Flush());
        }
        Assert.Equal(0x5A, buffer[0]);
        Assert.DoesNotContain(disk.Submitted, s => s.Operation != BlockOperation.Read);
    }

    [Fact]
    public void ATimeout_FailsTheDevice_AndLaterRequestsFailWithoutWaiting()
    {
        var disk = MemoryBlockDevice.OfSectors(64);
        disk.TimeoutAfterRequests = 1;
        var buffer = new byte[16 * 512];
        fixed (byte* p = buffer)
        {
            Assert.Equal(BlockStatus.Timeout, disk.Read(0, 16, p));   // the second piece times out
            Assert.True(disk.HasFailed);
            int seen = disk.Submitted.Count;
            Assert.Equal(BlockStatus.Failed, disk.Read(0, 1, p));
            Assert.Equal(BlockStatus.Failed, disk.Write(0, 1, p));
            Assert.Equal(BlockStatus.Failed, disk.Flush());
            Assert.Equal(seen, disk.Submitted.Count);
        }
        Assert.Equal(1UL, disk.Errors);
    }

    [Fact]
    public void AnIoError_FailsOnlyThatRequest()
    {
        var disk = MemoryBlockDevice.OfSectors(64);
        disk.FailFromLba = 32;
        var buffer = new byte[512];
        fixed (byte* p = buffer)
        {
            Assert.Equal(BlockStatus.IoError, disk.Write(40, 1, p));
            Assert.False(disk.HasFailed);
            Assert.Equal(BlockStatus.Ok, disk.Write(3, 1, p));
        }
    }

    [Fact]
    public void Flush_ReachesTheDriver_OnlyWhenTheDeviceHasAWriteCache()
    {
        var plain = MemoryBlockDevice.OfSectors(8);
        Assert.Equal(BlockStatus.Ok, plain.Flush());
        Assert.Empty(plain.Submitted);
        var cached = new MemoryBlockDevice(new byte[8 * 512], writeCache: true);
        Assert.Equal(BlockStatus.Ok, cached.Flush());
        Assert.Equal(BlockOperation.Flush, Assert.Single(cached.Submitted).Operation);
    }
}
