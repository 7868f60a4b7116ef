// ProcFs.cs -- the read-only /proc userworlds see: what each path is (ProcNode), its stat, and opening it. The
// files' text is generated here at open time (ProcSystemText, ProcProcessText) into a ProcTextFile; directories list
// the names of that instant. /proc shadows whatever VisorFS may hold at /proc. Programs reach it through the normal
// openat, stat, access, readlink and getdents64 paths (FileOpener and Syscalls.* ask here first).
using System.Collections.Generic;
using Kernel.Worlds;

namespace Kernel.User.Proc
{
    public enum ProcKind { Missing, Directory, File, Link }

    /// <summary>One /proc path: its kind, the process it belongs to (0 for system files), its file name, and for a
    /// link the target.</summary>
    public struct ProcNode
    {
        public ProcKind Kind;
        public string Path;
        public int Pid;
        public string Name;
        public string Target;
    }

    public static class ProcFs
    {
        public static readonly string[] SystemFiles = { "cpuinfo", "loadavg", "meminfo", "mounts", "stat", "uptime" };
        public static readonly string[] ProcessFiles = { "cmdline", "maps", "stat", "status" };

        /// <summary>False when <paramref name="absolute"/> is not under /proc. With <paramref name="follow"/> the
        /// final `self` link is followed (inside /proc); `exe` stays a Link whose target is a VisorFS path.</summary>
        public static bool Lookup(string absolute, bool follow, out ProcNode node)
        {
            node = default;
            string[] parts = ProcPath.Parts(absolute);
            if (parts == null)
                return false;
            if (absolute[absolute.Length - 1] == '/')
                follow = true;   // `self/` means the directory, as on Linux
            int self = Scheduler.Current.CartelId;
            // `self` in the middle of a path is always followed; at the end only with follow.
            for (int i = 0; i < parts.Length; i++)
                if (parts[i] == "self" && (i + 1 < parts.Length || follow))
                    parts[i] = Number(self);
            node.Path = parts.Length == 0 ? ProcPath.Root : string.Concat(ProcPath.Root, "/", string.Join("/", parts));
            if (parts.Length == 0)
            {
                node.Kind = ProcKind.Directory;
                return true;
            }
            if (parts.Length == 1 && parts[0] == "self")
            {
                node.Kind = ProcKind.Link;
                node.Target = Number(self);
                return true;
            }
            if (parts.Length == 1 && IndexOf(SystemFiles, parts[0]) >= 0)
            {
                node.Kind = ProcKind.File;
                node.Name = parts[0];
                return true;
            }
            int pid = ProcPath.Pid(parts[0]);
            UserProgram program = pid > 0 ? FindProcess(pid, out _) : null;
            if (program == null || parts.Length > 2)
                return true;   // Missing
            node.Pid = pid;
            if (parts.Length == 1)
            {
                node.Kind = ProcKind.Directory;
                return true;
            }
            if (parts[1] == "exe")
            {
                node.Kind = ProcKind.Link;
                node.Name = "exe";
                node.Target = program.ExecutablePath;
                return true;
            }
            if (IndexOf(ProcessFiles, parts[1]) >= 0)
            {
                node.Kind = ProcKind.File;
                node.Name = parts[1];
            }
            return true;
        }

        /// <summary>Opens a looked-up node (not a Link: the caller follows those); null with -errno.</summary>
        public static UserFile Open(in ProcNode node, int flags, out long error)
        {
            error = 0;
            int access = flags & UserFile.AccessMask;
            switch (node.Kind)
            {
                case ProcKind.Directory:
                    if (access != UserFile.ReadOnly)
                    {
                        error = -LinuxError.EISDIR;
                        return null;
                    }
                    return node.Pid == 0 ? RootDirectory() : ProcessDirectory(node.Path);
                case ProcKind.File:
                    if ((flags & FileOpener.Directory) != 0)
                    {
                        error = -LinuxError.ENOTDIR;
                        return null;
                    }
                    if (access != UserFile.ReadOnly)
                    {
                        error = -LinuxError.EACCES;
                        return null;
                    }
                    string text = node.Pid == 0 ? ProcSystemText.Generate(node.Name) : ProcProcessText.Generate(node.Pid, node.Name);
                    if (text == null)
                    {
                        error = -LinuxError.ENOENT;   // the process ended between the lookup and now
                        return null;
                    }
                    return new ProcTextFile(node.Path, text);
                case ProcKind.Link:
                    error = -LinuxError.ELOOP;
                    return null;
                default:
                    error = -LinuxError.ENOENT;
                    return null;
            }
        }

        /// <summary>stat of a looked-up node (a Link is lstat's answer: the caller follows `exe` itself).</summary>
        public static long Status(in ProcNode node, out FileStatus status)
        {
            status = default;
            switch (node.Kind)
            {
                case ProcKind.Directory:
                    status = DirectoryStatusOf(node.Path);
                    return 0;
                case ProcKind.File:
                    status = FileStatusOf(node.Path);
                    return 0;
                case ProcKind.Link:
                    status = new FileStatus { Mode = FileStatus.TypeLink | 0x1FF, Inode = FileStatus.InodeOf(node.Path), Device = ProcDevice, Links = 1, Size = node.Target.Length, ModificationTime = BootTime() };
                    return 0;
                default:
                    return -LinuxError.ENOENT;
            }
        }

        private const ulong ProcDevice = 4;   // st_dev of /proc: a layer of its own (see FileStatus.Device)

        public static FileStatus FileStatusOf(string path) =>
            new FileStatus { Mode = FileStatus.TypeFile | 0x124, Inode = FileStatus.InodeOf(path), Device = ProcDevice, Links = 1, ModificationTime = BootTime() };   // r--r--r--

        public static FileStatus DirectoryStatusOf(string path) =>
            new FileStatus { Mode = FileStatus.TypeDir | 0x16D, Inode = FileStatus.InodeOf(path), Device = ProcDevice, Links = 2, ModificationTime = BootTime() };   // r-xr-xr-x

        private static long BootTime() => Time.Clock.HasWallClock ? Time.Clock.WallMilliseconds / 1000 - (long)(Time.Clock.UptimeMilliseconds / 1000) : 0;

        /// <summary>The live userworld process <paramref name="pid"/> (its world too), or null.</summary>
        public static UserProgram FindProcess(int pid, out World world)
        {
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
                if (worlds[i].IsUser && worlds[i].CartelId == pid && worlds[i].State != WorldState.Dead && worlds[i].UserState is UserProgram program)
                {
                    world = worlds[i];
                    return program;
                }
            world = null;
            return null;
        }

        /// <summary>The pids of the live userworld processes, ascending (as Linux lists them).</summary>
        public static List<int> Pids()
        {
            var pids = new List<int>();
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
                if (worlds[i].IsUser && worlds[i].State != WorldState.Dead && worlds[i].UserState is UserProgram && pids.IndexOf(worlds[i].CartelId) < 0)
                    pids.Add(worlds[i].CartelId);
            for (int i = 1; i < pids.Count; i++)   // insertion sort: a handful of pids
                for (int j = i; j > 0 && pids[j - 1] > pids[j]; j--)
                {
                    int t = pids[j];
                    pids[j] = pids[j - 1];
                    pids[j - 1] = t;
                }
            return pids;
        }

        private static ProcDirectoryFile RootDirectory()
        {
            List<int> pids = Pids();
            int count = SystemFiles.Length + 1 + pids.Count;
            var names = new string[count];
            var types = new byte[count];
            int n = 0;
            for (int i = 0; i < SystemFiles.Length; i++, n++)
            {
                names[n] = SystemFiles[i];
                types[n] = 8;
            }
            names[n] = "self";
            types[n++] = 10;
            for (int i = 0; i < pids.Count; i++, n++)
            {
                names[n] = Number(pids[i]);
                types[n] = 4;
            }
            return new ProcDirectoryFile(ProcPath.Root, names, types);
        }

        private static ProcDirectoryFile ProcessDirectory(string path)
        {
            var names = new string[ProcessFiles.Length + 1];
            var types = new byte[names.Length];
            for (int i = 0; i < ProcessFiles.Length; i++)
            {
                names[i] = ProcessFiles[i];
                types[i] = 8;
            }
            names[ProcessFiles.Length] = "exe";
            types[ProcessFiles.Length] = 10;
            return new ProcDirectoryFile(path, names, types);
        }

        private static int IndexOf(string[] names, string name)
        {
            for (int i = 0; i < names.Length; i++)
                if (names[i] == name)
                    return i;
            return -1;
        }

        private static string Number(int value) => new System.Text.StringBuilder(12).Append(value).ToString();
    }
}
