// FatVolume.Files.cs -- file contents: read, write (growing the cluster chain all-or-nothing, so a full volume fails a
// write with ENOSPC and changes nothing), and truncate. A write past the end fills the gap with zeros, as POSIX
// demands. Transfers go sector by sector range within a cluster, through a scratch buffer of one cluster.
using System;
using System.Collections.Generic;
using Kernel.VisorFs;

namespace Kernel.Storage.Fat
{
    public sealed partial class FatVolume
    {
        private const long MaxFileSize = 0xFFFFFFFF;

        private byte[] _scratch;

        private byte[] Scratch => _scratch ??= new byte[Boot.ClusterBytes];

        /// <summary>Reads up to into.Length bytes at <paramref name="offset"/> of the file; <paramref name="read"/> is 0 at the end.</summary>
        public Errno Read(FatNode node, long offset, Span<byte> into, out int read)
        {
            read = 0;
            if (node.IsDirectory)
                return Errno.EISDIR;
            if (offset < 0)
                return Errno.EINVAL;
            if (offset >= node.Size || into.Length == 0)
                return Errno.Ok;
            long left = node.Size - offset;
            int wanted = into.Length < left ? into.Length : (int)left;
            var chain = new List<uint>();
            if (!Table.Walk(node.FirstCluster, chain) || (long)chain.Count * Boot.ClusterBytes < offset + wanted)
                return Errno.EIO;   // the chain is broken or shorter than the size says
            int cs = Boot.ClusterBytes, bps = Boot.BytesPerSector;
            while (read < wanted)
            {
                long position = offset + read;
                uint cluster = chain[(int)(position / cs)];
                int within = (int)(position % cs);
                int take = cs - within < wanted - read ? cs - within : wanted - read;
                int firstSector = within / bps, sectors = (within + take - 1) / bps - firstSector + 1;
                Errno e = ReadSectors(Boot.ClusterSector(cluster) + (uint)firstSector, sectors, Scratch, 0);
                if (e != Errno.Ok)
                    return e;
                new Span<byte>(Scratch, within - firstSector * bps, take).CopyTo(into.Slice(read, take));
                read += take;
            }
            return Errno.Ok;
        }

        /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>, growing the file (zeros fill any gap).</summary>
        public Errno Write(FatNode node, long offset, ReadOnlySpan<byte> data)
        {
            Errno e = Writable();
            if (e != Errno.Ok)
                return e;
            if (node.IsDirectory)
                return Errno.EISDIR;
            if (offset < 0)
                return Errno.EINVAL;
            long end = offset + data.Length;
            if (end > MaxFileSize)
                return Errno.EFBIG;
            var chain = new List<uint>();
            if (!Table.Walk(node.FirstCluster, chain))
                return Errno.EIO;
            long newSize = end > node.Size ? end : node.Size;
            int had = chain.Count;
            uint firstBefore = node.FirstCluster;
            e = EnsureClusters(node, chain, newSize);
            if (e != Errno.Ok)
                return Finish(e);
            if (offset > node.Size)
                e = Transfer(chain, node.Size, default, (int)(offset - node.Size), zeros: true);
            if (e == Errno.Ok)
                e = Transfer(chain, offset, data, data.Length, zeros: false);
            if (e == Errno.Ok)
                e = WriteTable();   // the new clusters are in the FAT before the entry points at them
            if (e == Errno.Ok)
            {
                node.Size = (uint)newSize;
                node.ModificationTime = Now();
                e = UpdateEntry(node);
            }
            if (e != Errno.Ok && chain.Count > had)
            {
                // Give back what this write allocated, so a failed write leaves no lost clusters.
                Table.Cut(chain, had);
                node.FirstCluster = firstBefore;
            }
            return Finish(e);
        }

        /// <summary>Sets the file's size: shorter frees the clusters past it, longer appends zeros.</summary>
        public Errno Truncate(FatNode node, long size)
        {
            Errno e = Writable();
            if (e != Errno.Ok)
                return e;
            if (node.IsDirectory)
                return Errno.EISDIR;
            if (size < 0)
                return Errno.EINVAL;
            if (size > MaxFileSize)
                return Errno.EFBIG;
            if (size > node.Size)
                return Write(node, size, default);
            var chain = new List<uint>();
            if (!Table.Walk(node.FirstCluster, chain))
                return Errno.EIO;
            int keep = (int)((size + Boot.ClusterBytes - 1) / Boot.ClusterBytes);
            if (keep < chain.Count)
                Table.Cut(chain, keep);
            if (keep == 0)
                node.FirstCluster = 0;
            node.Size = (uint)size;
            node.ModificationTime = Now();
            return Finish(UpdateEntry(node));
        }

        // Grows `chain` (the node's) to hold `size` bytes, all or nothing; a new chain becomes the node's first cluster.
        private Errno EnsureClusters(FatNode node, List<uint> chain, long size)
        {
            int needed = (int)((size + Boot.ClusterBytes - 1) / Boot.ClusterBytes);
            if (needed <= chain.Count)
                return Errno.Ok;
            uint last = chain.Count > 0 ? chain[chain.Count - 1] : 0;
            if (!Table.Extend(last, needed - chain.Count, chain))
                return Errno.ENOSPC;
            node.FirstCluster = chain[0];
            return Errno.Ok;
        }

        // Writes `length` bytes at `offset` of the file whose clusters are `chain`: from `data`, or zeros.
        private Errno Transfer(List<uint> chain, long offset, ReadOnlySpan<byte> data, int length, bool zeros)
        {
            int cs = Boot.ClusterBytes, bps = Boot.BytesPerSector;
            for (int done = 0; done < length;)
            {
                long position = offset + done;
                uint cluster = chain[(int)(position / cs)];
                int within = (int)(position % cs);
                int take = cs - within < length - done ? cs - within : length - done;
                int firstSector = within / bps, sectors = (within + take - 1) / bps - firstSector + 1;
                uint sector = Boot.ClusterSector(cluster) + (uint)firstSector;
                int skip = within - firstSector * bps;
                if (skip != 0 || take % bps != 0)
                {
                    // Part of a sector: keep the bytes around it.
                    Errno r = ReadSectors(sector, sectors, Scratch, 0);
                    if (r != Errno.Ok)
                        return r;
                }
                var target = new Span<byte>(Scratch, skip, take);
                if (zeros)
                    target.Clear();
                else
                    data.Slice(done, take).CopyTo(target);
                Errno e = WriteSectors(sector, sectors, Scratch, 0);
                if (e != Errno.Ok)
                    return e;
                done += take;
            }
            return Errno.Ok;
        }
    }
}
