// MessageInterrupts.cs -- programs a PCI function's MSI-X table entry or MSI capability so the device raises an
// interrupt by writing to the local APIC (PCI 3.0, 6.8; Intel SDM 3A, 11.11): address 0xFEE00000 | APIC ID << 12
// (physical destination, no redirection hint), data = the vector (fixed delivery, edge-triggered). An MSI-X entry is
// written masked and unmasked by the caller once its handler and driver world exist, so nothing is delivered to a
// vector without a handler; MSI has no per-vector mask on most devices, so it is enabled last, by the same call.
using Kernel.Memory;

namespace Drivers.Pci
{
    public static unsafe class MessageInterrupts
    {
        private const uint ApicMessageBase = 0xFEE00000;
        private const uint MsiXEnable = 1u << 15, MsiXFunctionMask = 1u << 14;
        private const uint MsiEnable = 1u << 0, Msi64Bit = 1u << 7, MsiMultipleEnable = 7u << 4;
        private const int MsiXEntryBytes = 16, MsiXVectorControl = 12;

        /// <summary>
        /// Writes MSI-X table entry <paramref name="entry"/> (masked) to send <paramref name="vector"/> to
        /// <paramref name="apicId"/> and enables MSI-X on the function (INTx off). Returns the entry's address for
        /// <see cref="UnmaskMsiX"/>, or null when the function has no such entry or its table lies outside a memory BAR.
        /// </summary>
        public static uint* ProgramMsiX(IPciConfigSpace config, PciFunction f, int entry, int vector, uint apicId)
        {
            if (!f.HasMsiX || f.MsiXOffset == 0)
                return null;
            uint header = config.Read32(f.Bus, f.Device, f.Function, f.MsiXOffset);
            uint control = header >> 16;
            int tableSize = (int)(control & 0x7FF) + 1;
            uint table = config.Read32(f.Bus, f.Device, f.Function, f.MsiXOffset + 4);
            int bir = (int)(table & 7);
            ulong offset = table & ~7u;
            if (entry < 0 || entry >= tableSize || bir >= f.Bars.Length)
                return null;
            PciBar bar = f.Bars[bir];
            ulong bytes = (ulong)(entry + 1) * MsiXEntryBytes;
            if (bar.IsIo || bar.Size == 0 || offset > bar.Size || bytes > bar.Size - offset)
                return null;
            byte* mapped = (byte*)Paging.MapDevice(bar.Address, bar.Size);
            uint* slot = (uint*)(mapped + offset + (ulong)entry * MsiXEntryBytes);
            slot[MsiXVectorControl / 4] = 1;              // masked while it is rewritten
            slot[0] = ApicMessageBase | (apicId & 0xFF) << 12;
            slot[1] = 0;
            slot[2] = (uint)vector & 0xFF;
            DisableIntx(config, f);
            control = (control | MsiXEnable) & ~MsiXFunctionMask;
            config.Write32(f.Bus, f.Device, f.Function, f.MsiXOffset, (header & 0xFFFF) | control << 16);
            return slot;
        }

        /// <summary>Lets the device raise the MSI-X entry <see cref="ProgramMsiX"/> wrote (a pending one arrives now).</summary>
        public static void UnmaskMsiX(uint* slot) => slot[MsiXVectorControl / 4] = 0;

        /// <summary>Enables MSI with one message: <paramref name="vector"/> to <paramref name="apicId"/>. False when
        /// the function has no MSI capability.</summary>
        public static bool EnableMsi(IPciConfigSpace config, PciFunction f, int vector, uint apicId)
        {
            if (!f.HasMsi || f.MsiOffset == 0)
                return false;
            int at = f.MsiOffset;
            uint header = config.Read32(f.Bus, f.Device, f.Function, at);
            uint control = header >> 16;
            config.Write32(f.Bus, f.Device, f.Function, at + 4, ApicMessageBase | (apicId & 0xFF) << 12);
            int dataAt = at + 8;
            if ((control & Msi64Bit) != 0)
            {
                config.Write32(f.Bus, f.Device, f.Function, at + 8, 0);
                dataAt = at + 12;
            }
            // The data register is 16 bits; the dword holds reserved bits (or the extended data) above it.
            uint data = config.Read32(f.Bus, f.Device, f.Function, dataAt);
            config.Write32(f.Bus, f.Device, f.Function, dataAt, (data & 0xFFFF0000) | ((uint)vector & 0xFF));
            DisableIntx(config, f);
            control = (control & ~MsiMultipleEnable) | MsiEnable;
            config.Write32(f.Bus, f.Device, f.Function, at, (header & 0xFFFF) | control << 16);
            return true;
        }

        // The command register's Interrupt Disable bit (10): with messages on, the pin must stay quiet.
        private static void DisableIntx(IPciConfigSpace config, PciFunction f)
        {
            uint command = config.Read32(f.Bus, f.Device, f.Function, 0x04);
            config.Write32(f.Bus, f.Device, f.Function, 0x04, (command | 1u << 10) & 0xFFFF);
        }
    }
}
