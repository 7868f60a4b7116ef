// Syscalls.Sysinfo.cs -- sysinfo(2): what `busybox free` and `busybox uptime` ask before (or instead of) reading
// /proc: the uptime, the load averages (LoadAverage's, scaled to 16 bits as Linux's SI_LOAD_SHIFT), memory in bytes
// (mem_unit 1; no swap, no shared or buffer memory, no high memory), the number of worlds. The same numbers as
// /proc/meminfo and /proc/uptime (ProcSystemText).
using Kernel.User.Proc;

namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int SysinfoBytes = 112;   // struct sysinfo on x86-64, padding included

        private static long DoSysinfo(ulong buffer)
        {
            ProcSystemText.Totals(out ulong total, out ulong free, out ulong uptime, out int processes);
            byte* info = stackalloc byte[SysinfoBytes];
            for (int i = 0; i < SysinfoBytes; i++)
                info[i] = 0;
            *(long*)info = (long)uptime;            // uptime
            *(ulong*)(info + 8) = Worlds.LoadAverage.Load1 << (16 - Worlds.LoadAverage.FShift);    // loads[3]
            *(ulong*)(info + 16) = Worlds.LoadAverage.Load5 << (16 - Worlds.LoadAverage.FShift);
            *(ulong*)(info + 24) = Worlds.LoadAverage.Load15 << (16 - Worlds.LoadAverage.FShift);
            *(ulong*)(info + 32) = total;           // totalram
            *(ulong*)(info + 40) = free;            // freeram; sharedram, bufferram, totalswap, freeswap 0
            *(ushort*)(info + 80) = (ushort)(processes > 0xFFFF ? 0xFFFF : processes);   // procs
            *(uint*)(info + 104) = 1;               // mem_unit: the sizes are in bytes
            return UserMemory.CopyOut(buffer, info, SysinfoBytes) ? 0 : -EFAULT;
        }
    }
}
