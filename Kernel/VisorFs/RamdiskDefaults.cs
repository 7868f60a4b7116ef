// RamdiskDefaults.cs -- the ramdisks every boot creates, with ESXi 6.x sizes (root 32M, etc 28M, var 48M,
// tmp 256M) as pools: min = reservation, max = limit. On a small machine each limit is at most a quarter of what the
// ramdisks can get at all (the memory less the kernel's reservations), so the four together never promise more
// memory than there is; filling them ends in ENOSPC, never in an empty kernel heap.
namespace Kernel.VisorFs
{
    public static class RamdiskDefaults
    {
        private const long Megabyte = 1L << 20;

        private struct Spec
        {
            public string Name, MountPath;
            public int MinMb, MaxMb, Mode, Inodes;
        }

        private static Spec[] Table() => new Spec[]
        {
            new Spec { Name = "root", MountPath = "/", MinMb = 0, MaxMb = 32, Mode = 0x3ED, Inodes = 8192 },   // 01755
            new Spec { Name = "etc", MountPath = "/etc", MinMb = 0, MaxMb = 28, Mode = 0x1ED, Inodes = 4096 }, // 0755
            new Spec { Name = "var", MountPath = "/var", MinMb = 0, MaxMb = 48, Mode = 0x1ED, Inodes = 8192 },
            new Spec { Name = "tmp", MountPath = "/tmp", MinMb = 2, MaxMb = 256, Mode = 0x3FF, Inodes = 8192 }, // 01777
        };

        /// <summary>The limit actually used for a default size on a machine with <paramref name="ramBytes"/>.</summary>
        public static long ScaledLimit(long defaultBytes, long ramBytes)
        {
            // RAM as the machine is sold (usable memory is a little less than the DIMMs: round up to 16 MB).
            long ram = (ramBytes + 16 * Megabyte - 1) / (16 * Megabyte) * (16 * Megabyte);
            long cap = ram / 4;
            if (cap < Megabyte)
                cap = Megabyte;
            return defaultBytes < cap ? defaultBytes : cap;
        }

        /// <summary>
        /// The limit of each default ramdisk on a machine with <paramref name="ramBytes"/> where ramdisks can get at
        /// most <paramref name="attainableBytes"/> (the memory less the kernel's reservations): the scaled default,
        /// and when the four scaled limits together would not fit, a quarter of what is attainable (whole MiB).
        /// </summary>
        public static long Limit(long defaultBytes, long ramBytes, long attainableBytes)
        {
            Spec[] table = Table();
            long sum = 0;
            for (int i = 0; i < table.Length; i++)
                sum += ScaledLimit(table[i].MaxMb * Megabyte, ramBytes);
            long max = ScaledLimit(defaultBytes, ramBytes);
            long quarter = attainableBytes / table.Length & ~(Megabyte - 1);
            if (sum > attainableBytes && max > quarter)
                max = quarter < Megabyte ? Megabyte : quarter;
            return max;
        }

        /// <summary>Adds the root ramdisk (before any tardisk) or the others (after), logging failures.</summary>
        public static void Add(VisorFsRoot root, long ramBytes, bool rootOnly)
        {
            Spec[] table = Table();
            long attainable = root.Tree.MaxAttainable(root.Group);
            for (int i = 0; i < table.Length; i++)
            {
                Spec s = table[i];
                if ((s.MountPath == "/") != rootOnly)
                    continue;
                long max = Limit(s.MaxMb * Megabyte, ramBytes, attainable);
                long min = s.MinMb * Megabyte < max ? s.MinMb * Megabyte : 0;
                Errno e = root.AddRamdisk(s.Name, s.MountPath, min, max, s.Mode, s.Inodes);
                if (e != Errno.Ok)
                    FsEvents.Failure(string.Concat("ramdisk ", s.Name, ": ", ErrnoText.Describe(e)));
            }
        }
    }
}
