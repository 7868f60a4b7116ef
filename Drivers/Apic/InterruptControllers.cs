// InterruptControllers.cs -- chooses and starts the interrupt controllers and the tick at boot: with an ACPI MADT
// that lists an IOAPIC (every PC since the early 2000s, QEMU's i440fx and q35), the local APIC takes the EOIs and
// gives the tick, the IOAPIC routes the ISA IRQs and the 8259 pair is masked; without one (or with `noapic`), the
// 8259 and the PIT's channel 0 do it as before.
using Drivers.Acpi;
using Drivers.Timers;
using Kernel.Interrupts;
using Kernel.Logging;
using Kernel.Time;

namespace Drivers.Apic
{
    public static unsafe class InterruptControllers
    {
        public static Madt Madt { get; private set; }
        public static bool UsingApic { get; private set; }

        /// <summary>How the tick is made, for the boot log's Timer line.</summary>
        public static string TickSource { get; private set; } = "PIT";

        /// <summary>Sets up the controllers and starts the periodic tick at <paramref name="hz"/>. Interrupts stay
        /// off except for the local APIC timer's 10 ms calibration.</summary>
        public static void Initialize(bool noApic, uint hz)
        {
            Pic8259.Initialize();
            Madt = noApic ? null : ReadMadt();
            if (noApic)
                Log.Info("APIC", "noapic: the 8259 PIC and the PIT's channel 0 deliver interrupts and the tick");
            if (Madt == null || Madt.IoApics.Count == 0 || !LocalApic.Initialize(Madt.LocalApicAddress) || !IoApic.Initialize(Madt))
            {
                if (Madt != null)
                    Log.Warning("APIC", "No usable local APIC and IOAPIC: interrupts through the 8259 PIC");
                Pit.StartPeriodic(hz);
                return;
            }
            UsingApic = true;
            LocalApic.EnableOnThisCpu(Lint1IsNmi(Madt));
            InterruptDispatch.SetEndOfInterrupt(&EndOfInterrupt);
            InterruptDispatch.SetHandler(LocalApic.ErrorVector, &OnApicError, "APIC error");
            IsaIrqs.UseIoApic(LocalApic.CurrentId);
            Log.Info("APIC", string.Concat(LocalApic.IsX2Apic ? "x2APIC" : "xAPIC at 0x", LocalApic.IsX2Apic ? "" : LocalApic.PhysicalAddress.ToString("X"),
                ", bootstrap CPU APIC ID ", LocalApic.CurrentId.ToString(), "; 8259 PIC masked, ISA IRQs through the IOAPIC"));

            // The PIT's IRQ 0 is the one ISA interrupt every PC remaps (to GSI 2): seeing it arrive proves the routing.
            if (Pit.ProbeInterrupts(2) < 2)
                Log.Warning("APIC", "No PIT interrupt arrived through the IOAPIC in 50 ms: ISA interrupt routing may be wrong");
            ApicTimer.Calibrate(Clock.TscHz);
            if (ApicTimer.CountsPerSecond < MinimumTimerHz)
            {
                // A timer that cannot be measured cannot tick at a known rate; the PIT still can (through the IOAPIC).
                Log.Warning("APIC", "The local APIC timer could not be calibrated: the PIT gives the tick");
                Pit.StartPeriodic(hz);
                return;
            }
            Clock.SetTickFrequency(hz);
            InterruptDispatch.SetHandler(ApicTimer.Vector, &OnTick, "timer (local APIC)");
            ApicTimer.StartPeriodic(hz);
            TickSource = string.Concat("local APIC timer at ", (ApicTimer.CountsPerSecond / 1000).ToString(), " kHz");
        }

        // A timer slower than this after the divide-by-16 could not even make a 1000 Hz tick.
        private const ulong MinimumTimerHz = 100_000;

        private static Madt ReadMadt()
        {
            if (!AcpiTables.Initialize())
                return null;
            ulong table = AcpiTables.Find("APIC");
            if (table == 0)
            {
                Log.Info("APIC", "No MADT: a single CPU with the 8259 PIC");
                return null;
            }
            Madt madt = Madt.Parse(new System.ReadOnlySpan<byte>(AcpiTables.Pointer(table), (int)AcpiTables.Length(table)), AcpiTables.MaxPhysical);
            if (madt != null)
                LogMadt(madt);
            return madt;
        }

        private static void LogMadt(Madt madt)
        {
            var ids = new System.Text.StringBuilder();
            foreach (MadtProcessor p in madt.Processors)
            {
                if (ids.Length > 0)
                    ids.Append(',');
                ids.Append(p.ApicId.ToString());
                if (!p.Enabled)
                    ids.Append("(hot-add)");
            }
            Log.Info("APIC", string.Concat("MADT: local APIC at 0x", madt.LocalApicAddress.ToString("X"), ", ", madt.EnabledProcessorCount.ToString(),
                " CPUs (APIC IDs ", ids.ToString(), "), ", madt.IoApics.Count.ToString(), " IOAPIC(s), ", madt.Overrides.Count.ToString(),
                " interrupt source overrides, ", (madt.NmiSources.Count + madt.LocalNmis.Count).ToString(), " NMI entries",
                madt.HasLegacyPics ? ", 8259 PICs present" : "", madt.Rejected != 0 ? string.Concat("; ", madt.Rejected.ToString(), " entries rejected") : ""));
            foreach (MadtIoApic io in madt.IoApics)
                Log.Info("APIC", string.Concat("IOAPIC ", io.Id.ToString(), " at 0x", io.Address.ToString("X"), ", GSI base ", io.GsiBase.ToString()));
        }

        // LINT1 carries NMI on every PC; a MADT that lists local NMIs and puts none on LINT1 says otherwise.
        private static bool Lint1IsNmi(Madt madt)
        {
            if (madt.LocalNmis.Count == 0)
                return true;
            foreach (MadtLocalNmi n in madt.LocalNmis)
                if (n.Lint == 1)
                    return true;
            return false;
        }

        // The spurious vector is the one the APIC raises without putting anything in service: no EOI for it.
        private static void EndOfInterrupt(int vector)
        {
            if (vector != LocalApic.SpuriousVector)
                LocalApic.EndOfInterrupt();
        }

        private static void OnApicError(InterruptFrame* frame) => LocalApic.Write(LocalApic.ErrorStatus, 0);

        private static void OnTick(InterruptFrame* frame) => Clock.Tick();
    }
}
