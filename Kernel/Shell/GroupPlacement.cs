// GroupPlacement.cs -- ESXi's argv placement convention, `++group=PATH,min=N,max=N,shares=N,cpumax=P` (sizes in MB),
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

        public const string Prefix = "++";

        /// <summary>Parses `++group=PATH,key=value,...` (the `++` included); false with the bad item.</summary>
        public static bool TryParse(string argument, string defaultPath, out GroupPlacement placement, out string bad)
        {
            placement = new GroupPlacement { Path = defaultPath };
            bad = null;
            string text = argument.Substring(Prefix.Length);
            int start = 0;
            while (start < text.Length)
            {
                int comma = text.IndexOf(',', start);
                int end = comma < 0 ? text.Length : comma;
                string item = text.Substring(start, end - start);
                int eq = item.IndexOf('=');
                string key = eq <= 0 ? null : item.Substring(0, eq), value = eq <= 0 ? null : item.Substring(eq + 1);
                bool ok = key == "group" ? value.Length > 0 : key != null && placement.Settings.Set(key, value);
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
