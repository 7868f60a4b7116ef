// MemoryBlockDevice.cs -- a disk in a byte array for host tests of the block layer and the file systems above it. It
// can be read-only, have a write cache (so a flush is observable), fail its requests from a given sector on, or stop
// answering (Timeout) after a number of requests, and it records every request the driver saw.
using Drivers.Block;

namespace Kernel.Tests.Storage;

public sealed unsafe class MemoryBlockDevice : BlockDevice
{
    private readonly int _maxPerRequest;

    public byte[] Data { get; }
    public List<(BlockOperation Operation, ulong Lba, int Count)> Submitted { get; } = new();
    public ulong FailFromLba { get; set; } = ulong.MaxValue;
    public int TimeoutAfterRequests { get; set; } = int.MaxValue;
    public int BadSubmissions { get; private set; }   // requests the block layer should have refused

    public MemoryBlockDevice(byte[] data, int maxPerRequest = 8, bool readOnly = false, bool writeCache = false)
    {
        Data = data;
        _maxPerRequest = maxPerRequest;
        Name = "mem";
        SectorCount = (ulong)data.Length / 512;
        IsReadOnly = readOnly;
        CanFlush = writeCache;
    }

    public static MemoryBlockDevice OfSectors(int sectors) => new(new byte[sectors * 512]);

    public override int MaxSectorsPerRequest => _maxPerRequest;

    protected override BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer)
    {
        Submitted.Add((operation, lba, count));
        if (Submitted.Count > TimeoutAfterRequests)
            return BlockStatus.Timeout;
        if (operation == BlockOperation.Flush)
            return BlockStatus.Ok;
        if (count < 1 || count > _maxPerRequest || lba + (ulong)count > SectorCount || (operation == BlockOperation.Write && IsReadOnly))
        {
            BadSubmissions++;
            return BlockStatus.OutOfRange;
        }
        if (lba + (ulong)count > FailFromLba)
            return BlockStatus.IoError;
        var disk = new Span<byte>(Data, (int)lba * 512, count * 512);
        var memory = new Span<byte>(buffer, count * 512);
        if (operation == BlockOperation.Read)
            disk.CopyTo(memory);
        else
            memory.CopyTo(disk);
        return BlockStatus.Ok;
    }
}
