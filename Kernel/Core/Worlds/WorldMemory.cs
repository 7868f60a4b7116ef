// WorldMemory.cs -- pages a world takes for itself, charged to its resource group. Past the group's limit the
// allocation is refused and logged as ESXi does (`Admission failure in path: GROUP:NAME.WID`); in a user group
// the OOM policy then kills the group's largest world. The kernel itself never panics because a pool ran dry.
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Resources;

namespace Kernel.Worlds
{
    public static class WorldMemory
    {
        private const ulong CountMask = 0xFFF;

        /// <summary>Allocates zeroed pages for the current world; 0 when refused (or when this world was the OOM victim it does not return).</summary>
        public static ulong AllocatePages(ulong count)
        {
            World self = Scheduler.Current;
            if (count == 0 || count > CountMask)
                return 0;
            long bytes = (long)(count * PhysicalMemory.PageSize);
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ResourceGroup refused = Scheduler.Groups.TryCharge(self.Group, bytes);
            Cpu.RestoreInterrupts(flags);
            if (refused != null)
            {
                Log.Warning("MemSched", string.Concat("Admission failure in path: ", self.Group.Path, ":", self.Name, string.Concat(".", self.Id.ToString())));
                if (OomPolicy.KillsOnExhaustion(self.Group))
                    KillLargest(self.Group);
                return 0;
            }
            ulong address = PhysicalMemory.AllocatePages(count);
            if (address == 0)
            {
                Scheduler.Groups.Uncharge(self.Group, bytes);
                Log.Warning("MemSched", string.Concat("Out of physical memory for ", self.Name, string.Concat(".", self.Id.ToString())));
                return 0;
            }
            flags = Cpu.SaveAndDisableInterrupts();
            self.PageRuns.Add(address | count);
            self.MemBytes += bytes;
            if (self.MemBytes > self.MemPeak)
                self.MemPeak = self.MemBytes;
            Cpu.RestoreInterrupts(flags);
            return address;
        }

        /// <summary>Gives back a run this world allocated.</summary>
        public static bool FreePages(ulong address)
        {
            World self = Scheduler.Current;
            ulong flags = Cpu.SaveAndDisableInterrupts();
            for (int i = 0; i < self.PageRuns.Count; i++)
            {
                ulong run = self.PageRuns[i];
                if ((run & ~CountMask) != address)
                    continue;
                self.PageRuns.RemoveAt(i);
                Release(self, run);
                Cpu.RestoreInterrupts(flags);
                return true;
            }
            Cpu.RestoreInterrupts(flags);
            return false;
        }

        internal static void ReleaseAll(World world)
        {
            while (world.PageRuns.Count > 0)
            {
                ulong run = world.PageRuns[world.PageRuns.Count - 1];
                world.PageRuns.RemoveAt(world.PageRuns.Count - 1);
                Release(world, run);
            }
        }

        private static void Release(World world, ulong run)
        {
            ulong count = run & CountMask;
            long bytes = (long)(count * PhysicalMemory.PageSize);
            PhysicalMemory.FreePages(run & ~CountMask, count);
            Scheduler.Groups.Uncharge(world.Group, bytes);
            world.MemBytes -= bytes;
        }

        private static void KillLargest(ResourceGroup group)
        {
            int count = 0;
            for (int i = 0; i < Scheduler.WorldCount; i++)
                if (group.IsAncestorOf(Scheduler.WorldAt(i).Group) && !Scheduler.WorldAt(i).IsIdle)
                    count++;
            if (count == 0)
                return;
            var ids = new int[count];
            var bytes = new long[count];
            var worlds = new World[count];
            int n = 0;
            for (int i = 0; i < Scheduler.WorldCount && n < count; i++)
            {
                World w = Scheduler.WorldAt(i);
                if (!group.IsAncestorOf(w.Group) || w.IsIdle)
                    continue;
                ids[n] = w.Id;
                bytes[n] = w.MemBytes;
                worlds[n++] = w;
            }
            int victim = OomPolicy.ChooseVictim(ids, bytes, n);
            if (victim < 0)
                return;
            World target = worlds[victim];
            Log.Warning("MemSched", string.Concat("Out of memory in ", group.Path, string.Concat(": killing world ", target.Id.ToString(), " (", target.Name),
                string.Concat(", ", (target.MemBytes / 1024).ToString(), " KB)")));
            Scheduler.Kill(target);
        }
    }
}
