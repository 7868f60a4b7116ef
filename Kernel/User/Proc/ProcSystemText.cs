// ProcSystemText.cs -- the text of the system-wide /proc files, from the kernel's own counters: meminfo from the
// page allocator, uptime and the idle time from the clock and the idle worlds, loadavg, mounts from VisorFS's
// ramdisks, tardisks and volumes, cpuinfo from CPUID and the CPUs brought up, stat from the worlds' run cycles.
using System.Text;
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Time;
using Kernel.VisorFs;
using Kernel.Worlds;

namespace Kernel.User.Proc
{
    public static class ProcSystemText
    {
        /// <summary>The text of /proc/<paramref name="name"/>, or null for a name that is not one.</summary>
        public static string Generate(string name) => name switch
        {
            "meminfo" => Meminfo(),
            "uptime" => ProcFormat.Uptime(Clock.UptimeMilliseconds, CyclesToMs(IdleCycles())),
            "loadavg" => Loadavg(),
            "mounts" => Mounts(),
            "cpuinfo" => Cpuinfo(),
            "stat" => Stat(),
            _ => null,
        };

        // No page cache, buffers or swap: every free page is available, the rest is in use.
        private static string Meminfo()
        {
            ulong totalKb = PhysicalMemory.TotalPages * (PhysicalMemory.PageSize / 1024);
            ulong freeKb = PhysicalMemory.FreePageCount * (PhysicalMemory.PageSize / 1024);
            return ProcFormat.Meminfo(totalKb, freeKb, freeKb, 0, 0, 0, 0);
        }

        /// <summary>sysinfo's facts, the same numbers as meminfo and uptime (bytes, seconds).</summary>
        public static void Totals(out ulong totalBytes, out ulong freeBytes, out ulong uptimeSeconds, out int processes)
        {
            totalBytes = PhysicalMemory.TotalPages * PhysicalMemory.PageSize;
            freeBytes = PhysicalMemory.FreePageCount * PhysicalMemory.PageSize;
            uptimeSeconds = Clock.UptimeMilliseconds / 1000;
            processes = Scheduler.WorldCount;
        }

        // The three averages are the scheduler's decayed run-queue lengths (LoadAverage); the runnable and total
        // counts are the worlds' states now.
        private static string Loadavg()
        {
            World[] worlds = Scheduler.Snapshot();
            int runnable = 0, total = 0, last = 0;
            for (int i = 0; i < worlds.Length; i++)
            {
                if (worlds[i].IsIdle || worlds[i].State == WorldState.Dead)
                    continue;
                total++;
                if (worlds[i].State == WorldState.Running || worlds[i].State == WorldState.Ready)
                    runnable++;
                if (worlds[i].CartelId > last)
                    last = worlds[i].CartelId;
            }
            return ProcFormat.Loadavg(LoadAverage.Hundredths(LoadAverage.Load1), LoadAverage.Hundredths(LoadAverage.Load5), LoadAverage.Hundredths(LoadAverage.Load15), runnable, total, last);
        }

        private static string Mounts()
        {
            var text = new StringBuilder(256);
            VisorFsRoot root = VisorFsRoot.Instance;
            if (root != null)
            {
                FsLock.Enter();
                for (int i = 0; i < root.TardiskCount; i++)
                    ProcFormat.MountLine(text, root.TardiskAt(i).Name, "/", "tardisk", true);
                for (int i = 0; i < root.RamdiskCount; i++)
                    ProcFormat.MountLine(text, root.RamdiskAt(i).Name, root.RamdiskAt(i).MountPath, "ramdisk", false);
                for (int i = 0; i < root.VolumeCount; i++)
                {
                    MountedVolume volume = root.VolumeAt(i);
                    ProcFormat.MountLine(text, volume.Device, volume.MountPath, volume.Type, volume.IsReadOnly);
                }
                FsLock.Exit();
            }
            ProcFormat.MountLine(text, "proc", ProcPath.Root, "proc", true);
            return text.ToString();
        }

        private static string Cpuinfo()
        {
            CpuInfo info = CpuInfo.Read();
            var text = new StringBuilder(1024);
            for (int i = 0; i < PerCpu.Count; i++)
                ProcFormat.CpuinfoBlock(text, i, info.Vendor, info.Family, info.Model, info.Brand, info.Stepping,
                    Clock.TscHz / 1000000, PerCpu.Count, (int)PerCpu.ApicIdOf(i), info.Features);
            return text.ToString();
        }

        private static string Stat()
        {
            World[] worlds = Scheduler.Snapshot();
            int cpus = PerCpu.Count;
            var busy = new ulong[cpus];
            var idle = new ulong[cpus];
            int running = 0;
            for (int i = 0; i < worlds.Length; i++)
            {
                int cpu = worlds[i].Cpu < cpus && worlds[i].Cpu >= 0 ? worlds[i].Cpu : 0;
                if (worlds[i].IsIdle)
                    idle[cpu] += worlds[i].RunCycles;
                else
                    busy[cpu] += worlds[i].RunCycles;
                if (worlds[i].State == WorldState.Running || worlds[i].State == WorldState.Ready)
                    running++;
            }
            ulong busyAll = 0, idleAll = 0;
            for (int c = 0; c < cpus; c++)
            {
                busyAll += busy[c];
                idleAll += idle[c];
            }
            var text = new StringBuilder(512);
            ProcFormat.StatCpuLine(text, "cpu", CyclesToTicks(busyAll), CyclesToTicks(idleAll));
            for (int c = 0; c < cpus; c++)
                ProcFormat.StatCpuLine(text, string.Concat("cpu", new StringBuilder(4).Append(c).ToString()), CyclesToTicks(busy[c]), CyclesToTicks(idle[c]));
            long boot = Clock.HasWallClock ? Clock.WallMilliseconds / 1000 - (long)(Clock.UptimeMilliseconds / 1000) : 0;
            text.Append("intr 0\nctxt ").Append(Scheduler.ContextSwitches).Append("\nbtime ").Append(boot)
                .Append("\nprocesses ").Append(worlds.Length).Append("\nprocs_running ").Append(running).Append("\nprocs_blocked 0\n");
            return text.ToString();
        }

        private static ulong IdleCycles()
        {
            World[] worlds = Scheduler.Snapshot();
            ulong cycles = 0;
            for (int i = 0; i < worlds.Length; i++)
                if (worlds[i].IsIdle)
                    cycles += worlds[i].RunCycles;
            return cycles;
        }

        public static ulong CyclesToMs(ulong cycles) => Clock.TscHz < 1000 ? 0 : cycles / (Clock.TscHz / 1000);

        /// <summary>Cycles in clock ticks of 1/100 s (USER_HZ), as /proc counts CPU time.</summary>
        public static ulong CyclesToTicks(ulong cycles) => Clock.TscHz < 100 ? 0 : cycles / (Clock.TscHz / 100);
    }
}
