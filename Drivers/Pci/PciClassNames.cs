// PciClassNames.cs -- the PCI class/subclass names lspci prints (PCI Code and ID Assignment Specification), for the
// classes a PC or QEMU machine has; anything else prints as "Class XXYY".
namespace Drivers.Pci
{
    public static class PciClassNames
    {
        public static string Describe(byte classCode, byte subclass) => (classCode << 8 | subclass) switch
        {
            0x0000 => "Non-VGA unclassified device",
            0x0001 => "VGA compatible unclassified device",
            0x0100 => "SCSI storage controller",
            0x0101 => "IDE interface",
            0x0104 => "RAID bus controller",
            0x0105 => "ATA controller",
            0x0106 => "SATA controller",
            0x0107 => "Serial Attached SCSI controller",
            0x0108 => "Non-Volatile memory controller",
            0x0180 => "Mass storage controller",
            0x0200 => "Ethernet controller",
            0x0280 => "Network controller",
            0x0300 => "VGA compatible controller",
            0x0380 => "Display controller",
            0x0401 => "Multimedia audio controller",
            0x0403 => "Audio device",
            0x0500 => "RAM memory",
            0x0600 => "Host bridge",
            0x0601 => "ISA bridge",
            0x0604 => "PCI bridge",
            0x0680 => "Bridge",
            0x0700 => "Serial controller",
            0x0780 => "Communication controller",
            0x0800 => "PIC",
            0x0880 => "System peripheral",
            0x0C03 => "USB controller",
            0x0C05 => "SMBus",
            0x0D00 => "IRDA controller",
            0x1000 => "Network and computing encryption device",
            0x1080 => "Encryption controller",
            0x00FF => "Unassigned class",
            _ => null,
        };
    }
}
