// ApicTimer.cs -- the local APIC timer as the CPU's periodic tick. Its input clock differs per machine (the bus or
// core crystal; QEMU's counts nanoseconds), so it is measured once against the TSC, itself calibrated against the
// PIT's channel 2 (Pit.CalibrateTsc). Five 2 ms rounds, each bracketed by TSC reads taken right before and after
// the count is read, and the median kept: a delay inside a bracket (an SMI, the host descheduling a virtual CPU)
// is seen and that round dropped, and one odd round cannot move the median. (Counting PIT interrupts instead was
// 25 % off on a loaded host: QEMU drops the PIT's late ticks.) TSC-deadline mode, on CPUs that have it, is not used
// yet: QEMU's TCG does not offer it, so it could not be tested here.
using Kernel.Arch;

namespace Drivers.Apic
{
    public static unsafe class ApicTimer
    {
        public const int Vector = 0xEF;
        private const uint DivideBy16 = 0x3;
        private const int Rounds = 5;
        private const ulong RoundsPerSecond = 500;

        /// <summary>Timer counts per second after the divider (0 until calibrated).</summary>
        public static ulong CountsPerSecond { get; private set; }
        private static uint s_initialCount;

        /// <summary>Measures the timer's rate against the TSC (about 10 ms, interrupts untouched).</summary>
        public static void Calibrate(ulong tscHz)
        {
            LocalApic.Write(LocalApic.TimerDivide, DivideBy16);
            LocalApic.Write(LocalApic.LvtTimer, LocalApic.LvtMasked);
            ulong* rates = stackalloc ulong[Rounds];
            int kept = 0;
            ulong slack = tscHz / 50_000;   // 20 us: a bracket wider than this was interrupted
            for (int attempt = 0; attempt < Rounds * 4 && kept < Rounds; attempt++)
            {
                LocalApic.Write(LocalApic.TimerInitialCount, 0xFFFFFFFF);
                ulong t0 = Cpu.ReadTimestampCounter();
                uint c0 = LocalApic.Read(LocalApic.TimerCurrentCount);
                ulong t0b = Cpu.ReadTimestampCounter();
                ulong until = t0b + tscHz / RoundsPerSecond;
                while (Cpu.ReadTimestampCounter() < until)
                    Cpu.Pause();
                ulong t1 = Cpu.ReadTimestampCounter();
                uint c1 = LocalApic.Read(LocalApic.TimerCurrentCount);
                ulong t1b = Cpu.ReadTimestampCounter();
                if (t0b - t0 > slack || t1b - t1 > slack || c1 >= c0)
                    continue;
                ulong cycles = (t1 + t1b) / 2 - (t0 + t0b) / 2;
                rates[kept++] = (ulong)(c0 - c1) * tscHz / cycles;
            }
            LocalApic.Write(LocalApic.TimerInitialCount, 0);
            if (kept == 0)
                return;
            for (int i = 1; i < kept; i++)           // insertion sort of at most five
                for (int j = i; j > 0 && rates[j] < rates[j - 1]; j--)
                {
                    ulong t = rates[j];
                    rates[j] = rates[j - 1];
                    rates[j - 1] = t;
                }
            CountsPerSecond = rates[kept / 2];
        }

        /// <summary>Starts the periodic tick on this CPU (each CPU calls it; all share the bootstrap CPU's rate).</summary>
        public static void StartPeriodic(uint hz)
        {
            s_initialCount = (uint)(CountsPerSecond / hz);
            if (s_initialCount == 0)
                s_initialCount = 1;
            LocalApic.Write(LocalApic.TimerDivide, DivideBy16);
            LocalApic.Write(LocalApic.LvtTimer, Vector | LocalApic.LvtPeriodic);
            LocalApic.Write(LocalApic.TimerInitialCount, s_initialCount);
        }
    }
}
