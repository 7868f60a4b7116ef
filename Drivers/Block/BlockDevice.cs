// BlockDevice.cs -- the block layer: what the kernel sees of a disk, whatever drives it. A name (ESXi's device names,
// e.g. mpx.vmhba0:C0:T0:L0), a sector size and count, read-only media, and three requests: read, write and flush.
//
// The public methods are the only way in, and they do the checks every driver would otherwise repeat: a request past
// the end (or of zero sectors) is refused before it reaches the hardware, a write to read-only media fails with
// ReadOnly, and a request longer than the driver takes at once is split. A driver implements Submit for one piece.
// A device that stops answering fails its request with Timeout (the driver bounds its wait); the block layer then
// marks the device failed, so every later request fails at once with Failed instead of waiting again: a dead disk
// costs one timeout, never a hung world. Callers serialize their requests (VisorFS holds its lock around every file
// system call, and the partition probe runs at boot); a driver keeps one request in flight.
//
// Pure logic: the host tests drive it with in-memory devices that fail, time out or refuse writes on demand.
namespace Drivers.Block
{
    public enum BlockStatus
    {
        Ok,
        OutOfRange,   // past the end of the device, or a count of zero
        IoError,      // the device said so
        Timeout,      // the device did not answer in time (and is now marked failed)
        Failed,       // the device failed earlier
        ReadOnly,     // a write to read-only media
        Unsupported,  // the device does not do this kind of request
    }

    public enum BlockOperation
    {
        Read,
        Write,
        Flush,
    }

    public static class BlockStatusText
    {
        public static string Of(BlockStatus status) => status switch
        {
            BlockStatus.Ok => "ok",
            BlockStatus.OutOfRange => "out of range",
            BlockStatus.IoError => "I/O error",
            BlockStatus.Timeout => "timed out",
            BlockStatus.ReadOnly => "read-only medium",
            BlockStatus.Unsupported => "not supported by the device",
            _ => "device failed",
        };
    }

    public abstract unsafe class BlockDevice
    {
        public string Name { get; protected set; }
        public string Adapter { get; protected set; }    // vmhbaN
        public int SectorSize { get; protected set; } = 512;
        public ulong SectorCount { get; protected set; }
        public bool HasFailed { get; private set; }
        public bool IsReadOnly { get; protected set; }

        /// <summary>Whether the device has a volatile write cache that Flush empties (else writes are durable when done).</summary>
        public bool CanFlush { get; protected set; }

        // Counters for the shell and the tests: requests as callers made them, and those refused before the driver.
        public ulong Reads { get; private set; }
        public ulong Writes { get; private set; }
        public ulong Flushes { get; private set; }
        public ulong Errors { get; private set; }
        public ulong Refused { get; private set; }

        /// <summary>The most sectors the driver takes in one <see cref="Submit"/>; longer requests are split.</summary>
        public abstract int MaxSectorsPerRequest { get; }

        /// <summary>Reads <paramref name="count"/> sectors from <paramref name="lba"/> into <paramref name="buffer"/>.</summary>
        public BlockStatus Read(ulong lba, int count, byte* buffer)
        {
            Reads++;
            return Transfer(BlockOperation.Read, lba, count, buffer);
        }

        /// <summary>Writes <paramref name="count"/> sectors from <paramref name="buffer"/> to <paramref name="lba"/>.</summary>
        public BlockStatus Write(ulong lba, int count, byte* buffer)
        {
            Writes++;
            if (IsReadOnly && !HasFailed)
            {
                Refused++;
                return BlockStatus.ReadOnly;
            }
            return Transfer(BlockOperation.Write, lba, count, buffer);
        }

        /// <summary>Makes every completed write durable (a no-op on a device without a write cache).</summary>
        public BlockStatus Flush()
        {
            Flushes++;
            if (HasFailed)
                return BlockStatus.Failed;
            if (!CanFlush || IsReadOnly)
                return BlockStatus.Ok;
            return Completed(Submit(BlockOperation.Flush, 0, 0, null));
        }

        /// <summary>
        /// One request the block layer checked: count is 1..MaxSectorsPerRequest and lba..lba+count lies on the device
        /// (for Flush, lba and count are 0 and buffer is null). The driver must return within a bounded time.
        /// </summary>
        protected abstract BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer);

        private BlockStatus Transfer(BlockOperation operation, ulong lba, int count, byte* buffer)
        {
            if (HasFailed)
                return BlockStatus.Failed;
            if (count <= 0 || lba >= SectorCount || (ulong)count > SectorCount - lba || buffer == null)
            {
                Refused++;
                return BlockStatus.OutOfRange;
            }
            int max = MaxSectorsPerRequest;
            for (int done = 0; done < count;)
            {
                int n = count - done < max ? count - done : max;
                BlockStatus status = Completed(Submit(operation, lba + (ulong)done, n, buffer + (long)done * SectorSize));
                if (status != BlockStatus.Ok)
                    return status;
                done += n;
            }
            return BlockStatus.Ok;
        }

        // Bookkeeping after the driver answered: a timeout fails the device for good (it stopped answering once; the
        // next caller should not wait again).
        private BlockStatus Completed(BlockStatus status)
        {
            if (status == BlockStatus.Ok)
                return status;
            Errors++;
            if (status == BlockStatus.Timeout)
                HasFailed = true;
            return status;
        }
    }
}
