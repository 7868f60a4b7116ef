// PathBench.cs -- `bench path`: what VisorFS path resolution and directory listing cost as paths get deeper and
// directories larger, in TSC cycles (guest instructions under -icount shift=0). Linear resolution shows as a flat
// cost per component from 100 to 1,000 levels; indexed directories as a flat lookup from 10 to 5,000 entries and a
// flat cost per listed entry. See docs/VisorFs.md ("Path resolution and listings").
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal static class PathBench
    {
        private const string Scratch = "/tmp/.bench-path";
        private const int Resolves = 200;
        private const int Listings = 5;

        public static int Run(Shell shell, ulong hz)
        {
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root == null)
            {
                shell.WriteLine("bench path: no root file system");
                return 1;
            }
            FsLock.Enter();
            try
            {
                if (root.Resolve("/", Scratch, false, out _) == Errno.Ok || root.Mkdir("/", Scratch, 0x1ED) != Errno.Ok)
                {
                    shell.WriteLine(string.Concat("bench path: cannot make ", Scratch));
                    return 1;
                }
                string deep100 = MakeChain(root, 100);
                string deep1000 = MakeChain(root, 1000);
                string narrow = MakeWide(root, "narrow", 10);
                string wide = MakeWide(root, "wide", 5000);
                if (deep1000 == null || wide == null || narrow == null || deep100 == null)
                {
                    shell.WriteLine("bench path: could not build the trees in /tmp (full?)");
                    root.RemoveTree("/", Scratch);
                    return 1;
                }
                shell.WriteLine("  operation                          iterations    cycles/op     instr/op");
                ulong cycles100 = TimeResolve(root, deep100);
                ulong cycles1000 = TimeResolve(root, deep1000);
                BenchCommand.Report(shell, "resolve, 100 levels", Resolves, cycles100, hz);
                BenchCommand.Report(shell, "  per level", Resolves * 100, cycles100, hz);
                BenchCommand.Report(shell, "resolve, 1,000 levels", Resolves, cycles1000, hz);
                BenchCommand.Report(shell, "  per level", Resolves * 1000, cycles1000, hz);
                BenchCommand.Report(shell, "resolve in a 10-entry dir", Resolves, TimeResolve(root, string.Concat(narrow, "/f9")), hz);
                BenchCommand.Report(shell, "resolve in a 5,000-entry dir", Resolves, TimeResolve(root, string.Concat(wide, "/f4999")), hz);
                BenchCommand.Report(shell, "list+sort, per entry of 10", Listings * 10, TimeListing(root, narrow), hz);
                BenchCommand.Report(shell, "list+sort, per entry of 5,000", Listings * 5000, TimeListing(root, wide), hz);
                root.RemoveTree("/", Scratch);
                return 0;
            }
            finally
            {
                FsLock.Exit();
            }
        }

        // Scratch/cN/d/d/.../d, `levels` directories below the scratch directory in all.
        private static string MakeChain(VisorFsRoot root, int levels)
        {
            string path = string.Concat(Scratch, "/c", levels.ToString());
            if (root.Mkdir("/", path, 0x1ED) != Errno.Ok)
                return null;
            for (int i = 1; i < levels; i++)
            {
                path = string.Concat(path, "/d");
                if (root.Mkdir("/", path, 0x1ED) != Errno.Ok)
                    return null;
            }
            return path;
        }

        private static string MakeWide(VisorFsRoot root, string name, int entries)
        {
            string dir = string.Concat(Scratch, "/", name);
            if (root.Mkdir("/", dir, 0x1ED) != Errno.Ok)
                return null;
            for (int i = 0; i < entries; i++)
                if (root.CreateFile(string.Concat(dir, "/f", i.ToString()), 0x1A4, out _) != Errno.Ok)
                    return null;
            return dir;
        }

        private static ulong TimeResolve(VisorFsRoot root, string path)
        {
            root.Resolve("/", path, true, out _);   // warm: first-use allocations out of the timing
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < Resolves; i++)
                root.Resolve("/", path, true, out _);
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        private static ulong TimeListing(VisorFsRoot root, string path)
        {
            root.Resolve("/", path, true, out FsNode dir);
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < Listings; i++)
            {
                var entries = new List<DirEntry>();
                root.ReadDirectory(dir, entries);
                DirEntryOrder.ByName(entries);
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }
    }
}
