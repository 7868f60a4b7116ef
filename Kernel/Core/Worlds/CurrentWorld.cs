// CurrentWorld.cs -- the identity of what runs on each CPU, for log lines and the panic screen: plain values the
// scheduler updates on every switch (per CPU: each CPU writes its own entry), readable at any time (even before
// static data exists or while panicking).
using Internal.Runtime;

namespace Kernel.Worlds
{
    public static unsafe class CurrentWorld
    {
        public static int Cpu;

        private struct Ids
        {
            public fixed int Values[Kernel.Arch.PerCpu.MaxCpus];
        }

        private static Ids s_ids;
        private static string[] s_names;

        /// <summary>Makes room for every CPU's name (the scheduler, at start: allocation is possible then).</summary>
        internal static void Initialize() => s_names ??= new string[Kernel.Arch.PerCpu.MaxCpus];

        /// <summary>The world running on this CPU; 1 (the boot world) on cpu0 before the scheduler names one.</summary>
        public static int Id
        {
            get
            {
                int cpu = ThisCpu.Index;
                int id = (uint)cpu < Kernel.Arch.PerCpu.MaxCpus ? s_ids.Values[cpu] : 0;
                return id == 0 && cpu == 0 ? 1 : id;
            }
            set
            {
                int cpu = ThisCpu.Index;
                if ((uint)cpu < Kernel.Arch.PerCpu.MaxCpus)
                    s_ids.Values[cpu] = value;
            }
        }

        /// <summary>Readable before static data exists (early panics): falls back to the boot world's name.</summary>
        public static string Name
        {
            get
            {
                if (!KernelState.StaticsReady || s_names == null)
                    return "init";
                int cpu = ThisCpu.Index;
                string name = (uint)cpu < (uint)s_names.Length ? s_names[cpu] : null;
                return name ?? (cpu == 0 ? "init" : "none");
            }
            set
            {
                int cpu = ThisCpu.Index;
                if (s_names != null && (uint)cpu < (uint)s_names.Length)
                    s_names[cpu] = value;
            }
        }

        /// <summary>The world id on cpuN (0: none yet), for the panic screen's list of stopped CPUs.</summary>
        public static int IdOn(int cpu) => (uint)cpu < Kernel.Arch.PerCpu.MaxCpus ? s_ids.Values[cpu] : 0;

        public static string NameOn(int cpu) => s_names != null && (uint)cpu < (uint)s_names.Length ? s_names[cpu] : null;
    }
}
