// PartitionProbe.cs -- a first look at each disk at boot: reads its first two sectors and says which partition table
// they carry (a protective MBR plus "EFI PART" in sector 1 is GPT; 55 AA at the end of sector 0 alone is MBR), or
// that the disk could not be read. Parsing the tables comes with the boot device's partition layer.
using Kernel.Logging;

namespace Drivers.Block
{
    public static unsafe class PartitionProbe
    {
        public static void ProbeAll()
        {
            for (int i = 0; i < BlockDevices.All.Count; i++)
                Log.Info("Storage", string.Concat(BlockDevices.All[i].Name, ": ", Describe(BlockDevices.All[i])));
        }

        public static string Describe(BlockDevice disk)
        {
            if (disk.SectorCount < 2)
                return "too small for a partition table";
            byte* sectors = stackalloc byte[1024];
            BlockStatus status = disk.Read(0, 2, sectors);
            if (status != BlockStatus.Ok)
                return string.Concat("cannot read sectors 0-1 (", StatusText(status), ")");
            bool mbrSignature = sectors[510] == 0x55 && sectors[511] == 0xAA;
            bool gptHeader = sectors[512] == 'E' && sectors[513] == 'F' && sectors[514] == 'I' && sectors[515] == ' '
                && sectors[516] == 'P' && sectors[517] == 'A' && sectors[518] == 'R' && sectors[519] == 'T';
            if (gptHeader)
                return "partition table: gpt";
            return mbrSignature ? "partition table: msdos" : "no partition table";
        }

        public static string StatusText(BlockStatus status) => status switch
        {
            BlockStatus.Ok => "ok",
            BlockStatus.OutOfRange => "out of range",
            BlockStatus.IoError => "I/O error",
            BlockStatus.Timeout => "timed out",
            _ => "device failed",
        };
    }
}
