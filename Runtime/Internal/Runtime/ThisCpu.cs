// ThisCpu.cs -- which CPU is running this code, for the core library's locks (the kernel's PerCpu is above it).
// The index is N in cpuN, read from the per-CPU block through GS (Kernel/Core/Arch/PerCpu.cs, offset 8). Until the
// bootstrap CPU has installed its block only that CPU runs, so the answer is 0 without touching GS (whose base is 0
// then: gs:[8] would fault).
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime
{
    public static class ThisCpu
    {
        private static bool s_perCpuBlocks;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_cpu_index")]
        private static extern int ReadIndexFromGs();

        /// <summary>The bootstrap CPU installed its per-CPU block: from now on the index comes from GS.</summary>
        public static void UsePerCpuBlocks() => s_perCpuBlocks = true;

        public static int Index => s_perCpuBlocks ? ReadIndexFromGs() : 0;
    }
}
