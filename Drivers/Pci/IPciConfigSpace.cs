// IPciConfigSpace.cs -- reading and writing PCI configuration space, whatever the mechanism (ECAM memory or the
// legacy 0xCF8/0xCFC ports). The enumerator only sees this, so it runs on the host against a simulated bus.
namespace Drivers.Pci
{
    public interface IPciConfigSpace
    {
        /// <summary>The aligned dword at <paramref name="offset"/> (0-4092; 0-252 for the legacy ports) of a function.</summary>
        uint Read32(int bus, int device, int function, int offset);

        void Write32(int bus, int device, int function, int offset, uint value);
    }
}
