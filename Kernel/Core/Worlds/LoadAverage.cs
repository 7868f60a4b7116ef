// LoadAverage.cs -- the kernel's 1, 5 and 15 minute load averages: every 5 seconds a KernelTimer (re-armed from the
// tick; it allocates nothing, it only reads the run queue's length) folds the number of runnable worlds -- running
// or ready, idle worlds excluded; nothing here sleeps uninterruptibly, which Linux would add -- into Linux's decayed
// averages (LoadAverageMath). /proc/loadavg and sysinfo (busybox uptime) report them.
using Kernel.Sync;

namespace Kernel.Worlds
{
    public static unsafe class LoadAverage
    {
        public const int FShift = LoadAverageMath.FShift;
        private const ulong SamplePeriodMs = 5000;

        private static LoadAverageMath s_loads;
        private static KernelTimer s_timer;

        /// <summary>The averages in fixed point (1.0 = 1 << FShift).</summary>
        public static ulong Load1 => s_loads.Load1;
        public static ulong Load5 => s_loads.Load5;
        public static ulong Load15 => s_loads.Load15;

        public static ulong Hundredths(ulong load) => LoadAverageMath.Hundredths(load);

        /// <summary>Starts the 5-second sampler (after the scheduler and the tick run).</summary>
        public static void Start()
        {
            s_timer = new KernelTimer(&OnTimer, null);
            Arm();
        }

        private static void Arm()
        {
            ulong tickHz = Time.Clock.TickHz == 0 ? 1000 : Time.Clock.TickHz;
            s_timer.Start(SamplePeriodMs * tickHz / 1000);
        }

        private static void OnTimer(object argument)
        {
            s_loads.Sample(Scheduler.RunnableCount);
            Arm();
        }
    }
}
