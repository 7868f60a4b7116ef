// RunCommand.cs -- `run ++group=PATH,min=N,max=N,shares=N,cpumax=P WORKLOAD [ARGS]`: starts a test workload in
// its own world, placed with ESXi's argv convention (sizes in MB). The group is created if it does not exist; a
// path without `host/` lives under `host/user`, where running out of memory kills (kernel groups only refuse).
using Kernel.Arch;
using Kernel.Resources;
using Kernel.Workloads;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed unsafe class RunCommand : ShellCommand
    {
        public override string Name => "run";
        public override string Summary => "run [++group=PATH,min=MB,max=MB,shares=N,cpumax=PCT] spin|memhog MB|newhog MB|sleeper";

        public override int Run(Shell shell, string[] args)
        {
            int next = 1;
            string path = "host/user/run";
            var settings = default(GroupSettings);
            if (args.Length > 1 && args[1].StartsWith("++"))
            {
                if (!ParsePlacement(args[1].Substring(2), ref path, ref settings, out string bad))
                {
                    shell.WriteLine(string.Concat("run: invalid placement '", bad, "'"));
                    return 1;
                }
                next = 2;
            }
            if (next >= args.Length || !Workloads.Workloads.TryGet(args[next], out delegate*<object, void> entry))
            {
                shell.WriteLine(string.Concat("usage: run [++group=PATH,min=MB,max=MB,shares=N,cpumax=PCT] WORKLOAD; workloads: ", Workloads.Workloads.Names));
                return 1;
            }
            string workload = args[next];
            var arguments = new WorkloadArguments();
            if (workload == "memhog" || workload == "newhog")
            {
                if (next + 1 >= args.Length || !int.TryParse(args[next + 1], out arguments.Megabytes) || arguments.Megabytes <= 0)
                {
                    shell.WriteLine(string.Concat("usage: run [++...] ", workload, " MB"));
                    return 1;
                }
            }

            ResourceGroupTree tree = Scheduler.Groups;
            string fullPath = path.StartsWith("host/") || path == "host" ? path : string.Concat("host/user/", path);
            GroupsLock.LockTree();
            GroupError error = tree.AddPath(fullPath, out ResourceGroup group);
            if (error == GroupError.None)
                error = settings.ApplyTo(tree, group);
            GroupsLock.UnlockTree();
            if (error != GroupError.None)
            {
                shell.WriteLine(string.Concat("run: ", fullPath, ": ", ResourceGroupTree.Describe(error)));
                return 1;
            }
            WorldType type = OomPolicy.KillsOnExhaustion(group) ? WorldType.User : WorldType.System | WorldType.Helper;
            World world = Scheduler.Create(workload, type, group, entry, arguments, out string reason);
            if (world == null)
            {
                shell.WriteLine(string.Concat("run: ", reason));
                return 1;
            }
            int id = world.Id;
            // A workload's whole life is a request that may fail alone: its `new` fails at its group's limit
            // (OutOfMemoryException) rather than spilling into the kernel heap (AllocationFailurePolicy).
            world.BeginFailableRequest();
            Scheduler.Start(world);
            shell.WriteLine(string.Concat("started world ", id.ToString(), " (", workload, string.Concat(") in ", group.Path)));
            return 0;
        }

        // `group=PATH,min=N,max=N,...` (ESXi: `++group=host/vim/vmvisor/boot,min=0`).
        private static bool ParsePlacement(string text, ref string path, ref GroupSettings settings, out string bad)
        {
            bad = null;
            int start = 0;
            while (start < text.Length)
            {
                int comma = text.IndexOf(',', start);
                int end = comma < 0 ? text.Length : comma;
                string item = text.Substring(start, end - start);
                int eq = item.IndexOf('=');
                if (eq <= 0)
                {
                    bad = item;
                    return false;
                }
                string key = item.Substring(0, eq), value = item.Substring(eq + 1);
                if (key == "group")
                {
                    if (value.Length == 0)
                    {
                        bad = item;
                        return false;
                    }
                    path = value;
                }
                else if (!settings.Set(key, value))
                {
                    bad = item;
                    return false;
                }
                start = end + 1;
            }
            return true;
        }
    }
}
