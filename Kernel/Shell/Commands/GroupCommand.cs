// GroupCommand.cs -- `group add|set|rm PATH [options]`: manage resource groups under admission control.
//   --min MB / --max MB / --minlimit MB   memory reservation, limit (-1 unlimited), cap on children's reservations
//   --shares N                            memory shares
//   --cpu-min PCT / --cpu-max PCT         CPU reservation and limit in percent of one CPU (-1 unlimited)
//   --cpu-shares N                        CPU shares (split contention between sibling groups)
using Kernel.Arch;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class GroupCommand : ShellCommand
    {
        public override string Name => "group";
        public override string Summary => "group add|set|rm PATH [--min MB] [--max MB] [--shares N] [--cpu-max PCT] [--cpu-shares N]";

        public override int Run(Shell shell, string[] args)
        {
            if (args.Length < 3 || (args[1] != "add" && args[1] != "set" && args[1] != "rm"))
            {
                shell.WriteLine("usage: group add|set|rm PATH [--min MB] [--max MB] [--minlimit MB] [--shares N] [--cpu-min PCT] [--cpu-max PCT] [--cpu-shares N]");
                return 1;
            }
            ResourceGroupTree tree = Scheduler.Groups;
            string path = args[2];
            ResourceGroup group = tree.Find(path);
            if (args[1] == "rm")
            {
                if (group == null)
                    return Fail(shell, path, GroupError.NotFound);
                GroupError removed = tree.Remove(group);
                return removed == GroupError.None ? 0 : Fail(shell, path, removed);
            }
            if (!GroupSettings.TryParse(args, 3, out GroupSettings settings, out string bad))
            {
                shell.WriteLine(string.Concat("group: invalid option or value '", bad, "'"));
                return 1;
            }
            GroupsLock.LockTree();
            GroupError error;
            if (args[1] == "add")
            {
                if (group != null)
                    error = GroupError.Exists;
                else
                {
                    int slash = path.LastIndexOf('/');
                    ResourceGroup parent = slash < 0 ? tree.Find("user") : tree.Find(path.Substring(0, slash));
                    string name = slash < 0 ? path : path.Substring(slash + 1);
                    error = parent == null ? GroupError.NotFound
                        : tree.Add(parent, name, settings.MinOr(0), settings.MaxOr(ResourceGroup.Unlimited), out group);
                }
            }
            else
            {
                error = group == null ? GroupError.NotFound : GroupError.None;
            }
            if (error == GroupError.None)
                error = settings.ApplyTo(tree, group);
            GroupsLock.UnlockTree();
            if (error != GroupError.None)
                return Fail(shell, path, error);
            shell.WriteLine(string.Concat(args[1] == "add" ? "added " : "updated ", group.Path));
            return 0;
        }

        private static int Fail(Shell shell, string path, GroupError error)
        {
            shell.WriteLine(string.Concat("group: ", path, ": ", ResourceGroupTree.Describe(error)));
            return 1;
        }
    }

    /// <summary>Group options as parsed from `--name value` pairs or `name=value` items (for `run ++...`).</summary>
    internal struct GroupSettings
    {
        private const long Megabyte = 1L << 20;
        public long Min, Max, MinLimit;
        public int Shares, CpuMin, CpuMax, CpuShares;
        public bool HasMin, HasMax, HasMinLimit, HasCpuMin, HasCpuMax;

        public long MinOr(long fallback) => HasMin ? Min : fallback;
        public long MaxOr(long fallback) => HasMax ? Max : fallback;

        public static bool TryParse(string[] args, int start, out GroupSettings settings, out string bad)
        {
            settings = default;
            bad = null;
            for (int i = start; i < args.Length; i += 2)
            {
                if (i + 1 >= args.Length || !args[i].StartsWith("--"))
                {
                    bad = args[i];
                    return false;
                }
                if (!settings.Set(args[i].Substring(2), args[i + 1]))
                {
                    bad = string.Concat(args[i], " ", args[i + 1]);
                    return false;
                }
            }
            return true;
        }

        public bool Set(string key, string value)
        {
            if (!long.TryParse(value, out long number) || number < -1)
                return false;
            switch (key)
            {
                case "min":
                    Min = number * Megabyte;
                    HasMin = number >= 0;
                    return number >= 0;
                case "max":
                    Max = number < 0 ? ResourceGroup.Unlimited : number * Megabyte;
                    HasMax = true;
                    return true;
                case "minlimit":
                    MinLimit = number < 0 ? ResourceGroup.Unlimited : number * Megabyte;
                    HasMinLimit = true;
                    return true;
                case "shares":
                    Shares = (int)number;
                    return number > 0 && number <= 1000000;
                case "cpu-min":
                case "cpumin":
                    CpuMin = (int)number;
                    HasCpuMin = true;
                    return number >= 0 && number <= ResourceGroupTree.CpuCapacityPercent;
                case "cpu-max":
                case "cpumax":
                    CpuMax = (int)number;
                    HasCpuMax = true;
                    // Percent of one CPU, as ESXi counts: 150 is one and a half CPUs, up to every online CPU.
                    return number == -1 || (number >= 1 && number <= ResourceGroupTree.CpuCapacityPercent);
                case "cpu-shares":
                case "cpushares":
                    CpuShares = (int)number;
                    return number > 0 && number <= 1000000;
                default:
                    return false;
            }
        }

        public GroupError ApplyTo(ResourceGroupTree tree, ResourceGroup group)
        {
            if (HasMin || HasMax || HasMinLimit)
            {
                GroupError error = tree.SetMemory(group, HasMin ? Min : group.MemMin, HasMax ? Max : group.MemMax, HasMinLimit ? MinLimit : group.MemMinLimit);
                if (error != GroupError.None)
                    return error;
            }
            if (HasCpuMin || HasCpuMax)
            {
                GroupError error = ResourceGroupTree.SetCpu(group, HasCpuMin ? CpuMin : group.CpuMin, HasCpuMax ? CpuMax : group.CpuMax);
                if (error != GroupError.None)
                    return error;
            }
            ResourceGroupTree.SetShares(group, Shares, CpuShares);
            return GroupError.None;
        }
    }
}
