// BlockDevice.cs -- what the kernel sees of a disk, whatever drives it: a name (ESXi's device names, e.g.
// mpx.vmhba0:C0:T0:L0), a sector size and count, and reads into a caller's buffer. A request either completes or fails
// with a status; a device that stops answering fails its requests with Timeout and is marked failed, never hangs.
namespace Drivers.Block
{
    public enum BlockStatus
    {
        Ok,
        OutOfRange,   // past the end of the device, or a count of zero or too many
        IoError,      // the device said so
        Timeout,      // the device did not answer in time (and is now marked failed)
        Failed,       // the device failed earlier
    }

    public static class BlockStatusText
    {
        public static string Of(BlockStatus status) => status switch
        {
            BlockStatus.Ok => "ok",
            BlockStatus.OutOfRange => "out of range",
            BlockStatus.IoError => "I/O error",
            BlockStatus.Timeout => "timed out",
            _ => "device failed",
        };
    }

    public abstract unsafe class BlockDevice
    {
        public string Name { get; protected set; }
        public string Adapter { get; protected set; }    // vmhbaN
        public int SectorSize { get; protected set; } = 512;
        public ulong SectorCount { get; protected set; }
        public bool HasFailed { get; protected set; }

        /// <summary>The most sectors one <see cref="Read"/> may ask for.</summary>
        public abstract int MaxSectorsPerRequest { get; }

        /// <summary>Reads <paramref name="count"/> sectors from <paramref name="lba"/> into <paramref name="buffer"/>.</summary>
        public abstract BlockStatus Read(ulong lba, int count, byte* buffer);

        /// <summary>Whether lba..lba+count lies on the device and count is within the per-request limit.</summary>
        protected bool InRange(ulong lba, int count) =>
            count > 0 && count <= MaxSectorsPerRequest && lba < SectorCount && (ulong)count <= SectorCount - lba;
    }
}
