// BlockDevices.cs -- the disks the drivers found, in the order they were found, and the next free adapter number.
using System.Collections.Generic;

namespace Drivers.Block
{
    public static class BlockDevices
    {
        private static int s_nextAdapter;

        public static List<BlockDevice> All { get; } = new List<BlockDevice>();

        /// <summary>The next storage adapter name: vmhba0, vmhba1, ... (as ESXi numbers them).</summary>
        public static string NextAdapterName() => string.Concat("vmhba", (s_nextAdapter++).ToString());

        public static void Add(BlockDevice device) => All.Add(device);
    }
}
