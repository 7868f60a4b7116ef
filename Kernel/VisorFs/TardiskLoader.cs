// TardiskLoader.cs -- turns an archive image into a mounted tardisk: a gzip'd image (detected by magic) is
// inflated one shot into pages charged to host/visorfs/tardisks, sized from ISIZE and capped by the pool's limit
// (a decompression bomb ends at the limit), CRC-32 and ISIZE checked; anything else is used in place. Logs ESXi's
// `Loading NAME: 12.3 MB -> 40.1 MB` line with the time and rate.
using System;
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Resources;
using Kernel.Time;
using VisorFs;

namespace Kernel.VisorFs
{
    public static unsafe class TardiskLoader
    {
        private static Inflater s_inflater;

        /// <summary>One inflater (~14 KB of tables) for every one-shot inflate in VisorFS.</summary>
        internal static Inflater SharedInflater => s_inflater ??= new Inflater();

        /// <summary>Cycles and microseconds of the last mount (index build), for measurements.</summary>
        public static ulong LastMountCycles { get; private set; }

        /// <summary>
        /// Loads the image at [address, address+length). With <paramref name="inPlace"/> a plain archive is used
        /// where it lies (boot modules); otherwise it is copied into the pool. Null with a reason on failure.
        /// </summary>
        public static Tardisk Load(VisorFsRoot root, string name, ulong address, long length, bool inPlace, out string why)
        {
            why = null;
            if (length < 0 || length > int.MaxValue)
            {
                why = "image larger than 2 GB";
                return null;
            }
            var image = new ReadOnlySpan<byte>((void*)address, (int)length);
            PageRun memory = null;
            ulong archive = address;
            long archiveLength = length;
            if (Gzip.IsGzip(image))
            {
                memory = Inflate(root, name, image, out archiveLength, out why);
                if (memory == null)
                    return null;
                archive = memory.Address;
            }
            else if (!inPlace)
            {
                memory = PageRun.TryAllocate(root.Tree, root.TardiskGroup, length, out ResourceGroup refused);
                if (memory == null)
                {
                    why = string.Concat("no room in the tardisk pool (", refused.Path, ")");
                    return null;
                }
                image.CopyTo(new Span<byte>(memory.Pointer, (int)length));
                archive = memory.Address;
                Log.Info("VisorFs", string.Concat("Loading ", name, ": ", string.Concat(SizeText.Megabytes(length), " MB (copied)")));
            }
            else
            {
                Log.Info("VisorFs", string.Concat("Loading ", name, ": ", string.Concat(SizeText.Megabytes(length), " MB (uncompressed, used in place)")));
            }
            ulong start = Cpu.ReadTimestampCounter();
            Tardisk disk = Tardisk.Mount(name, archive, archiveLength, memory, length);
            LastMountCycles = Cpu.ReadTimestampCounter() - start;
            Log.Info("VisorFs", string.Concat("Mounted tardisk ", name, string.Concat(": ", (disk.Index.Count - 1).ToString(), " entries, "),
                string.Concat(disk.Rejected.ToString(), " rejected, index built in ", LastMountCycles.ToString(), " cycles")));
            return disk;
        }

        private static PageRun Inflate(VisorFsRoot root, string name, ReadOnlySpan<byte> image, out long produced, out string why)
        {
            produced = 0;
            why = null;
            ResourceGroup pool = root.TardiskGroup;
            // Whole pages only: the pool is charged by the page.
            long limit = (root.Tree.Capacity(pool) - pool.MemSize) & ~4095L;
            if (limit > int.MaxValue - 4095)
                limit = int.MaxValue - 4095;
            long size = Gzip.TryGetUncompressedSize(image, out uint hint) ? hint : 0;
            if (size < 4096)
                size = 4096;
            if (size > limit)
                size = limit;
            ulong start = Cpu.ReadTimestampCounter();
            while (true)
            {
                PageRun run = PageRun.TryAllocate(root.Tree, pool, size, out ResourceGroup refused);
                if (run == null)
                {
                    why = string.Concat("no room in the tardisk pool for ", SizeText.Megabytes(size), string.Concat(" MB (", refused.Path, ")"));
                    return null;
                }
                GzipStatus status = Gzip.Decompress(SharedInflater, image, new Span<byte>(run.Pointer, (int)size), out int written);
                if (status == GzipStatus.Ok)
                {
                    ulong us = Microseconds(Cpu.ReadTimestampCounter() - start);
                    produced = written;
                    Log.Info("VisorFs", string.Concat(string.Concat("Loading ", name, ": ", SizeText.Megabytes(image.Length)),
                        string.Concat(" MB -> ", SizeText.Megabytes(written), " MB in "),
                        string.Concat((us / 1000).ToString(), " ms (", SizeText.MegabytesPerSecond(written, us)), " MB/s)"));
                    return run;
                }
                run.Free();
                if (status != GzipStatus.OutputTooSmall)
                {
                    why = Describe(status);
                    return null;
                }
                if (size >= limit)
                {
                    why = string.Concat("inflates to more than the tardisk pool's limit (", SizeText.Megabytes(limit), " MB free in host/visorfs/tardisks)");
                    return null;
                }
                size = size * 2 > limit ? limit : size * 2;
            }
        }

        public static ulong Microseconds(ulong cycles)
        {
            ulong hz = Clock.TscHz;
            return hz == 0 ? 0 : cycles / (hz / 1000000 == 0 ? 1 : hz / 1000000);
        }

        public static string Describe(GzipStatus status) => status switch
        {
            GzipStatus.NotGzip => "not a gzip file",
            GzipStatus.Unsupported => "unsupported gzip method or flags",
            GzipStatus.Truncated => "truncated gzip data",
            GzipStatus.InvalidData => "corrupt deflate data",
            GzipStatus.BadHeaderCrc => "bad gzip header CRC",
            GzipStatus.BadCrc => "CRC-32 mismatch",
            GzipStatus.BadLength => "length (ISIZE) mismatch",
            GzipStatus.OutputTooSmall => "output too small",
            GzipStatus.LimitExceeded => "larger than the limit",
            _ => "gzip error",
        };
    }
}
