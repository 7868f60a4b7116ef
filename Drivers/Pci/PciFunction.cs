// PciFunction.cs -- what enumeration learned about one PCI function: identity, class, bridge bus numbers, BARs
// (address, size, kind), the interrupt pin/line, whether it has MSI/MSI-X, and the driver that claimed it.
namespace Drivers.Pci
{
    public struct PciBar
    {
        public ulong Address;
        public ulong Size;          // 0: not implemented
        public bool IsIo;
        public bool Is64Bit;
        public bool Prefetchable;
    }

    public sealed class PciFunction
    {
        public int Bus, Device, Function;
        public ushort VendorId, DeviceId;
        public byte ClassCode, Subclass, ProgIf, Revision;
        public byte HeaderType;     // 0 device, 1 PCI-to-PCI bridge, 2 CardBus bridge (bit 7 masked off)
        public int SecondaryBus = -1, SubordinateBus = -1;
        public byte InterruptPin, InterruptLine;
        public bool HasMsi, HasMsiX;
        public int MsiOffset, MsiXOffset;   // config-space offsets of those capabilities (0: absent)
        public PciBar[] Bars;
        public string Driver;       // the driver that claimed it, or null

        public bool IsBridge => HeaderType == 1;
    }
}
