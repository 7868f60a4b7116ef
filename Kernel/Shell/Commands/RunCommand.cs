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
        public override string Summary => "run [++group=PATH,min=MB,max=MB,shares=N,cpumax=PCT,affinity=CPUS] spin|memhog MB|newhog MB|sleeper";

        public override int Run(Shell shell, string[] args)
        {
            int next = 1;
            var placement = new GroupPlacement { Path = "host/user/run", Affinity = ulong.MaxValue };
            if (args.Length > 1 && args[1].StartsWith(GroupPlacement.Prefix))
            {
                if (!GroupPlacement.TryParse(args[1], placement.Path, out placement, out string bad))
                {
                    shell.WriteLine(string.Concat("run: invalid placement '", bad, "'"));
                    return 1;
                }
                next = 2;
            }
            if (next >= args.Length || !Workloads.Workloads.TryGet(args[next], out delegate*<object, void> entry))
            {
                shell.WriteLine(string.Concat("usage: run [++group=PATH,min=MB,max=MB,shares=N,cpumax=PCT,affinity=CPUS] WORKLOAD; workloads: ", Workloads.Workloads.Names));
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

            GroupError error = placement.Apply(out ResourceGroup group, out string fullPath);
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
            world.Affinity = placement.Affinity;
            Scheduler.Start(world);
            shell.WriteLine(string.Concat("started world ", id.ToString(), " (", workload, string.Concat(") in ", group.Path)));
            return 0;
        }
    }
}
