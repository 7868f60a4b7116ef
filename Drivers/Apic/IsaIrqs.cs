// IsaIrqs.cs -- where a driver turns its ISA IRQ on or off, whichever controller delivers it: the IOAPIC (routed
// on first use to vector 32 + IRQ on the bootstrap CPU, through the MADT's override) or, on machines without one,
// the 8259 PIC pair. Vectors stay 32 + IRQ either way, so handlers and `interrupts` do not care which.
using Drivers.Timers;
using Kernel.Interrupts;
using Kernel.Logging;

namespace Drivers.Apic
{
    public static class IsaIrqs
    {
        private static bool s_ioApic;
        private static uint s_destination;
        private static ushort s_routed;   // bit n: IRQ n has its redirection entry

        public static bool ThroughIoApic => s_ioApic;

        /// <summary>From now on ISA IRQs go through the IOAPIC to the CPU with this APIC ID; the PIC is masked.</summary>
        public static void UseIoApic(uint destinationApicId)
        {
            s_ioApic = true;
            s_destination = destinationApicId;
            Pic8259.MaskAll();
        }

        public static void Unmask(int irq)
        {
            if (!s_ioApic)
            {
                Pic8259.Unmask(irq);
                return;
            }
            if ((s_routed & (1 << irq)) == 0)
            {
                long gsi = IoApic.RouteIsa(irq, InterruptDispatch.FirstIrqVector + irq, s_destination);
                if (gsi < 0)
                {
                    Log.Warning("APIC", string.Concat("ISA IRQ ", irq.ToString(), ": no IOAPIC input for its GSI; the device stays silent"));
                    return;
                }
                s_routed |= (ushort)(1 << irq);
                if (gsi != irq)
                    Log.Info("APIC", string.Concat("ISA IRQ ", irq.ToString(), " -> GSI ", gsi.ToString(), " (interrupt source override)"));
            }
            IoApic.Unmask(irq);
        }

        public static void Mask(int irq)
        {
            if (s_ioApic)
                IoApic.Mask(irq);
            else
                Pic8259.Mask(irq);
        }
    }
}
