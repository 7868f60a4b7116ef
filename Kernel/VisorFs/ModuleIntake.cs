// ModuleIntake.cs -- boot modules into the overlaid root: the root ramdisk, every module in boot.cfg order as a
// tardisk (the first is the base image: if it cannot be loaded the host cannot run, so that is a panic; any other
// corrupt module is logged and skipped), then the etc/var/tmp ramdisks, then `state.tgz` restored over `/`.
// A module's name is the base name of the first word of its command line (the loader passes the file name).
using Kernel.Boot;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Panic;
using Kernel.Resources;


namespace Kernel.VisorFs
{
    public static class ModuleIntake
    {
        public const string StateModule = "state.tgz";

        /// <summary>Builds the root from the boot modules; tardisks may take at most half of RAM together.</summary>
        public static VisorFsRoot Run(ResourceGroupTree tree, long ramBytes)
        {
            FsLock.Enter();
            VisorFsRoot root = Build(tree, ramBytes);
            FsLock.Exit();
            return root;
        }

        private static VisorFsRoot Build(ResourceGroupTree tree, long ramBytes)
        {
            VisorFsRoot root = VisorFsRoot.Create(tree, tree.Root, "visorfs", ramBytes / 2 & ~((1L << 20) - 1));
            if (root == null)
            {
                PanicScreen.Show("VisorFs: cannot create the host/visorfs resource groups");
                return null;
            }
            RamdiskDefaults.Add(root, ramBytes, rootOnly: true);
            string baseProblem = CheckBaseImage();
            if (baseProblem != null)
            {
                PanicScreen.Show(string.Concat("VisorFs: ", baseProblem));
                return null;
            }
            int state = -1;
            for (int i = 0; i < BootInfo.ModuleCount; i++)
            {
                BootModule module = BootInfo.Module(i);
                string name = ModuleName(module.CommandLine, i);
                if (name == StateModule)
                {
                    state = i;
                    continue;
                }
                long length = module.End > module.Start ? (long)(module.End - module.Start) : 0;
                Tardisk disk = TardiskLoader.Load(root, name, DirectMap.ToVirtual(module.Start), length, true, out string why);
                if (disk == null || (i == 0 && disk.Index.Count <= 1))
                {
                    if (i == 0)
                    {
                        PanicScreen.Show(string.Concat("VisorFs: cannot load the base image ", name, ": ",
                            disk == null ? why : "it holds no files (an empty archive or nothing but rejected members)"));
                        return null;
                    }
                    Log.Warning("VisorFs", string.Concat("Skipping module ", name, ": ", why));
                    continue;
                }
                if (root.AddTardisk(disk) != Errno.Ok)
                {
                    Log.Warning("VisorFs", string.Concat("Skipping module ", name, ": a tardisk of that name is already mounted"));
                    disk.Release();
                }
                else if (disk.Memory != null)
                {
                    PhysicalMemory.ReleaseBootModule(i);   // inflated or copied: the boot copy is read no more
                }
            }
            RamdiskDefaults.Add(root, ramBytes, rootOnly: false);
            if (state >= 0)
            {
                BootModule module = BootInfo.Module(state);
                StickyState.RestoreModule(root, DirectMap.ToVirtual(module.Start), module.End > module.Start ? (long)(module.End - module.Start) : 0);
                PhysicalMemory.ReleaseBootModule(state);
            }
            if (PhysicalMemory.ReleasedBootBytes > 0)
                Log.Info("VisorFs", string.Concat("Released ", (PhysicalMemory.ReleasedBootBytes / 1024).ToString(), " KB of boot module memory"));
            Log.Info("VisorFs", string.Concat("VisorFS ready: ", root.TardiskCount.ToString(), " tardisks, ",
                string.Concat(root.RamdiskCount.ToString(), " ramdisks")));
            return root;
        }

        // The base image is the host's root file system: without a valid one the host would come up empty and
        // look healthy. It must exist, be non-empty and be gzip'd (ESXi's s.v00 is a gzip'd visor-tar; a plain tar
        // as the first module is a mistake in boot.cfg, not a choice). Null when it is acceptable.
        private static unsafe string CheckBaseImage()
        {
            if (BootInfo.ModuleCount == 0)
                return "no base image: the boot loader passed no modules (boot.cfg's modules= must start with s.v00)";
            BootModule module = BootInfo.Module(0);
            string name = ModuleName(module.CommandLine, 0);
            if (name == StateModule)
                return "no base image: the first module is state.tgz";
            long length = module.End > module.Start ? (long)(module.End - module.Start) : 0;
            if (length == 0)
                return string.Concat("cannot load the base image ", name, ": it is empty");
            if (!global::VisorFs.Gzip.IsGzip(new System.ReadOnlySpan<byte>(DirectMap.Pointer(module.Start), length > 16 ? 16 : (int)length)))
                return string.Concat("cannot load the base image ", name, ": not a gzip file (", length.ToString(), " bytes)");
            return null;
        }

        /// <summary>`/path/to/s.v00 opts` gives `s.v00`; an empty command line gives `module0`.</summary>
        public static string ModuleName(ulong commandLine, int index)
        {
            string text = commandLine != 0 ? BootInfo.CString(commandLine) : "";
            int end = 0;
            while (end < text.Length && text[end] != ' ' && text[end] != '\t')
                end++;
            int start = end;
            while (start > 0 && text[start - 1] != '/')
                start--;
            if (end == start)
                return string.Concat("module", index.ToString());
            return text.Substring(start, end - start);
        }
    }
}
