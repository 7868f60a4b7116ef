// Clock.cs -- monotonic uptime from the TSC (fine-grained), the periodic tick count, and wall-clock time
// (RTC at boot plus uptime).
using Kernel.Arch;

namespace Kernel.Time
{
    public static class Clock
    {
        private static ulong s_tscAtBoot;
        private static ulong s_tscHz;
        private static ulong s_ticks;
        private static uint s_tickHz;
        private static long s_wallSecondsAtBoot;   // Unix seconds when uptime was 0 (from the RTC)

        /// <summary>Called first thing at boot, so uptime counts from kernel entry.</summary>
        public static void Start() => s_tscAtBoot = Cpu.ReadTimestampCounter();

        public static ulong TscHz => s_tscHz;
        public static ulong Ticks => s_ticks;
        public static uint TickHz => s_tickHz;
        public static ulong TscAtBoot => s_tscAtBoot;

        /// <summary>TSC cycles per timer tick (deadlines are kept in TSC time).</summary>
        public static ulong TscPerTick => s_tickHz == 0 ? s_tscHz / 1000 : s_tscHz / s_tickHz;

        public static void SetTscFrequency(ulong hz) => s_tscHz = hz;
        public static void SetTickFrequency(uint hz) => s_tickHz = hz;

        private static unsafe delegate*<ulong, void> s_tickHook;

        /// <summary>The scheduler's per-tick work (waking sleepers, timers, preemption).</summary>
        public static unsafe void SetTickHook(delegate*<ulong, void> hook) => s_tickHook = hook;

        /// <summary>Called by the timer driver on every periodic interrupt (interrupts off), on every CPU that has a
        /// tick; the tick count is cpu0's (each CPU's local APIC timer runs at the same rate).</summary>
        public static unsafe void Tick()
        {
            if (Internal.Runtime.ThisCpu.Index == 0)
                s_ticks++;
            if (s_tickHook != null)
                s_tickHook(s_ticks);
        }

        public static void SetWallClock(long unixSecondsNow) => s_wallSecondsAtBoot = unixSecondsNow - (long)(UptimeMicroseconds / 1000000);

        public static bool HasWallClock => s_wallSecondsAtBoot != 0;

        /// <summary>Microseconds since boot (0 until the TSC is calibrated; then exact to the calibration).</summary>
        public static ulong UptimeMicroseconds
        {
            get
            {
                if (s_tscHz == 0)
                    return s_tickHz == 0 ? 0 : s_ticks * 1000000 / s_tickHz;
                ulong cycles = Cpu.ReadTimestampCounter() - s_tscAtBoot;
                // Split to avoid overflow: cycles * 1e6 overflows 64 bits after ~5 hours at 1 GHz.
                return cycles / s_tscHz * 1000000 + cycles % s_tscHz * 1000000 / s_tscHz;
            }
        }

        public static ulong UptimeMilliseconds => UptimeMicroseconds / 1000;

        /// <summary>Unix time in milliseconds (uptime alone when the RTC was not read).</summary>
        public static long WallMilliseconds => s_wallSecondsAtBoot * 1000 + (long)UptimeMilliseconds;

        /// <summary>Busy-waits; used before the timer interrupt runs (calibration, device resets).</summary>
        public static void SpinMicroseconds(ulong microseconds)
        {
            if (s_tscHz == 0)
            {
                for (ulong i = 0; i < microseconds * 100; i++)
                    Cpu.Pause();
                return;
            }
            ulong end = Cpu.ReadTimestampCounter() + microseconds * s_tscHz / 1000000;
            while (Cpu.ReadTimestampCounter() < end)
                Cpu.Pause();
        }
    }
}
