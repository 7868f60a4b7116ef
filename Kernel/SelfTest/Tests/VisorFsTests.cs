// VisorFsTests.cs -- the overlaid root checked inside the kernel on a private VisorFsRoot (its own groups under
// host/system): layering, copy-up, whiteouts, symlinks, ENOSPC and the file table, EBUSY, sticky markers, and
// that everything it took comes back.
using System;
using System.Collections.Generic;
using Kernel.Memory;
using Kernel.VisorFs;
using Kernel.Worlds;
using VisorFs;

namespace Kernel.SelfTest.Tests
{
    internal static class VisorFsTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new LayeringTest());
            tests.Add(new ChangesTest());
            tests.Add(new LimitsTest());
            tests.Add(new BusyAndStickyTest());
            tests.Add(new ScatteredPagesTest());
            tests.Add(new RandomOperationsTest());
        }

        private const long Megabyte = 1L << 20;

        // A root with a 4 MB root ramdisk, a 1 MB `small` ramdisk at /small with 16 inodes, and two tardisks.
        private static VisorFsRoot Build(SelfTestContext t, string name)
        {
            var root = VisorFsRoot.Create(Scheduler.Groups, Scheduler.Groups.Find("host/system"), name, 64 * Megabyte);
            t.Check(root != null, "root created");
            t.Check(root.AddRamdisk("root", "/", 0, 4 * Megabyte, 0x3ED, 64) == Errno.Ok, "root ramdisk added");
            List<VisorTarMember> a = Members(
                new VisorTarMember("etc", 0x1ED, TarEntryType.Directory, null),
                new VisorTarMember("etc/motd", 0x1A4, TarEntryType.File, Bytes("base\n")),
                new VisorTarMember("etc/conf", 0x3A4, TarEntryType.File, Bytes("sticky\n")),   // 01644
                new VisorTarMember("etc/only-a", 0x1A4, TarEntryType.File, Bytes("a\n")),
                new VisorTarMember("lib/big", 0x1A4, TarEntryType.File, new byte[300000]),
                new VisorTarMember("link", 0x1FF, TarEntryType.Symlink, null) { LinkTarget = "etc/motd" },
                new VisorTarMember("loop1", 0x1FF, TarEntryType.Symlink, null) { LinkTarget = "loop2" },
                new VisorTarMember("loop2", 0x1FF, TarEntryType.Symlink, null) { LinkTarget = "/loop1" });
            List<VisorTarMember> b = Members(
                new VisorTarMember("etc/motd", 0x1A4, TarEntryType.File, Bytes("later\n")),
                new VisorTarMember("etc/only-b", 0x1A4, TarEntryType.File, Bytes("b\n")));
            Mount(t, root, "a.v00", a);
            Mount(t, root, "b.v00", b);
            t.Check(root.AddRamdisk("small", "/small", 0, 1 * Megabyte, 0x1ED, 16) == Errno.Ok, "small ramdisk added");
            return root;
        }

        private static unsafe void Mount(SelfTestContext t, VisorFsRoot root, string name, List<VisorTarMember> members)
        {
            t.Check(VisorTarWriter.TryWrite(members, out byte[] archive, out _), "archive written");
            Tardisk disk;
            fixed (byte* p = archive)
                disk = TardiskLoader.Load(root, name, (ulong)p, archive.Length, false, out _);
            t.Check(disk != null && root.AddTardisk(disk) == Errno.Ok, "tardisk mounted");
        }

        private static void TearDown(SelfTestContext t, VisorFsRoot root)
        {
            t.Equal(0, root.Files.Count, "no file left open");
            t.Check(root.RemoveRamdisk("small") == Errno.Ok, "small ramdisk removed");
            while (root.TardiskCount > 0)
                t.Check(root.RemoveTardisk(root.TardiskAt(0).Name) == Errno.Ok, "tardisk unmounted");
            t.Equal(0, root.TardiskGroup.MemSize, "tardisk pool memory back");
        }

        private static List<VisorTarMember> Members(params VisorTarMember[] members)
        {
            var list = new List<VisorTarMember>();
            for (int i = 0; i < members.Length; i++)
                list.Add(members[i]);
            return list;
        }

        private static byte[] Bytes(string s)
        {
            var b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
                b[i] = (byte)s[i];
            return b;
        }

        private static unsafe string Read(VisorFsRoot root, string path)
        {
            if (root.Resolve("/", path, true, out FsNode node) != Errno.Ok || root.Files.Open(node, "selftest", out int fd) != Errno.Ok)
                return null;
            byte* buffer = stackalloc byte[256];
            int n = root.Files.Read(fd, new Span<byte>(buffer, 256));
            root.Files.Close(fd);
            var chars = new char[n < 0 ? 0 : n];
            for (int i = 0; i < chars.Length; i++)
                chars[i] = (char)buffer[i];
            return new string(chars, 0, chars.Length);
        }

        private static bool Exists(VisorFsRoot root, string path) => root.Resolve("/", path, true, out _) == Errno.Ok;

        private sealed class LayeringTest : SelfTest
        {
            public override string Name => "visorfs: layers, later tardisk wins, symlinks and ELOOP";

            public override void Run(SelfTestContext t)
            {
                VisorFsRoot root = Build(t, "selftest-vfs1");
                t.Equal("later\n", Read(root, "/etc/motd"), "later tardisk wins");
                t.Equal("a\n", Read(root, "/etc/only-a"), "earlier tardisk still visible");
                t.Equal("b\n", Read(root, "etc/only-b"), "relative path from /");
                t.Equal("later\n", Read(root, "/link"), "symlink followed");
                t.Equal("later\n", Read(root, "/etc/../etc/./motd"), "dot and dot-dot");
                t.Equal((long)Errno.ELOOP, (long)root.Resolve("/", "/loop1", true, out _), "symlink loop gives ELOOP");
                t.Equal((long)Errno.ENOTDIR, (long)root.Resolve("/", "/etc/motd/x", true, out _), "file in the middle gives ENOTDIR");
                t.Equal((long)Errno.ENOENT, (long)root.Resolve("/", "/nope", true, out _), "missing gives ENOENT");
                var list = new List<DirEntry>();
                root.Resolve("/", "/etc", true, out FsNode etc);
                root.ReadDirectory(etc, list);
                t.Equal(4, list.Count, "merged /etc lists motd, conf, only-a, only-b once each");
                t.Check(root.RemoveTardisk("b.v00") == Errno.Ok, "later tardisk unmounted");
                t.Equal("base\n", Read(root, "/etc/motd"), "earlier layer shows again");
                TearDown(t, root);
            }
        }

        private sealed class ChangesTest : SelfTest
        {
            public override string Name => "visorfs: copy-up, whiteouts, mkdir over a whiteout, rename";

            public override void Run(SelfTestContext t)
            {
                VisorFsRoot root = Build(t, "selftest-vfs2");
                t.Check(root.WriteFile("/", "/etc/motd", Bytes("more\n"), true) == Errno.Ok, "append to a tardisk file");
                t.Equal("later\nmore\n", Read(root, "/etc/motd"), "copied up with its data");
                root.Resolve("/", "/etc/motd", true, out FsNode motd);
                t.Check(motd.Ram != null && motd.Ram.Owner.Name == "root", "copy lives in the root ramdisk");
                t.Check(root.Unlink("/", "/etc/only-a") == Errno.Ok && !Exists(root, "/etc/only-a"), "tardisk file hidden by a whiteout");
                t.Check(root.Unlink("/", "/etc/motd") == Errno.Ok && !Exists(root, "/etc/motd"), "copied-up file deleted for good");
                t.Check(root.Unlink("/", "/etc/only-b") == Errno.Ok && root.Unlink("/", "/etc/conf") == Errno.Ok, "rest of /etc deleted");
                t.Equal((long)Errno.Ok, (long)root.Rmdir("/", "/etc"), "emptied tardisk directory removed");
                t.Check(!Exists(root, "/etc"), "directory gone");
                t.Check(root.Mkdir("/", "/etc", 0x1ED) == Errno.Ok, "made again");
                t.Check(root.Resolve("/", "/etc", true, out FsNode etc) == Errno.Ok, "found again");
                t.Check(root.IsEmptyDirectory(etc), "new directory is opaque: tardisk files stay hidden");
                t.Check(root.WriteFile("/", "/small/f", Bytes("x"), false) == Errno.Ok, "file in another ramdisk");
                t.Check(root.Rename("/", "/small/f", "/etc/g") == Errno.Ok && Read(root, "/etc/g") == "x" && !Exists(root, "/small/f"), "moved across ramdisks");
                t.Equal((long)Errno.EEXIST, (long)root.Mkdir("/", "/lib", 0x1ED), "mkdir of an existing tardisk directory");
                t.Equal((long)Errno.ENOTEMPTY, (long)root.Rmdir("/", "/lib"), "rmdir of a non-empty tardisk directory");
                t.Equal((long)Errno.EISDIR, (long)root.Unlink("/", "/lib"), "unlink of a directory");
                TearDown(t, root);
            }
        }

        private sealed class LimitsTest : SelfTest
        {
            public override string Name => "visorfs: full ramdisk and file table give ENOSPC, pool memory returns";

            public override void Run(SelfTestContext t)
            {
                VisorFsRoot root = Build(t, "selftest-vfs3");
                Ramdisk small = root.FindRamdisk("small");
                t.Check(root.Copy("/", "/lib/big", "/small/a") == Errno.Ok, "300 KB fit in 1 MB");
                t.Check(root.Copy("/", "/lib/big", "/small/b") == Errno.Ok, "600 KB fit");
                t.Check(root.Copy("/", "/lib/big", "/small/c") == Errno.Ok, "900 KB fit");
                t.Equal((long)Errno.ENOSPC, (long)root.Copy("/", "/lib/big", "/small/d"), "the fourth copy does not");
                t.Check(!Exists(root, "/small/d"), "no partial file left behind");
                t.Check(root.WriteFile("/", "/small/held", default, false) == Errno.Ok, "file to hold open");
                root.Resolve("/", "/small/held", true, out FsNode held);
                t.Check(root.Files.Open(held, "selftest", out int heldFd) == Errno.Ok, "held open");
                t.Equal((long)Errno.ENOSPC, (long)root.Copy("/", "/lib/big", "/small/held"), "copy over an open file: ENOSPC");
                t.Check(Exists(root, "/small/held") && held.Ram.Owner == small && held.Ram.Size == 0, "the open inode is kept, not freed");
                t.Check(root.Files.Close(heldFd) == Errno.Ok && root.Unlink("/", "/small/held") == Errno.Ok, "closed and removed");
                t.Check(small.UsedBytes <= small.MaxBytes, "pool never above its limit");
                t.Check(root.Unlink("/", "/small/a") == Errno.Ok && root.Copy("/", "/lib/big", "/small/d") == Errno.Ok, "room again after a delete");
                int made = 0;
                for (int i = 0; i < 14; i++)
                    if (root.WriteFile("/", string.Concat("/small/n", i.ToString()), default, false) == Errno.Ok)
                        made++;
                t.Equal(small.MaxInodes - 4, made, "file table of 16 holds the mount point, b, c, d and 12 more");
                t.Equal((long)Errno.ENOSPC, (long)root.Mkdir("/", "/small/dir", 0x1ED), "full file table refuses mkdir too");
                t.Check(root.RemoveRamdisk("small") == Errno.Ok, "ramdisk with files removed");
                t.Equal(root.TardiskGroup.MemSize + root.FindRamdisk("root").UsedBytes, root.Group.MemSize, "its pages were uncharged with it");
                t.Check(root.AddRamdisk("small", "/small", 0, Megabyte, 0x1ED, 16) == Errno.Ok, "added again");
                TearDown(t, root);
            }
        }

        // 3,000 random operations on a few names across the root ramdisk, the small one and the tardisks, then the
        // books must balance: each ramdisk's charge = its files' pages, its file table = its nodes.
        private sealed class RandomOperationsTest : SelfTest
        {
            public override string Name => "visorfs: 3,000 random operations keep pools and file tables consistent";

            private static readonly string[] s_paths =
            {
                "/etc/motd", "/etc/conf", "/etc/only-a", "/etc/new", "/etc/d", "/etc/d/x", "/small/a", "/small/b",
                "/small/d", "/small/d/y", "/lib/big", "/lib", "/link", "/loop1", "/small", "/etc", "/tardisks/a.v00",
            };

            public override void Run(SelfTestContext t)
            {
                VisorFsRoot root = Build(t, "selftest-vfs6");
                ulong seed = 0x9E3779B97F4A7C15UL;
                byte[] data = new byte[9000];
                for (int i = 0; i < data.Length; i++)
                    data[i] = (byte)i;
                for (int i = 0; i < 3000; i++)
                {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    string a = s_paths[(int)(seed % (ulong)s_paths.Length)];
                    string b = s_paths[(int)((seed >> 20) % (ulong)s_paths.Length)];
                    int size = (int)((seed >> 40) % (ulong)data.Length);
                    switch ((int)((seed >> 32) % 9))
                    {
                        case 0: root.WriteFile("/", a, new ReadOnlySpan<byte>(data, 0, size), false); break;
                        case 1: root.WriteFile("/", a, new ReadOnlySpan<byte>(data, 0, size), true); break;
                        case 2: root.Unlink("/", a); break;
                        case 3: root.Mkdir("/", a, 0x1ED); break;
                        case 4: root.Rmdir("/", a); break;
                        case 5: root.Copy("/", a, b); break;
                        case 6: root.Rename("/", a, b); break;
                        case 7: root.Touch("/", a); break;
                        default: ReadBack(root, a); break;
                    }
                }
                for (int i = 0; i < root.RamdiskCount; i++)
                {
                    Ramdisk disk = root.RamdiskAt(i);
                    long pages = 0;
                    int nodes = Count(disk, disk.Root, ref pages);
                    t.Equal(pages * 4096, disk.UsedBytes, string.Concat(disk.Name, ": pool charge = file pages"));
                    t.Equal(nodes, disk.InodeCount, string.Concat(disk.Name, ": file table = nodes"));
                }
                t.Check(root.TardiskCount >= 1, "tardisks still mounted or cleanly unmounted");
                if (root.FindRamdisk("small") == null)
                    root.AddRamdisk("small", "/small", 0, Megabyte, 0x1ED, 16);
                TearDown(t, root);
            }

            private static unsafe void ReadBack(VisorFsRoot root, string path)
            {
                if (root.Resolve("/", path, true, out FsNode node) != Errno.Ok || root.Files.Open(node, "selftest", out int fd) != Errno.Ok)
                    return;
                byte* buffer = stackalloc byte[512];
                while (root.Files.Read(fd, new Span<byte>(buffer, 512)) > 0)
                {
                }
                root.Files.Close(fd);
            }

            // Nodes of this ramdisk below (and including) a node; mount points of other ramdisks count for those.
            private static int Count(Ramdisk disk, RamNode node, ref long pages)
            {
                if (node.Owner != disk)
                    return 0;
                int n = 1;
                pages += node.PageCount;
                if (node.Children != null)
                    for (int i = 0; i < node.Children.Count; i++)
                        n += Count(disk, node.Children[i], ref pages);
                return n;
            }
        }

        private sealed unsafe class ScatteredPagesTest : SelfTest
        {
            // Not inlined: the index is garbage once this returns, with no copy left in the test's frame.
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            private static int IndexedEntries(PageRun run)
                => TarIndex.Build(new ReadOnlySpan<byte>(run.Pointer, (int)run.Bytes), Tardisk.PresizedMembers).Count;

            public override string Name => "visorfs: scattered pages mapped as one span (fragmented memory)";

            public override void Run(SelfTestContext t)
            {
                var tree = Scheduler.Groups;
                Resources.ResourceGroup group = tree.Find("host/system");
                // host/system also holds the kernel heap, which the index below grows: compare the rest.
                long charged = group.MemSize - group.HeapSize;
                for (int round = 0; round < 2; round++)
                {
                    System.GC.Collect();
                    ulong freeBefore = PhysicalMemory.FreePageCount;
                    PageRun run = PageRun.TryAllocate(tree, group, 300 * 4096 + 1, true, out _);
                    t.Check(run != null && run.IsMapped && run.Pages == 301, "301 pages mapped");
                    t.Check(run.Address >= VirtualWindow.Base && Paging.Query(run.Address) != 0, "in the window, mapped");
                    for (ulong i = 0; i < run.Pages * 512; i++)
                        ((ulong*)run.Address)[i] = i * 2654435761UL;
                    bool same = true;
                    for (ulong i = 0; i < run.Pages * 512; i++)
                        same &= ((ulong*)run.Address)[i] == i * 2654435761UL;
                    t.Check(same, "the span reads back what was written");
                    t.Check(IndexedEntries(run) >= 1, "indexing garbage through the window is safe");
                    run.Free();
                    System.GC.Collect();
                    t.Equal(charged, group.MemSize - group.HeapSize, "charge returned");
                    t.Check(Paging.Query(VirtualWindow.Base) == 0, "unmapped");
                    if (round == 1)
                        t.Equal((long)freeBefore, (long)PhysicalMemory.FreePageCount, "pages back (page tables reused)");
                }
            }
        }

        private sealed class BusyAndStickyTest : SelfTest
        {
            public override string Name => "visorfs: EBUSY unmount with an open file, sticky markers, .# refused";

            public override void Run(SelfTestContext t)
            {
                VisorFsRoot root = Build(t, "selftest-vfs4");
                root.Resolve("/", "/etc/only-a", true, out FsNode node);
                t.Check(root.Files.Open(node, "selftest", out int fd) == Errno.Ok, "file opened");
                t.Equal((long)Errno.EBUSY, (long)root.Unlink("/", "/tardisks/a.v00"), "unmount refused while open");
                t.Check(root.Files.Close(fd) == Errno.Ok, "closed");
                t.Check(root.Copy("/", "/tardisks/b.v00", "/small/b.copy") == Errno.Ok, "tardisk image copied out");
                t.Check(root.Unlink("/", "/tardisks/b.v00") == Errno.Ok && Read(root, "/etc/motd") == "base\n", "unmounted");
                t.Check(root.Rename("/", "/small/b.copy", "/tardisks/b2.v00") == Errno.Ok && Read(root, "/etc/motd") == "later\n", "mounted live by mv");
                t.Equal((long)Errno.EPERM, (long)root.WriteFile("/", "/etc/.#evil", default, false), ".# names refused");
                t.Check(root.WriteFile("/", "/etc/conf", Bytes("changed\n"), false) == Errno.Ok, "sticky file changed");
                t.Check(root.Resolve("/", "/etc/.#conf", true, out FsNode marker) == Errno.Ok, "marker made");
                t.Check(marker.Size == 0 && marker.Mode == 0x3A4, "marker is empty with the original mode plus T");
                t.Check(root.WriteFile("/", "/etc/motd", Bytes("x"), false) == Errno.Ok && !Exists(root, "/etc/.#motd"), "no marker for a non-sticky file");
                TearDown(t, root);
            }
        }
    }
}
