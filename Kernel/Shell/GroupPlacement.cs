// GroupPlacement.cs -- ESXi's argv placement convention, `++group=PATH,min=N,max=N,shares=N,cpumax=P,affinity=0,2`
// (sizes in MB; affinity: the CPUs the world may run on, a list of numbers and ranges such as 0,2 or 1-3),
// shared by `run` (test workloads) and user programs (`/bin/prog ++group=... ARGS`). The group is created if it does
// not exist and the settings applied; a path without `host/` lives under `host/user`, where running out of memory
// kills (kernel groups only refuse).
using Kernel.Resources;
using Kernel.Shell.Commands;
using Kernel.Worlds;

namespace Kernel.Shell
{
    internal struct GroupPlacement
    {
        public string Path;
        public GroupSettings Settings;
        /// <summary>The CPUs the world may run on (bit N = cpuN); all unless `affinity=` says otherwise.</summary>
        public ulong Affinity;

        public const string Prefix = "++";

        /// <summary>Parses `++group=PATH,key=value,...` (the `++` included); false with the bad item.</summary>
        public static bool TryParse(string argument, string defaultPath, out GroupPlacement placement, out string bad)
        {
            placement = new GroupPlacement { Path = defaultPath, Affinity = ulong.MaxValue };
            bad = null;
            string text = argument.Substring(Prefix.Length);
            int start = 0;
            bool inAffinity = false;   // bare numbers after `affinity=N` are more CPUs (the list's commas are the items')
            while (start < text.Length)
            {
                int comma = text.IndexOf(',', start);
                int end = comma < 0 ? text.Length : comma;
                string item = text.Substring(start, end - start);
                int eq = item.IndexOf('=');
                string key = eq <= 0 ? null : item.Substring(0, eq), value = eq <= 0 ? null : item.Substring(eq + 1);
                if (key == null && inAffinity)
                {
                    key = "affinity";
                    value = item;
                }
                else
                {
                    inAffinity = key == "affinity";
                    if (inAffinity)
                        placement.Affinity = 0;
                }
                bool ok = key == "group" ? value.Length > 0
                    : key == "affinity" ? AddCpus(value, ref placement.Affinity)
                    : key != null && placement.Settings.Set(key, value);
                if (!ok)
                {
                    bad = item;
                    return false;
                }
                if (key == "group")
                    placement.Path = value;
                start = end + 1;
            }
            return true;
        }

        // One CPU (`2`) or a range (`1-3`) into the mask; false for anything else or a CPU past the 64 the kernel knows.
        private static bool AddCpus(string text, ref ulong mask)
        {
            int dash = text.IndexOf('-');
            string first = dash < 0 ? text : text.Substring(0, dash), last = dash < 0 ? text : text.Substring(dash + 1);
            if (!int.TryParse(first, out int from) || !int.TryParse(last, out int to) || from < 0 || to < from || to >= 64)
                return false;
            for (int cpu = from; cpu <= to; cpu++)
                mask |= 1UL << cpu;
            return true;
        }

        /// <summary>The group (created when missing, with the settings applied), or the refusal.</summary>
        public GroupError Apply(out ResourceGroup group, out string fullPath)
        {
            ResourceGroupTree tree = Scheduler.Groups;
            fullPath = Path.StartsWith("host/") || Path == "host" ? Path : string.Concat("host/user/", Path);
            GroupsLock.LockTree();
            GroupError error = tree.AddPath(fullPath, out group);
            if (error == GroupError.None)
                error = Settings.ApplyTo(tree, group);
            GroupsLock.UnlockTree();
            return error;
        }
    }
}
