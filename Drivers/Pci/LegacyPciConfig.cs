// LegacyPciConfig.cs -- configuration mechanism #1: the address (enable bit, bus, device, function, register) goes
// to port 0xCF8 and the dword comes and goes through 0xCFC. Every PC has it; it reaches the first 256 bytes only.
using Kernel.Arch;

namespace Drivers.Pci
{
    public sealed class LegacyPciConfig : IPciConfigSpace
    {
        private const ushort AddressPort = 0xCF8, DataPort = 0xCFC;

        /// <summary>True when the address port holds what is written to it (the mechanism is there).</summary>
        public static bool Probe()
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            uint saved = Cpu.InDword(AddressPort);
            Cpu.OutDword(AddressPort, 0x80000000);
            bool present = Cpu.InDword(AddressPort) == 0x80000000;
            Cpu.OutDword(AddressPort, saved);
            Cpu.RestoreInterrupts(flags);
            return present;
        }

        public uint Read32(int bus, int device, int function, int offset)
        {
            if (offset > 0xFC)
                return 0xFFFFFFFF;
            ulong flags = Cpu.SaveAndDisableInterrupts();   // the address/data pair must not be split
            Cpu.OutDword(AddressPort, Address(bus, device, function, offset));
            uint value = Cpu.InDword(DataPort);
            Cpu.RestoreInterrupts(flags);
            return value;
        }

        public void Write32(int bus, int device, int function, int offset, uint value)
        {
            if (offset > 0xFC)
                return;
            ulong flags = Cpu.SaveAndDisableInterrupts();
            Cpu.OutDword(AddressPort, Address(bus, device, function, offset));
            Cpu.OutDword(DataPort, value);
            Cpu.RestoreInterrupts(flags);
        }

        private static uint Address(int bus, int device, int function, int offset) =>
            0x80000000u | (uint)bus << 16 | (uint)device << 11 | (uint)function << 8 | (uint)(offset & 0xFC);
    }
}
