// KernelReservations.cs -- the memory the kernel keeps for itself, as ESXi does: host/system (the kernel heap behind
// `new`, driver and helper worlds) reserves a share of RAM that no other group can take, the shell's group reserves its
// commands' working set, and host/user (where `run` puts workloads) is limited to what is left, so a runaway user
// world meets its limit long before the kernel meets an empty heap.
// Pure logic: unit-tested on the host.
namespace Kernel.Resources
{
    public static class KernelReservations
    {
        private const long Megabyte = 1L << 20;

        /// <summary>host/system's reservation: an eighth of the memory, at least 6 MiB, at most 64 MiB.</summary>
        public static long System(long totalMemory) => Share(totalMemory, 8, 6 * Megabyte, 64 * Megabyte);

        /// <summary>
        /// The shell's group (host/vim/vmvisor/shell): what it needs to stay usable when everything else is full. The
        /// shell's `new` is charged there (GroupHeaps), so this is its commands' working set: `dmesg` alone copies the
        /// log ring. A sixteenth of the memory, at least 4 MiB, at most 32 MiB.
        /// </summary>
        public static long Shell(long totalMemory) => Share(totalMemory, 16, 4 * Megabyte, 32 * Megabyte);

        private static long Share(long totalMemory, long divisor, long floor, long ceiling)
        {
            long share = totalMemory / divisor;
            return share < floor ? floor : share > ceiling ? ceiling : share;
        }

        public const string ShellPath = "host/vim/vmvisor/shell";

        /// <summary>host/user's default limit: the memory minus the kernel's and the shell's reservations.</summary>
        public static long UserLimit(long totalMemory) => totalMemory - System(totalMemory) - Shell(totalMemory);

        /// <summary>Sets the reservations and the user limit on ESXi's standard tree (creating the shell's group);
        /// the first refusal, or None.</summary>
        public static GroupError Apply(ResourceGroupTree tree)
        {
            long total = tree.TotalMemory;
            GroupError error = tree.SetMemory(tree.Find("host/system"), System(total), ResourceGroup.Unlimited, ResourceGroup.Unlimited);
            if (error == GroupError.None)
                error = tree.AddPath(ShellPath, out _);
            if (error == GroupError.None)
                error = tree.SetMemory(tree.Find(ShellPath), Shell(total), ResourceGroup.Unlimited, ResourceGroup.Unlimited);
            if (error == GroupError.None)
                error = tree.SetMemory(tree.Find("host/user"), 0, UserLimit(total), ResourceGroup.Unlimited);
            return error;
        }
    }
}
