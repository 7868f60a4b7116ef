// VirtioPciCapabilities.cs -- where a virtio 1.x PCI device keeps its structures: vendor-specific capabilities
// (ID 0x09) name a BAR, an offset and a length for the common configuration (cfg_type 1), the notification area
// (2, followed by notify_off_multiplier), the ISR byte (3) and the device-specific configuration (4).
// Virtio 1.2, 4.1.4: cap_vndr u8 @0, cap_next u8 @1, cap_len u8 @2, cfg_type u8 @3, bar u8 @4, id u8 @5, padding,
// offset u32 @8, length u32 @12, and for notify caps notify_off_multiplier u32 @16.
using Drivers.Pci;

namespace Drivers.Virtio
{
    public struct VirtioRegion
    {
        public int Bar;
        public uint Offset;
        public uint Length;
        public bool Found;
    }

    public struct VirtioPciCapabilities
    {
        public VirtioRegion Common, Notify, Isr, Device;
        public uint NotifyOffMultiplier;

        public bool Complete => Common.Found && Notify.Found && Device.Found;

        public static VirtioPciCapabilities Find(IPciConfigSpace config, PciFunction f)
        {
            var caps = new VirtioPciCapabilities();
            var offsets = new int[PciEnumerator.MaxCapabilities];
            int count = PciEnumerator.CapabilityOffsets(config, f, offsets);
            for (int c = 0; c < count; c++)
            {
                int pointer = offsets[c];
                uint header = config.Read32(f.Bus, f.Device, f.Function, pointer);
                if ((byte)header != 0x09)
                    continue;
                uint word1 = config.Read32(f.Bus, f.Device, f.Function, pointer + 4);
                var region = new VirtioRegion
                {
                    Bar = (int)(word1 & 0xFF),
                    Offset = config.Read32(f.Bus, f.Device, f.Function, pointer + 8),
                    Length = config.Read32(f.Bus, f.Device, f.Function, pointer + 12),
                    Found = true,
                };
                switch ((byte)(header >> 24))
                {
                    case 1: if (!caps.Common.Found) caps.Common = region; break;
                    case 2:
                        if (!caps.Notify.Found)
                        {
                            caps.Notify = region;
                            caps.NotifyOffMultiplier = config.Read32(f.Bus, f.Device, f.Function, pointer + 16);
                        }
                        break;
                    case 3: if (!caps.Isr.Found) caps.Isr = region; break;
                    case 4: if (!caps.Device.Found) caps.Device = region; break;
                }
            }
            return caps;
        }
    }
}
