// EcamPciConfig.cs -- PCI Express enhanced configuration access: each function's 4 KiB of config space is memory at
// base + (bus - start) << 20 | device << 15 | function << 12, mapped uncached. A bus's 1 MiB is mapped the first
// time it is touched, so a 256-bus window does not cost 512 KiB of page tables up front. Each access is one aligned
// 32-bit load or store through a pointer computed per call, so the compiler can neither merge nor drop it.
using Kernel.Memory;

namespace Drivers.Pci
{
    public sealed unsafe class EcamPciConfig : IPciConfigSpace
    {
        private readonly EcamWindow _window;
        private readonly bool[] _mapped = new bool[256];

        public EcamPciConfig(EcamWindow window)
        {
            _window = window;
        }

        public EcamWindow Window => _window;

        public uint Read32(int bus, int device, int function, int offset)
        {
            uint* register = Register(bus, device, function, offset);
            return register == null ? 0xFFFFFFFF : *register;
        }

        public void Write32(int bus, int device, int function, int offset, uint value)
        {
            uint* register = Register(bus, device, function, offset);
            if (register != null)
                *register = value;
        }

        private uint* Register(int bus, int device, int function, int offset)
        {
            if (bus < _window.StartBus || bus > _window.EndBus || (uint)device > 31 || (uint)function > 7 || (uint)offset > 0xFFC)
                return null;
            ulong busBase = _window.Base + ((ulong)(bus - _window.StartBus) << 20);
            if (!_mapped[bus])
            {
                Paging.MapDevice(busBase, 1UL << 20);
                _mapped[bus] = true;
            }
            return (uint*)DirectMap.Pointer(busBase + ((uint)device << 15 | (uint)function << 12 | (uint)(offset & 0xFFC)));
        }
    }
}
