// RamdiskCommand.cs -- ESXi's `ramdisk add -M MAX -m MIN -n NAME -t DIR -p MODE`, `ramdisk remove NAME` and
// `ramdisk list`: ramdisks are memory pools (MB), each its own resource group under host/visorfs.
using Kernel.VisorFs;

namespace Kernel.Shell.Commands
{
    internal sealed class RamdiskCommand : FsCommand
    {
        private const long Megabyte = 1L << 20;
        private const int DefaultInodes = 8192;

        public override string Name => "ramdisk";
        public override string Summary => "ramdisk add -M MAX -m MIN -n NAME -t DIR -p MODE [-i INODES] | remove NAME | list";

        protected override int RunFs(Shell shell, string[] args)
        {
            if (args.Length >= 2 && args[1] == "list")
                return List(shell);
            if (args.Length == 3 && args[1] == "remove")
            {
                Errno removed = Root.RemoveRamdisk(args[2]);
                return removed == Errno.Ok ? 0 : Fail(shell, args[2], removed);
            }
            if (args.Length < 2 || args[1] != "add")
                return Usage(shell);
            long max = -1, min = 0;
            int mode = 0x1ED, inodes = DefaultInodes;
            string name = null, dir = null;
            for (int i = 2; i < args.Length; i += 2)
            {
                if (i + 1 >= args.Length)
                    return Usage(shell);
                string value = args[i + 1];
                bool ok = true;
                switch (args[i])
                {
                    case "-M": ok = long.TryParse(value, out max) && max > 0; break;
                    case "-m": ok = long.TryParse(value, out min) && min >= 0; break;
                    case "-n": name = value; break;
                    case "-t": dir = value; break;
                    case "-p": ok = FileMode.TryParseOctal(value, out mode); break;
                    case "-i": ok = int.TryParse(value, out inodes) && inodes > 0; break;
                    default: ok = false; break;
                }
                if (!ok)
                {
                    shell.WriteError(string.Concat("ramdisk: invalid value for ", args[i], ": ", value));
                    return 1;
                }
            }
            if (name == null || dir == null || max <= 0 || min > max)
                return Usage(shell);
            // A pool may not promise more than the host can give it: a limit past what the kernel's and the other
            // groups' reservations leave would only be found out when filling the ramdisk ran the host dry.
            long hostMb = Root.Tree.MaxAttainable(Root.Group) / Megabyte;
            if (max > hostMb)
            {
                shell.WriteError(string.Concat("ramdisk: limit ", max.ToString(), " MB is more than the host's memory (", hostMb.ToString(), " MB can go to ramdisks)"));
                return 1;
            }
            Errno e = Root.AddRamdisk(name, FsPath.Absolute(shell.WorkingDirectory, dir), min * Megabyte, max * Megabyte, mode, inodes);
            if (e == Errno.ENOSPC && min > 0)
            {
                // Admission control refused the reservation: it must fit beside every other reservation, the
                // kernel's included, at every level up to the host.
                shell.WriteError(string.Concat("ramdisk: reservation ", min.ToString(), " MB does not fit the host's unreserved memory"));
                return 1;
            }
            return e == Errno.Ok ? 0 : Fail(shell, name, e);
        }

        private int List(Shell shell)
        {
            shell.WriteLine(string.Concat("Ramdisk".PadRight(12), "Mounted on".PadRight(20), "Min MB".PadLeft(8), "Max MB".PadLeft(8),
                string.Concat("Mode".PadLeft(7), "Used KB".PadLeft(10), string.Concat("Inodes".PadLeft(8), "Max".PadLeft(8), "  Group"))));
            for (int i = 0; i < Root.RamdiskCount; i++)
            {
                Ramdisk r = Root.RamdiskAt(i);
                shell.WriteLine(string.Concat(string.Concat(r.Name.PadRight(12), r.MountPath.PadRight(20), (r.MinBytes / Megabyte).ToString().PadLeft(8)),
                    string.Concat((r.MaxBytes / Megabyte).ToString().PadLeft(8), FileMode.Octal(r.Mode).PadLeft(7), (r.UsedBytes / 1024).ToString().PadLeft(10)),
                    string.Concat(r.InodeCount.ToString().PadLeft(8), r.MaxInodes.ToString().PadLeft(8), string.Concat("  ", r.Group.Path))));
            }
            return 0;
        }
    }
}
