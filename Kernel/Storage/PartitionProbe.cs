// PartitionProbe.cs -- a first look at each disk at boot: its partition table (PartitionTable: GPT with the backup
// header as fallback, else MBR), one log line per disk and one per partition. Volumes and file systems on them come
// with the boot device's next layers.
using Drivers.Block;
using Kernel.Logging;

namespace Kernel.Storage
{
    public static class PartitionProbe
    {
        public static void ProbeAll()
        {
            for (int i = 0; i < BlockDevices.All.Count; i++)
            {
                BlockDevice disk = BlockDevices.All[i];
                PartitionTable table = PartitionTable.Read(disk);
                Log.Info("Storage", string.Concat(disk.Name, ": ", Describe(table)));
                for (int p = 0; p < table.Partitions.Count; p++)
                    Log.Info("Storage", string.Concat(disk.Name, ":", Describe(table.Partitions[p])));
            }
        }

        /// <summary>`gpt, 3 partitions` (with `, backup header used` / `, 1 bad entry dropped`), `no partition table`, or the problem.</summary>
        public static string Describe(PartitionTable table)
        {
            if (table.Problem != null)
                return table.Problem;
            if (table.Scheme == PartitionScheme.None)
                return "no partition table";
            string text = string.Concat(table.Scheme == PartitionScheme.Gpt ? "gpt, " : "msdos, ", table.Partitions.Count.ToString(), " partitions");
            if (table.UsedBackupHeader)
                text = string.Concat(text, ", backup header used (the primary is damaged)");
            if (table.DroppedEntries > 0)
                text = string.Concat(text, ", ", table.DroppedEntries.ToString(), " bad entries dropped");
            return text;
        }

        // `1 2048 4095 C12A7328F81F11D2BA4B00A0C93EC93B 'systemPartition'`: number, first and last sector, type, name.
        private static string Describe(Partition p)
        {
            string type = p.TypeGuid != null ? PartitionTable.GuidText(p.TypeGuid) : string.Concat("type 0x", ((ulong)p.MbrType).ToString("x2"));
            return string.Concat(
                string.Concat(p.Number.ToString(), " ", p.FirstLba.ToString(), " "),
                string.Concat(p.LastLba.ToString(), " ", type),
                p.TypeGuid != null ? string.Concat(" '", p.Name, "'") : (p.Attributes != 0 ? " boot" : ""));
        }
    }
}
