// Ramdisk.cs -- a writable ramdisk of VisorFS: a memory resource pool (reservation = min, limit = max, its own
// resource group under host/visorfs) plus a file table of fixed size. File data lives in 4 KiB pages charged to
// the pool; past the limit or the file table a write fails with ENOSPC and ESXi's event is logged.
using System;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.VisorFs
{
    public sealed unsafe class Ramdisk
    {
        private const long PageBytes = (long)PhysicalMemory.PageSize;

        public string Name { get; private set; }
        public string MountPath { get; internal set; }
        public int Mode { get; private set; }
        public long MinBytes { get; private set; }
        public long MaxBytes { get; private set; }
        public int MaxInodes { get; private set; }
        public int InodeCount { get; private set; }
        public int OpenCount { get; internal set; }
        public ResourceGroup Group { get; private set; }
        public RamNode Root { get; internal set; }
        private ResourceGroupTree _tree;

        /// <summary>Bytes of file data held (what the pool is charged).</summary>
        public long UsedBytes => Group.MemSize;

        /// <summary>Creates the ramdisk's resource group below <paramref name="parent"/> under admission control.</summary>
        public static Errno TryCreate(ResourceGroupTree tree, ResourceGroup parent, string name, long min, long max, int mode, int maxInodes, out Ramdisk ramdisk)
        {
            ramdisk = null;
            if (max <= 0 || min < 0 || min > max || maxInodes < 1)
                return Errno.EINVAL;
            GroupsLock.LockTree();
            GroupError error = tree.Add(parent, name, min, max, out ResourceGroup group);
            GroupsLock.UnlockTree();
            if (error == GroupError.Exists)
                return Errno.EEXIST;
            if (error == GroupError.ReservationDoesNotFit || error == GroupError.ReservationAboveMinLimit)
                return Errno.ENOSPC;
            if (error != GroupError.None)
                return Errno.EINVAL;
            ramdisk = new Ramdisk { Name = name, Mode = mode & FileMode.PermissionMask, MinBytes = min, MaxBytes = max, MaxInodes = maxInodes, Group = group, _tree = tree };
            return Errno.Ok;
        }

        /// <summary>Removes the (empty) ramdisk's group; the caller has freed every node.</summary>
        internal void Destroy()
        {
            GroupsLock.LockTree();
            _tree.Remove(Group);
            GroupsLock.UnlockTree();
        }

        /// <summary>Takes a file-table slot for a new inode at <paramref name="path"/>; logs ESXi's event when the table is full.</summary>
        public bool TryTakeInode(string path)
        {
            if (InodeCount >= MaxInodes)
            {
                World self = Scheduler.Current;
                FsEvents.InodeTableFull(Name, path, self != null ? self.Name : "kernel");
                return false;
            }
            InodeCount++;
            return true;
        }

        public void ReleaseInode()
        {
            if (InodeCount > 0)
                InodeCount--;
        }

        public RamNode NewNode(RamNode parent, string name, RamNodeKind kind, int mode, long mtime)
        {
            var node = new RamNode { Name = name, Kind = kind, Mode = mode & FileMode.PermissionMask, ModificationTime = mtime, Parent = parent, Owner = this };
            if (kind == RamNodeKind.Directory)
                node.Children = new RamChildren();
            return node;
        }

        /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>, growing the file; all or nothing.</summary>
        public Errno Write(RamNode file, long offset, ReadOnlySpan<byte> data, string path)
        {
            if (offset < 0 || file.Kind != RamNodeKind.File)
                return Errno.EINVAL;
            long end = offset + data.Length;
            if (end > int.MaxValue * PageBytes / 2)
                return Errno.EFBIG;
            Errno grown = EnsurePages(file, (int)((end + PageBytes - 1) / PageBytes), path);
            if (grown != Errno.Ok)
                return grown;
            int done = 0;
            while (done < data.Length)
            {
                long at = offset + done;
                int page = (int)(at / PageBytes);
                int within = (int)(at % PageBytes);
                int chunk = (int)PageBytes - within;
                if (chunk > data.Length - done)
                    chunk = data.Length - done;
                data.Slice(done, chunk).CopyTo(new Span<byte>((byte*)file.Pages[page] + within, chunk));
                done += chunk;
            }
            if (end > file.Size)
                file.Size = end;
            return Errno.Ok;
        }

        /// <summary>Reads up to into.Length bytes at <paramref name="offset"/>; returns how many.</summary>
        public static int Read(RamNode file, long offset, Span<byte> into)
        {
            if (file.Kind != RamNodeKind.File || offset < 0 || offset >= file.Size)
                return 0;
            long left = file.Size - offset;
            int total = into.Length < left ? into.Length : (int)left;
            int done = 0;
            while (done < total)
            {
                long at = offset + done;
                int page = (int)(at / PageBytes);
                int within = (int)(at % PageBytes);
                int chunk = (int)PageBytes - within;
                if (chunk > total - done)
                    chunk = total - done;
                new ReadOnlySpan<byte>((byte*)file.Pages[page] + within, chunk).CopyTo(into.Slice(done, chunk));
                done += chunk;
            }
            return total;
        }

        /// <summary>Shrinks (or keeps) the file to <paramref name="size"/> bytes, giving back whole pages.</summary>
        public void Truncate(RamNode file, long size)
        {
            if (size < 0 || size >= file.Size && size != 0)
                return;
            int keep = (int)((size + PageBytes - 1) / PageBytes);
            int freed = 0;
            for (int i = keep; i < file.PageCount; i++)
            {
                PhysicalMemory.FreePages(DirectMap.ToPhysical(file.Pages[i]), 1);
                file.Pages[i] = 0;
                freed++;
            }
            file.PageCount = keep;
            if (freed > 0)
                Uncharge(freed * PageBytes);
            // Zero the tail of the last kept page so a later extension reads zeros.
            if (keep > 0 && size % PageBytes != 0)
                new Span<byte>((byte*)file.Pages[keep - 1] + size % PageBytes, (int)(PageBytes - size % PageBytes)).Clear();
            file.Size = size;
            if (keep == 0)
                file.Pages = null;
        }

        /// <summary>Releases what a node and (for a directory) everything below it hold: file pages and file-table
        /// slots. The node objects themselves are left to the collector.</summary>
        /// <summary>
        /// Frees a file that was unlinked while open, at its last close: its pages and its file-table slot. No list
        /// and no lock: the last close may be a killed program's, run by the reaper.
        /// </summary>
        public static void FreeOrphan(RamNode file)
        {
            file.Unlinked = false;
            file.Owner.Truncate(file, 0);
            file.Owner.ReleaseInode();
        }

        public static void FreeTree(RamNode node)
        {
            // A loop over an explicit list, not recursion: a tree may be 2,000 levels deep (64 KiB world stacks).
            var pending = new System.Collections.Generic.List<RamNode>();
            pending.Add(node);
            while (pending.Count > 0)
            {
                RamNode n = pending[pending.Count - 1];
                pending.RemoveAt(pending.Count - 1);
                if (n.Children != null)
                {
                    for (int i = 0; i < n.Children.Count; i++)
                        pending.Add(n.Children[i]);
                    n.Children = null;
                }
                if (n.Kind == RamNodeKind.File)
                    n.Owner.Truncate(n, 0);
                n.Owner.ReleaseInode();
                n.Parent = null;
            }
        }

        private const ulong KernelHeapHeadroomPages = 2 * KernelHeap.ReserveBytes / PhysicalMemory.PageSize;

        private Errno EnsurePages(RamNode file, int pages, string path)
        {
            if (pages <= file.PageCount)
                return Errno.Ok;
            int more = pages - file.PageCount;
            // The pool first: a write the pool refuses must not grow the page table either.
            ulong flags = GroupsLock.Enter();
            bool fits = _tree.CanCharge(Group, more * PageBytes);
            GroupsLock.Exit(flags);
            if (!fits)
            {
                FsEvents.RamdiskFull(Name, path);
                return Errno.ENOSPC;
            }
            // The page table grows before anything is charged, so if the heap cannot hold it (the request fails with
            // OutOfMemoryException) nothing needs undoing.
            if (file.Pages == null || file.Pages.Length < pages)
            {
                int capacity = file.Pages == null ? 4 : file.Pages.Length;
                while (capacity < pages)
                    capacity *= 2;
                var larger = new ulong[capacity];
                for (int i = 0; i < file.PageCount; i++)
                    larger[i] = file.Pages[i];
                file.Pages = larger;
            }
            flags = GroupsLock.Enter();
            ResourceGroup refused = _tree.TryCharge(Group, more * PageBytes);
            GroupsLock.Exit(flags);
            if (refused != null)
            {
                FsEvents.RamdiskFull(Name, path);
                return Errno.ENOSPC;
            }
            // The pool's accounting cannot see memory nobody charges (boot modules, page tables), so the pool may
            // promise pages the machine no longer has. The last pages belong to the kernel heap: a write that would
            // leave less than its reserve plus as much again for the writing command's own heap fails with ENOSPC
            // here, rather than the command failing later with "out of memory" (or the kernel going without).
            if (PhysicalMemory.FreePageCount < (ulong)more + KernelHeapHeadroomPages)
            {
                Uncharge(more * PageBytes);
                FsEvents.RamdiskFull(Name, path);
                return Errno.ENOSPC;
            }
            for (int i = file.PageCount; i < pages; i++)
            {
                ulong page = DirectMap.ToVirtual(PhysicalMemory.AllocatePage());
                if (page == 0)
                {
                    // Out of physical memory although the pool had room: undo this write's pages.
                    for (int j = file.PageCount; j < i; j++)
                    {
                        PhysicalMemory.FreePages(DirectMap.ToPhysical(file.Pages[j]), 1);
                        file.Pages[j] = 0;
                    }
                    Uncharge(more * PageBytes);
                    FsEvents.RamdiskFull(Name, path);
                    return Errno.ENOSPC;
                }
                file.Pages[i] = page;
            }
            file.PageCount = pages;
            return Errno.Ok;
        }

        private void Uncharge(long bytes)
        {
            ulong flags = GroupsLock.Enter();
            _tree.Uncharge(Group, bytes);
            GroupsLock.Exit(flags);
        }
    }
}
