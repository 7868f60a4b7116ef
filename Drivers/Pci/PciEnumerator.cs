// PciEnumerator.cs -- walks the PCI hierarchy from bus 0 through every PCI-to-PCI bridge (using the bus numbers
// the firmware assigned), and for each function reads its identity and class, sizes its BARs and finds its MSI and
// MSI-X capabilities. Pure logic over IPciConfigSpace: host-tested against a simulated bus.
//
// Config space is hostile input as much as firmware tables are: a bridge whose secondary bus is already scanned, not
// above its parent's, or beyond 255 is not followed (no loops), a capability list is walked at most 48 steps, and a
// BAR that reads back nonsense is recorded as unimplemented.
//
// Layout used (PCI Local Bus 3.0, type 0 and type 1 headers): 0x00 vendor u16, device u16; 0x04 command u16, status
// u16 (bit 4: capability list); 0x08 revision, prog-if, subclass, class; 0x0E header type (bit 7: multi-function);
// 0x10.. BARs (six in type 0, two in type 1); 0x18 (type 1) primary, secondary, subordinate bus; 0x34 capability
// pointer; 0x3C interrupt line, pin. Capability IDs: 0x05 MSI, 0x11 MSI-X.
using System.Collections.Generic;

namespace Drivers.Pci
{
    public static class PciEnumerator
    {
        private const ushort NoDevice = 0xFFFF;
        public const int MaxCapabilities = 48;
        private const byte CapabilityMsi = 0x05, CapabilityMsiX = 0x11;

        /// <summary>Every function reachable from bus 0, in bus, device, function order of discovery.</summary>
        public static List<PciFunction> Scan(IPciConfigSpace config)
        {
            var found = new List<PciFunction>();
            var scanned = new bool[256];
            var pending = new List<int>();
            pending.Add(0);
            while (pending.Count > 0)
            {
                int bus = pending[pending.Count - 1];
                pending.RemoveAt(pending.Count - 1);
                if (scanned[bus])
                    continue;
                scanned[bus] = true;
                int firstOfBus = found.Count;
                ScanBus(config, bus, found);
                // Buses below this one, in reverse so the lowest-numbered bridge is scanned first.
                for (int i = found.Count - 1; i >= firstOfBus; i--)
                {
                    PciFunction f = found[i];
                    if (f.IsBridge && f.SecondaryBus > bus && f.SecondaryBus <= 255 && !scanned[f.SecondaryBus])
                        pending.Add(f.SecondaryBus);
                }
            }
            return found;
        }

        private static void ScanBus(IPciConfigSpace config, int bus, List<PciFunction> found)
        {
            for (int device = 0; device < 32; device++)
            {
                if ((ushort)config.Read32(bus, device, 0, 0) == NoDevice)
                    continue;
                bool multiFunction = (config.Read32(bus, device, 0, 0x0C) >> 16 & 0x80) != 0;
                int functions = multiFunction ? 8 : 1;
                for (int function = 0; function < functions; function++)
                {
                    uint id = config.Read32(bus, device, function, 0);
                    if ((ushort)id == NoDevice)
                        continue;
                    found.Add(Describe(config, bus, device, function, id));
                }
            }
        }

        private static PciFunction Describe(IPciConfigSpace config, int bus, int device, int function, uint id)
        {
            uint classWord = config.Read32(bus, device, function, 0x08);
            uint headerWord = config.Read32(bus, device, function, 0x0C);
            uint interruptWord = config.Read32(bus, device, function, 0x3C);
            var f = new PciFunction
            {
                Bus = bus,
                Device = device,
                Function = function,
                VendorId = (ushort)id,
                DeviceId = (ushort)(id >> 16),
                Revision = (byte)classWord,
                ProgIf = (byte)(classWord >> 8),
                Subclass = (byte)(classWord >> 16),
                ClassCode = (byte)(classWord >> 24),
                HeaderType = (byte)(headerWord >> 16 & 0x7F),
                InterruptLine = (byte)interruptWord,
                InterruptPin = (byte)(interruptWord >> 8),
            };
            if (f.HeaderType == 1)
            {
                uint buses = config.Read32(bus, device, function, 0x18);
                f.SecondaryBus = (int)(buses >> 8 & 0xFF);
                f.SubordinateBus = (int)(buses >> 16 & 0xFF);
            }
            int barCount = f.HeaderType == 0 ? 6 : f.HeaderType == 1 ? 2 : 0;
            f.Bars = SizeBars(config, bus, device, function, barCount);
            FindCapabilities(config, f);
            return f;
        }

        // Sizing writes all-ones to each BAR and reads back which address bits stick; decoding is switched off
        // meanwhile so the device never answers at the all-ones address, and everything is restored after.
        private static PciBar[] SizeBars(IPciConfigSpace config, int bus, int device, int function, int count)
        {
            var bars = new PciBar[count];
            if (count == 0)
                return bars;
            uint command = config.Read32(bus, device, function, 0x04);
            config.Write32(bus, device, function, 0x04, command & ~0x3u & 0xFFFF);
            for (int i = 0; i < count; i++)
            {
                int offset = 0x10 + i * 4;
                uint original = config.Read32(bus, device, function, offset);
                config.Write32(bus, device, function, offset, 0xFFFFFFFF);
                uint mask = config.Read32(bus, device, function, offset);
                config.Write32(bus, device, function, offset, original);
                if ((original & 1) != 0)
                {
                    uint size = ~(mask & 0xFFFFFFFC) + 1 & 0xFFFF;
                    bars[i] = new PciBar { IsIo = true, Address = original & 0xFFFFFFFC, Size = mask == 0 ? 0 : size };
                    continue;
                }
                bool is64 = (original >> 1 & 3) == 2 && i + 1 < count;
                ulong address = original & 0xFFFFFFF0;
                ulong sizeMask = 0xFFFFFFFF00000000UL | (mask & 0xFFFFFFF0);
                if (is64)
                {
                    uint originalHigh = config.Read32(bus, device, function, offset + 4);
                    config.Write32(bus, device, function, offset + 4, 0xFFFFFFFF);
                    uint maskHigh = config.Read32(bus, device, function, offset + 4);
                    config.Write32(bus, device, function, offset + 4, originalHigh);
                    address |= (ulong)originalHigh << 32;
                    sizeMask = (ulong)maskHigh << 32 | (mask & 0xFFFFFFF0);
                }
                ulong barSize = (mask & 0xFFFFFFF0) == 0 && !is64 ? 0 : ~sizeMask + 1;
                bars[i] = new PciBar { Address = address, Size = barSize, Is64Bit = is64, Prefetchable = (original & 8) != 0 };
                if (is64)
                    i++;   // the upper half is not a BAR of its own
            }
            config.Write32(bus, device, function, 0x04, command & 0xFFFF);
            return bars;
        }

        private static void FindCapabilities(IPciConfigSpace config, PciFunction f)
        {
            var offsets = new int[MaxCapabilities];
            int count = CapabilityOffsets(config, f, offsets);
            for (int i = 0; i < count; i++)
            {
                byte capability = (byte)config.Read32(f.Bus, f.Device, f.Function, offsets[i]);
                if (capability == CapabilityMsi && !f.HasMsi)
                {
                    f.HasMsi = true;
                    f.MsiOffset = offsets[i];
                }
                else if (capability == CapabilityMsiX && !f.HasMsiX)
                {
                    f.HasMsiX = true;
                    f.MsiXOffset = offsets[i];
                }
            }
        }

        /// <summary>
        /// The config-space offsets of a function's capabilities, in list order, into <paramref name="into"/>; returns
        /// how many. The walk stops after <see cref="MaxCapabilities"/> entries, so a looping list ends.
        /// </summary>
        public static int CapabilityOffsets(IPciConfigSpace config, PciFunction f, int[] into)
        {
            uint status = config.Read32(f.Bus, f.Device, f.Function, 0x04) >> 16;
            if ((status & 0x10) == 0)
                return 0;
            int count = 0;
            int pointer = (int)(config.Read32(f.Bus, f.Device, f.Function, 0x34) & 0xFC);
            while (pointer >= 0x40 && count < into.Length && count < MaxCapabilities)
            {
                into[count++] = pointer;
                pointer = (int)(config.Read32(f.Bus, f.Device, f.Function, pointer) >> 8 & 0xFC);
            }
            return count;
        }
    }
}
