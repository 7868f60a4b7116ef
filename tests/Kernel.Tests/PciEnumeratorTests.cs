// PciEnumeratorTests.cs -- the PCI enumerator against a simulated configuration space: functions behind bridges,
// multi-function devices, BAR sizing as hardware answers it (I/O, 32-bit, 64-bit, unimplemented), capabilities,
// hostile bridges (loops, bus numbers going backwards) and capability lists; and the MCFG parser on good and bad tables.
using Drivers.Pci;

namespace Kernel.Tests;

public class PciEnumeratorTests
{
    // A function's registers; BAR sizing behaves as hardware does: the writable address bits are those the size allows.
    private sealed class SimFunction
    {
        public readonly uint[] Registers = new uint[1024];
        public readonly ulong[] BarSizes = new ulong[6];   // 0: unimplemented; the upper half of a 64-bit BAR: 0
        public readonly bool[] BarIsIo = new bool[6];
        public readonly bool[] Bar64 = new bool[6];
        public int CommandWritesWhileDecoding;              // a BAR written with decoding on (the sizing must not)
    }

    private sealed class SimBus : IPciConfigSpace
    {
        public readonly Dictionary<(int, int, int), SimFunction> Functions = new();

        public SimFunction Add(int bus, int device, int function, ushort vendor, ushort deviceId, byte cls, byte sub, byte header = 0, bool multi = false)
        {
            var f = new SimFunction();
            f.Registers[0] = (uint)(deviceId << 16 | vendor);
            f.Registers[2] = (uint)(cls << 24 | sub << 16);
            f.Registers[3] = (uint)((header | (multi ? 0x80 : 0)) << 16);
            f.Registers[1] = 0x0007;   // decoding and bus mastering on, as firmware leaves it
            Functions[(bus, device, function)] = f;
            return f;
        }

        public void Bar(SimFunction f, int index, ulong address, ulong size, bool io = false, bool is64 = false, bool prefetch = false)
        {
            f.BarSizes[index] = size;
            f.BarIsIo[index] = io;
            f.Bar64[index] = is64;
            uint low = io ? (uint)address | 1 : (uint)address | (is64 ? 4u : 0) | (prefetch ? 8u : 0);
            f.Registers[4 + index] = low;
            if (is64)
                f.Registers[5 + index] = (uint)(address >> 32);
        }

        public uint Read32(int bus, int device, int function, int offset) =>
            Functions.TryGetValue((bus, device, function), out SimFunction f) ? f.Registers[offset / 4] : 0xFFFFFFFF;

        public void Write32(int bus, int device, int function, int offset, uint value)
        {
            if (!Functions.TryGetValue((bus, device, function), out SimFunction f))
                return;
            int r = offset / 4;
            if (r >= 4 && r <= 9)
            {
                int i = r - 4;
                if ((f.Registers[1] & 3) != 0)
                    f.CommandWritesWhileDecoding++;
                bool upperHalf = i > 0 && f.Bar64[i - 1];
                if (upperHalf)
                {
                    ulong size = f.BarSizes[i - 1];
                    f.Registers[r] = value & (uint)(~(size - 1) >> 32);
                    return;
                }
                ulong s = f.BarSizes[i];
                if (s == 0)
                {
                    f.Registers[r] = 0;
                    return;
                }
                uint flags = f.Registers[r] & (f.BarIsIo[i] ? 0x3u : 0xFu);
                f.Registers[r] = (value & (uint)~(s - 1) & (f.BarIsIo[i] ? 0xFFFFFFFCu : 0xFFFFFFF0u)) | flags;
                return;
            }
            if (r == 1)
            {
                f.Registers[1] = (f.Registers[1] & 0xFFFF0000) | (value & 0xFFFF);
                return;
            }
            f.Registers[r] = value;
        }
    }

    [Fact]
    public void FindsFunctionsBehindBridges_MultiFunctionDevices_AndSizesEveryKindOfBar()
    {
        var bus = new SimBus();
        bus.Add(0, 0, 0, 0x8086, 0x29C0, 0x06, 0x00);
        bus.Add(0, 0x1F, 0, 0x8086, 0x2918, 0x06, 0x01, multi: true);
        var sata = bus.Add(0, 0x1F, 2, 0x8086, 0x2922, 0x01, 0x06);
        bus.Bar(sata, 4, 0xD060, 0x20, io: true);
        bus.Bar(sata, 5, 0xFEA96000, 0x1000);
        var bridge = bus.Add(0, 5, 0, 0x1B36, 0x0001, 0x06, 0x04, header: 1);
        bridge.Registers[6] = 0x00010100;   // primary 0, secondary 1, subordinate 1
        var nvme = bus.Add(1, 3, 0, 0x1B36, 0x0010, 0x01, 0x08);
        bus.Bar(nvme, 0, 0x8_0000_0000, 0x4000, is64: true, prefetch: true);
        bus.Bar(nvme, 2, 0xFE800000, 0x1000);

        List<PciFunction> found = PciEnumerator.Scan(bus);

        Assert.Equal(["00:00.0", "00:05.0", "00:1f.0", "00:1f.2", "01:03.0"], found.Select(Name).Order());
        PciFunction s = found.Single(f => f.DeviceId == 0x2922);
        Assert.Equal((0x01, 0x06), (s.ClassCode, s.Subclass));
        Assert.Equal(new PciBar { IsIo = true, Address = 0xD060, Size = 0x20 }, s.Bars[4]);
        Assert.Equal(new PciBar { Address = 0xFEA96000, Size = 0x1000 }, s.Bars[5]);
        Assert.All(s.Bars.Take(4), b => Assert.Equal(0UL, b.Size));
        PciFunction n = found.Single(f => f.DeviceId == 0x0010);
        Assert.Equal(new PciBar { Address = 0x8_0000_0000, Size = 0x4000, Is64Bit = true, Prefetchable = true }, n.Bars[0]);
        Assert.Equal(0UL, n.Bars[1].Size);   // the upper half of BAR0
        Assert.Equal(new PciBar { Address = 0xFE800000, Size = 0x1000 }, n.Bars[2]);
        PciFunction b = found.Single(f => f.IsBridge);
        Assert.Equal((1, 1), (b.SecondaryBus, b.SubordinateBus));
        // Sizing left every register as it found it, and never wrote a BAR while the function decoded addresses.
        Assert.Equal(0xFEA96000u, sata.Registers[9]);
        Assert.Equal(0x0007u, sata.Registers[1] & 0xFFFF);
        Assert.Equal(0, sata.CommandWritesWhileDecoding + nvme.CommandWritesWhileDecoding);
        Assert.Equal(0x8_0000_0000UL, (ulong)nvme.Registers[5] << 32 | (nvme.Registers[4] & 0xFFFFFFF0));
        Assert.Single(found, f => f.DeviceId == 0x2918 && f.Function == 0 && f.Device == 0x1F);
    }

    [Fact]
    public void OnlyFunctionZeroIsScanned_WhenTheDeviceIsNotMultiFunction()
    {
        var bus = new SimBus();
        bus.Add(0, 2, 0, 0x1234, 0x1111, 0x03, 0x00);
        bus.Add(0, 2, 3, 0x1234, 0x2222, 0x03, 0x80);   // a phantom: real single-function devices answer on all eight
        Assert.Equal(["00:02.0"], PciEnumerator.Scan(bus).Select(Name));
    }

    [Fact]
    public void HostileBridges_AreNotFollowedIntoLoopsOrBackwards_AndCapabilityLoopsEnd()
    {
        var bus = new SimBus();
        var b1 = bus.Add(0, 1, 0, 0x1B36, 1, 0x06, 0x04, header: 1);
        b1.Registers[6] = 0x00020200;   // -> bus 2
        var b2 = bus.Add(2, 0, 0, 0x1B36, 1, 0x06, 0x04, header: 1);
        b2.Registers[6] = 0x00000002;   // -> bus 0 (backwards: a loop)
        var b3 = bus.Add(2, 1, 0, 0x1B36, 1, 0x06, 0x04, header: 1);
        b3.Registers[6] = 0x00020202;   // -> bus 2 again
        var looped = bus.Add(2, 2, 0, 0x1AF4, 0x1041, 0x02, 0x00);
        looped.Registers[1] |= 0x10u << 16;   // has a capability list...
        looped.Registers[0x34 / 4] = 0x40;
        looped.Registers[0x40 / 4] = 0x5011;  // MSI-X, next 0x50
        looped.Registers[0x50 / 4] = 0x4005;  // MSI, next 0x40: a loop
        List<PciFunction> found = PciEnumerator.Scan(bus);
        Assert.Equal(["00:01.0", "02:00.0", "02:01.0", "02:02.0"], found.Select(Name).Order());
        PciFunction nic = found.Single(f => f.DeviceId == 0x1041);
        Assert.True(nic.HasMsi && nic.HasMsiX);
        Assert.Equal((0x50, 0x40), (nic.MsiOffset, nic.MsiXOffset));   // where MessageInterrupts programs them
    }

    [Fact]
    public void Mcfg_FindsSegmentZero_AndRefusesHostileEntries()
    {
        static byte[] Table(params (ulong Base, ushort Segment, byte Start, byte End)[] entries)
        {
            var t = new byte[Mcfg.EntriesOffset + entries.Length * Mcfg.EntryLength];
            BitConverter.GetBytes((uint)t.Length).CopyTo(t, 4);
            for (int i = 0; i < entries.Length; i++)
            {
                int at = Mcfg.EntriesOffset + i * Mcfg.EntryLength;
                BitConverter.GetBytes(entries[i].Base).CopyTo(t, at);
                BitConverter.GetBytes(entries[i].Segment).CopyTo(t, at + 8);
                t[at + 10] = entries[i].Start;
                t[at + 11] = entries[i].End;
            }
            return t;
        }
        const ulong reach = 1UL << 46;
        Assert.True(Mcfg.TryFindSegmentZero(Table((0xB0000000, 0, 0, 255)), reach, out EcamWindow q35));
        Assert.Equal((0xB0000000UL, (byte)0, (byte)255), (q35.Base, q35.StartBus, q35.EndBus));
        // Another segment, end before start, an unaligned base, beyond reach: all refused; a good one after them is used.
        byte[] mixed = Table((0xC0000000, 1, 0, 255), (0xC0000000, 0, 9, 3), (0xC0001000, 0, 0, 1), (reach - (1 << 20), 0, 0, 7), (0xE0000000, 0, 0, 63));
        Assert.True(Mcfg.TryFindSegmentZero(mixed, reach, out EcamWindow good));
        Assert.Equal(0xE0000000UL, good.Base);
        Assert.False(Mcfg.TryFindSegmentZero(Table((0xC0000000, 1, 0, 255)), reach, out _));
        Assert.False(Mcfg.TryFindSegmentZero(new byte[20], reach, out _));
        // A declared length past the buffer is clamped: a truncated table yields only whole entries.
        byte[] truncated = Table((0xB0000000, 0, 0, 255))[..(Mcfg.EntriesOffset + 10)];
        Assert.False(Mcfg.TryFindSegmentZero(truncated, reach, out _));
    }

    private static string Name(PciFunction f) => $"{f.Bus:x2}:{f.Device:x2}.{f.Function}";
}
