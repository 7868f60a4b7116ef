// IoApic.cs -- the IOAPICs the MADT lists: each has an index register at +0 and a data window at +0x10; register 1
// holds the number of inputs (bits 16-23: the last redirection entry), and input n's 64-bit redirection entry is
// registers 0x10 + 2n (low: vector, delivery mode, polarity bit 13, trigger bit 15, mask bit 16) and 0x11 + 2n
// (high: the destination APIC ID in bits 24-31). Every input starts masked; an ISA IRQ is routed to the GSI its
// MADT override names, with the override's polarity and trigger (ISA's own: edge, active high).
using Drivers.Acpi;
using Kernel.Memory;

namespace Drivers.Apic
{
    public static unsafe class IoApic
    {
        private const int MaxIoApics = Madt.MaxIoApics;
        private const uint Masked = 1u << 16, ActiveLow = 1u << 13, Level = 1u << 15;

        private struct Chip
        {
            public uint* Registers;
            public uint GsiBase;
            public int Inputs;
        }

        private struct ChipTable
        {
            public fixed ulong Words[MaxIoApics * 2];   // per chip: registers pointer; GSI base | inputs << 32
        }

        private static ChipTable s_chips;
        private static int s_count;
        private static Madt s_madt;

        // The redirection entry each ISA IRQ was given, so Unmask can rewrite it unmasked; 0 = not routed.
        private struct IsaTable
        {
            public fixed uint Low[16];
            public fixed uint High[16];
            public fixed uint Gsi[16];
        }

        private static IsaTable s_isa;

        public static int Count => s_count;

        /// <summary>Maps every IOAPIC in the MADT and masks all their inputs. False when there is none.</summary>
        public static bool Initialize(Madt madt)
        {
            s_madt = madt;
            foreach (MadtIoApic io in madt.IoApics)
            {
                if (s_count == MaxIoApics)
                    break;
                var registers = (uint*)Paging.MapDevice(io.Address, 0x1000);
                int inputs = (int)((Read(registers, 1) >> 16) & 0xFF) + 1;
                fixed (ulong* w = s_chips.Words)
                {
                    w[s_count * 2] = (ulong)registers;
                    w[s_count * 2 + 1] = io.GsiBase | (ulong)(uint)inputs << 32;
                }
                s_count++;
                for (int i = 0; i < inputs; i++)
                {
                    Write(registers, 0x10 + 2 * i, Masked);
                    Write(registers, 0x11 + 2 * i, 0);
                }
            }
            return s_count > 0;
        }

        private static Chip ChipAt(int index)
        {
            fixed (ulong* w = s_chips.Words)
                return new Chip { Registers = (uint*)w[index * 2], GsiBase = (uint)w[index * 2 + 1], Inputs = (int)(w[index * 2 + 1] >> 32) };
        }

        public static int InputsOf(int index) => ChipAt(index).Inputs;
        public static uint GsiBaseOf(int index) => ChipAt(index).GsiBase;

        /// <summary>
        /// Routes ISA IRQ <paramref name="irq"/> (through its override) to <paramref name="vector"/> on the CPU with
        /// APIC ID <paramref name="destination"/>, left masked until <see cref="Unmask"/>. Returns the GSI, or -1 when
        /// no IOAPIC has that input.
        /// </summary>
        public static long RouteIsa(int irq, int vector, uint destination)
        {
            MadtOverride route = s_madt.RouteOf((byte)irq);
            // ISA's bus default is edge-triggered, active high; PCI's (an override may say "conforms") is level, low.
            bool activeLow = route.Polarity == Polarity.ActiveLow;
            bool level = route.Trigger == Trigger.Level;
            uint low = (uint)vector | (activeLow ? ActiveLow : 0) | (level ? Level : 0);
            uint high = destination << 24;
            if (!WriteEntry(route.Gsi, low | Masked, high))
                return -1;
            fixed (uint* l = s_isa.Low, h = s_isa.High, g = s_isa.Gsi)
            {
                l[irq] = low;
                h[irq] = high;
                g[irq] = route.Gsi;
            }
            return route.Gsi;
        }

        public static void Unmask(int irq) => SetMasked(irq, false);

        public static void Mask(int irq) => SetMasked(irq, true);

        private static void SetMasked(int irq, bool masked)
        {
            fixed (uint* l = s_isa.Low, h = s_isa.High, g = s_isa.Gsi)
            {
                if (l[irq] == 0)
                    return;
                WriteEntry(g[irq], masked ? l[irq] | Masked : l[irq], h[irq]);
            }
        }

        private static bool WriteEntry(uint gsi, uint low, uint high)
        {
            for (int i = 0; i < s_count; i++)
            {
                Chip chip = ChipAt(i);
                if (gsi < chip.GsiBase || gsi - chip.GsiBase >= (uint)chip.Inputs)
                    continue;
                int input = (int)(gsi - chip.GsiBase);
                // Mask first, destination, then the low word last: the entry is never live half-written.
                Write(chip.Registers, 0x10 + 2 * input, Masked);
                Write(chip.Registers, 0x11 + 2 * input, high);
                Write(chip.Registers, 0x10 + 2 * input, low);
                return true;
            }
            return false;
        }

        private static uint Read(uint* registers, int index)
        {
            registers[0] = (uint)index;
            return registers[4];
        }

        private static void Write(uint* registers, int index, uint value)
        {
            registers[0] = (uint)index;
            registers[4] = value;
        }
    }
}
