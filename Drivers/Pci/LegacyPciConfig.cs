// LegacyPciConfig.cs -- configuration mechanism #1: the address (enable bit, bus, device, function, register) goes
// to port 0xCF8 and the dword comes and goes through 0xCFC. Every PC has it; it reaches the first 256 bytes only.
using Internal.Runtime;
using Kernel.Arch;

namespace Drivers.Pci
{
    public sealed class LegacyPciConfig : IPciConfigSpace
    {
        // Guards the 0xCF8 address / 0xCFC data pair: another CPU's access between the two would read the wrong register.
        private static KernelLock s_lock;

        private const ushort AddressPort = 0xCF8, DataPort = 0xCFC;

        /// <summary>True when the address port holds what is written to it (the mechanism is there).</summary>
        public static bool Probe()
        {
            ulong flags = s_lock.Enter(LockRank.Pci);
            uint saved = Cpu.InDword(AddressPort);
            Cpu.OutDword(AddressPort, 0x80000000);
            bool present = Cpu.InDword(AddressPort) == 0x80000000;
            Cpu.OutDword(AddressPort, saved);
            s_lock.Exit(flags);
            return present;
        }

        public uint Read32(int bus, int device, int function, int offset)
        {
            if (offset > 0xFC)
                return 0xFFFFFFFF;
            ulong flags = s_lock.Enter(LockRank.Pci);   // the address/data pair must not be split
            Cpu.OutDword(AddressPort, Address(bus, device, function, offset));
            uint value = Cpu.InDword(DataPort);
            s_lock.Exit(flags);
            return value;
        }

        public void Write32(int bus, int device, int function, int offset, uint value)
        {
            if (offset > 0xFC)
                return;
            ulong flags = s_lock.Enter(LockRank.Pci);
            Cpu.OutDword(AddressPort, Address(bus, device, function, offset));
            Cpu.OutDword(DataPort, value);
            s_lock.Exit(flags);
        }

        private static uint Address(int bus, int device, int function, int offset) =>
            0x80000000u | (uint)bus << 16 | (uint)device << 11 | (uint)function << 8 | (uint)(offset & 0xFC);
    }
}
