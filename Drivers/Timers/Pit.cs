// Pit.cs -- the 8254 programmable interval timer: calibrates the TSC (channel 2, gated, polled) and drives the
// periodic tick (channel 0 on IRQ 0).
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Time;

namespace Drivers.Timers
{
    public static unsafe class Pit
    {
        public const uint PIT_HZ = 1193182;
        private const ushort CHANNEL0 = 0x40, CHANNEL2 = 0x42, COMMAND = 0x43, GATE_PORT = 0x61;
        public const int PIT_IRQ = 0;

        private const int CalibrationRounds = 5;
        private const uint RoundsPerSecond = 500;                       // 2 ms per round

        /// <summary>
        /// TSC frequency in Hz: the fewest TSC cycles seen over five 2 ms PIT channel-2 countdowns, or 0 when the PIT
        /// does not count (machines without one exist: QEMU's microvm, some modern PCs). Each round reads the TSC
        /// before it programs the countdown and after it sees the end, so a delay anywhere (an SMI on real hardware,
        /// the host descheduling the virtual CPU under emulation) can only make a round look longer, never shorter,
        /// and the minimum is the honest one. (Reading the TSC after the count was written let a delay in between
        /// make a round look shorter: a loaded host once calibrated 37 MHz for a 2 GHz TSC. A real PIT's round can
        /// therefore never be shorter than 2 ms, so a shorter one means the port reads back garbage: no PIT.) The PIT's 0.84 us resolution
        /// bounds the error of a 2 ms round to 0.04 %.
        /// </summary>
        public static ulong CalibrateTsc()
        {
            ulong best = ulong.MaxValue;
            for (int round = 0; round < CalibrationRounds; round++)
            {
                ulong cycles = MeasureRound(PIT_HZ / RoundsPerSecond);
                // No countdown, or one that "ended" at once (a missing PIT's port reads all ones): no PIT.
                if (cycles < MinimumTscHz / RoundsPerSecond)
                    return 0;
                if (cycles < best)
                    best = cycles;
            }
            return best * RoundsPerSecond;
        }

        /// <summary>Slower TSCs than this do not exist on x86-64 machines; a lower figure means no working PIT.</summary>
        public const ulong MinimumTscHz = 100_000_000;

        // A 2 ms round takes a few million cycles on any CPU this kernel runs on; a PIT that has not ended the count
        // after this many cycles (seconds at any clock rate) is not there.
        private const ulong NoPitCycles = 20_000_000_000;

        private static ulong MeasureRound(uint count)
        {
            byte gate = Cpu.InByte(GATE_PORT);
            Cpu.OutByte(GATE_PORT, (byte)((gate & 0xFC) | 0x01));      // gate on, speaker off
            // In mode 0 the countdown starts as soon as the count is written (the gate toggle below only pauses it),
            // so the start time is read before anything is programmed: see CalibrateTsc.
            ulong start = Cpu.ReadTimestampCounter();
            Cpu.OutByte(COMMAND, 0xB0);                               // channel 2, lobyte/hibyte, mode 0
            Cpu.OutByte(CHANNEL2, (byte)(count & 0xFF));
            Cpu.OutByte(CHANNEL2, (byte)(count >> 8));
            // Toggle the gate (restarts the count on PITs that reload on a gate edge), then wait for OUT2 (bit 5 of
            // port 0x61) to go high.
            gate = Cpu.InByte(GATE_PORT);
            Cpu.OutByte(GATE_PORT, (byte)(gate & 0xFE));
            Cpu.OutByte(GATE_PORT, (byte)(gate | 0x01));
            ulong end = start;
            bool ended = false;
            while (!ended && end - start < NoPitCycles)
            {
                ended = (Cpu.InByte(GATE_PORT) & 0x20) != 0;
                end = Cpu.ReadTimestampCounter();
            }
            Cpu.OutByte(GATE_PORT, (byte)(Cpu.InByte(GATE_PORT) & 0xFC));
            return ended ? end - start : 0;
        }

        public static void StartPeriodic(uint hz)
        {
            uint divisor = PIT_HZ / hz;
            Cpu.OutByte(COMMAND, 0x34);                               // channel 0, lobyte/hibyte, mode 2 (rate generator)
            Cpu.OutByte(CHANNEL0, (byte)(divisor & 0xFF));
            Cpu.OutByte(CHANNEL0, (byte)(divisor >> 8));
            Clock.SetTickFrequency(hz);
            InterruptDispatch.SetHandler(InterruptDispatch.FirstIrqVector + PIT_IRQ, &OnTick, "timer (PIT)");
            Apic.IsaIrqs.Unmask(PIT_IRQ);
        }

        private static volatile uint s_probeTicks;

        /// <summary>
        /// Runs channel 0 at 1000 Hz with its IRQ unmasked and interrupts on until <paramref name="ticks"/> interrupts
        /// have come or 50 ms of TSC have passed, and returns how many came: the proof that IRQ 0 reaches this CPU
        /// (through the IOAPIC, its override honoured). The PIT and its IRQ are stopped again and interrupts restored.
        /// </summary>
        public static uint ProbeInterrupts(uint ticks)
        {
            uint divisor = PIT_HZ / 1000;
            InterruptDispatch.SetHandler(InterruptDispatch.FirstIrqVector + PIT_IRQ, &OnProbeTick, "PIT (routing check)");
            Cpu.OutByte(COMMAND, 0x34);
            Cpu.OutByte(CHANNEL0, (byte)(divisor & 0xFF));
            Cpu.OutByte(CHANNEL0, (byte)(divisor >> 8));
            // Interrupts on and off here are this CPU's own business, not a lock: the probe runs once at boot, before
            // any other CPU is started.
            ulong flags = Cpu.ReadFlags();
            Apic.IsaIrqs.Unmask(PIT_IRQ);
            Cpu.EnableInterrupts();
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz / 20;
            while (s_probeTicks < ticks && Cpu.ReadTimestampCounter() < deadline)
                Cpu.Pause();
            Cpu.DisableInterrupts();
            Apic.IsaIrqs.Mask(PIT_IRQ);
            Cpu.OutByte(COMMAND, 0x30);                               // channel 0, mode 0: one last count, then quiet
            Cpu.OutByte(CHANNEL0, 0xFF);
            Cpu.OutByte(CHANNEL0, 0xFF);
            Cpu.RestoreInterrupts(flags);
            return s_probeTicks;
        }

        private static void OnTick(InterruptFrame* frame) => Clock.Tick();

        private static void OnProbeTick(InterruptFrame* frame) => s_probeTicks++;
    }
}
