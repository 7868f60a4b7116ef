// MadtTests.cs -- the MADT parser on tables built byte by byte (a QEMU-like machine, x2APIC entries, NMI entries,
// the address override) and on hostile ones: truncated, zero-length and overlong entries, duplicates, out-of-range
// addresses; and a property test: random bytes never throw, never read past the span, and every result is in bounds.
using CsCheck;
using Drivers.Acpi;

namespace Kernel.Tests;

public class MadtTests
{
    private const ulong Reach = 1UL << 46;

    // A MADT: the 36-byte header (only the length matters to the parser), the local APIC address, flags, entries.
    private static byte[] Table(uint lapic, uint flags, params byte[][] entries)
    {
        var bytes = new List<byte>(new byte[36]);
        bytes.AddRange(BitConverter.GetBytes(lapic));
        bytes.AddRange(BitConverter.GetBytes(flags));
        foreach (byte[] e in entries)
            bytes.AddRange(e);
        byte[] t = bytes.ToArray();
        "APIC"u8.CopyTo(t);
        BitConverter.GetBytes((uint)t.Length).CopyTo(t, 4);
        return t;
    }

    private static byte[] Entry(byte type, int length, params (int At, object Value)[] fields)
    {
        var e = new byte[length];
        e[0] = type;
        e[1] = (byte)length;
        foreach (var (at, value) in fields)
        {
            byte[] v = value switch
            {
                byte b => [b],
                ushort s => BitConverter.GetBytes(s),
                uint u => BitConverter.GetBytes(u),
                ulong l => BitConverter.GetBytes(l),
                _ => throw new ArgumentException("field type"),
            };
            v.CopyTo(e, at);
        }
        return e;
    }

    private static byte[] Lapic(byte uid, byte apicId, uint flags = 1) => Entry(0, 8, (2, uid), (3, apicId), (4, flags));
    private static byte[] IoApic(byte id, uint address, uint gsiBase) => Entry(1, 12, (2, id), (4, address), (8, gsiBase));
    private static byte[] Override(byte source, uint gsi, ushort flags, byte bus = 0) => Entry(2, 10, (2, bus), (3, source), (4, gsi), (8, flags));
    private static byte[] X2Apic(uint id, uint uid, uint flags = 1) => Entry(9, 16, (4, id), (8, flags), (12, uid));

    [Fact]
    public void QemuLikeTable_GivesProcessorsIoApicAndOverrides()
    {
        // What QEMU's i440fx builds for -smp 4: four local APICs, one IOAPIC, IRQ0 -> GSI2 and the level-triggered
        // PCI IRQs 5, 9, 10, 11 active high, and a local APIC NMI on LINT1 for all processors.
        byte[] t = Table(0xFEE00000, 1,
            Lapic(0, 0), Lapic(1, 1), Lapic(2, 2), Lapic(3, 3),
            IoApic(0, 0xFEC00000, 0),
            Override(0, 2, 0),
            Override(5, 5, 0x0D), Override(9, 9, 0x0D), Override(10, 10, 0x0D), Override(11, 11, 0x0D),
            Entry(4, 6, (2, (byte)0xFF), (3, (ushort)0), (5, (byte)1)));
        Madt m = Madt.Parse(t, Reach);
        Assert.NotNull(m);
        Assert.Equal(0xFEE00000UL, m.LocalApicAddress);
        Assert.True(m.HasLegacyPics);
        Assert.Equal(new uint[] { 0, 1, 2, 3 }, m.Processors.Select(p => p.ApicId));
        Assert.All(m.Processors, p => Assert.True(p.Enabled && !p.X2Apic));
        Assert.Equal(4, m.EnabledProcessorCount);
        MadtIoApic io = Assert.Single(m.IoApics);
        Assert.Equal((0, 0xFEC00000UL, 0u), (io.Id, io.Address, io.GsiBase));
        Assert.Equal(5, m.Overrides.Count);
        MadtOverride timer = m.RouteOf(0);
        Assert.Equal((2u, Polarity.BusDefault, Trigger.BusDefault), (timer.Gsi, timer.Polarity, timer.Trigger));
        MadtOverride sci = m.RouteOf(9);
        Assert.Equal((9u, Polarity.ActiveHigh, Trigger.Level), (sci.Gsi, sci.Polarity, sci.Trigger));
        // No override: identity, edge, active high (ISA's default).
        MadtOverride com1 = m.RouteOf(4);
        Assert.Equal((4u, Polarity.ActiveHigh, Trigger.Edge), (com1.Gsi, com1.Polarity, com1.Trigger));
        MadtLocalNmi nmi = Assert.Single(m.LocalNmis);
        Assert.Equal((Madt.AllProcessors, (byte)1), (nmi.AcpiUid, nmi.Lint));
        Assert.Equal(0, m.Rejected);
    }

    [Fact]
    public void X2ApicEntries_NmiSources_AndTheAddressOverride()
    {
        byte[] t = Table(0xFEE00000, 0,
            X2Apic(0, 0), X2Apic(0x1_0000, 1), X2Apic(7, 2, flags: 2),   // the third only online-capable
            Entry(5, 12, (4, 0xFED00000UL)),
            Entry(3, 8, (2, (ushort)0x0F), (4, 23u)),
            Entry(10, 12, (2, (ushort)0x05), (4, 1u), (8, (byte)0)));
        Madt m = Madt.Parse(t, Reach);
        Assert.Equal(0xFED00000UL, m.LocalApicAddress);
        Assert.False(m.HasLegacyPics);
        Assert.Equal(new uint[] { 0, 0x1_0000, 7 }, m.Processors.Select(p => p.ApicId));
        Assert.Equal(new uint[] { 0, 1, 2 }, m.Processors.Select(p => p.AcpiUid));
        Assert.All(m.Processors, p => Assert.True(p.X2Apic));
        Assert.Equal(2, m.EnabledProcessorCount);
        MadtNmiSource source = Assert.Single(m.NmiSources);
        Assert.Equal((23u, Polarity.ActiveLow, Trigger.Level), (source.Gsi, source.Polarity, source.Trigger));
        MadtLocalNmi local = Assert.Single(m.LocalNmis);
        Assert.Equal((1u, (byte)0, Polarity.ActiveHigh, Trigger.Edge), (local.AcpiUid, local.Lint, local.Polarity, local.Trigger));
        Assert.Equal(0, m.Rejected);
    }

    [Fact]
    public void HostileEntries_AreRejected_AndTheRestKept()
    {
        byte[] t = Table(0xFEE00000, 1,
            Lapic(0, 0),
            Lapic(1, 0),                           // duplicate APIC ID
            Lapic(2, 0xFF),                        // the broadcast ID
            Lapic(3, 9, flags: 0),                 // absent: dropped without complaint
            Entry(0, 6),                           // too short for its type
            IoApic(0, 0xFEC00000, 0),
            IoApic(0, 0xFEC01000, 24),             // duplicate IOAPIC ID
            IoApic(1, 0xFEC00200, 24),             // not 1 KiB aligned
            IoApic(2, 0, 48),                      // no address
            Override(0, 2, 0),
            Override(0, 7, 0),                     // second override for IRQ 0
            Override(16, 16, 0),                   // not an ISA IRQ
            Override(3, 3, 0, bus: 1),             // not the ISA bus
            Entry(4, 6, (2, (byte)0xFF), (5, (byte)2)),   // LINT2 does not exist
            Entry(5, 12, (4, Reach)),              // override beyond reach: the header's address stays
            Entry(0x7F, 5),                        // unknown type: skipped, not an error
            Lapic(4, 4));
        Madt m = Madt.Parse(t, Reach);
        Assert.Equal(new uint[] { 0, 4 }, m.Processors.Select(p => p.ApicId));
        Assert.Equal(0xFEC00000UL, Assert.Single(m.IoApics).Address);
        Assert.Equal(2u, Assert.Single(m.Overrides).Gsi);
        Assert.Empty(m.LocalNmis);
        Assert.Equal(0xFEE00000UL, m.LocalApicAddress);
        Assert.Equal(11, m.Rejected);
    }

    [Fact]
    public void ZeroLengthOrOverlongEntry_EndsTheWalk_TruncatedTableIsBounded()
    {
        byte[] zero = Table(0xFEE00000, 0, Lapic(0, 0), [0, 0, 0, 0], Lapic(1, 1));
        Madt m = Madt.Parse(zero, Reach);
        Assert.Equal(new uint[] { 0 }, m.Processors.Select(p => p.ApicId));
        Assert.Equal(1, m.Rejected);

        byte[] overlong = Table(0xFEE00000, 0, Lapic(0, 0), Entry(1, 12));
        overlong[^11] = 200;   // the IOAPIC entry claims 200 bytes
        m = Madt.Parse(overlong, Reach);
        Assert.Single(m.Processors);
        Assert.Empty(m.IoApics);
        Assert.Equal(1, m.Rejected);

        // A declared length beyond the buffer is clamped to it; one below it hides the entries after it.
        byte[] full = Table(0xFEE00000, 0, Lapic(0, 0), Lapic(1, 1));
        Madt cut = Madt.Parse(full[..^3], Reach);
        Assert.Single(cut.Processors);
        Assert.Equal(1, cut.Rejected);
        BitConverter.GetBytes((uint)(Madt.EntriesOffset + 8)).CopyTo(full, 4);
        Assert.Single(Madt.Parse(full, Reach).Processors);
        Assert.Null(Madt.Parse(new byte[Madt.EntriesOffset - 1], Reach));
        // A local APIC address that is unaligned or beyond reach is no address.
        Assert.Equal(0UL, Madt.Parse(Table(0xFEE00010, 0), Reach).LocalApicAddress);
        Assert.Equal(0UL, Madt.Parse(Table(0xFEE00000, 0), 0xFEE00000).LocalApicAddress);
    }

    [Fact]
    public void ProcessorCount_IsBounded()
    {
        var entries = Enumerable.Range(0, Madt.MaxProcessors + 10).Select(i => X2Apic((uint)i, (uint)i)).ToArray();
        Madt m = Madt.Parse(Table(0xFEE00000, 0, entries), Reach);
        Assert.Equal(Madt.MaxProcessors, m.Processors.Count);
        Assert.Equal(10, m.Rejected);
    }

    [Fact]
    public void RandomTables_NeverThrow_AndStayInBounds()
    {
        // Random entries of the known types with random lengths and contents, and raw garbage after the header.
        Gen<byte[]> entry = Gen.Select(Gen.OneOf(new byte[] { 0, 1, 2, 3, 4, 5, 9, 10, 0x42 }), Gen.Byte[0, 20], Gen.Byte.Array[18],
            (type, length, body) => new byte[] { type, length }.Concat(body).ToArray()[..Math.Max(2, (int)length)]);
        Gen<byte[]> table = Gen.OneOf(
            entry.Array[0, 40].Select(es => Table(0xFEE00000, 1, es)),
            Gen.Byte.Array[0, 300]);
        table.Sample(t =>
        {
            Madt m = Madt.Parse(t, Reach);
            if (t.Length < Madt.EntriesOffset)
                return m == null;
            return m != null
                && m.Processors.Count <= Madt.MaxProcessors && m.IoApics.Count <= Madt.MaxIoApics
                && m.Overrides.Count <= 16 && m.Overrides.All(o => o.IsaIrq < 16)
                && m.Processors.Select(p => p.ApicId).Distinct().Count() == m.Processors.Count
                && m.IoApics.All(i => i.Address != 0 && i.Address < Reach && (i.Address & 0x3FF) == 0)
                && m.LocalNmis.All(n => n.Lint <= 1)
                && m.LocalApicAddress < Reach && (m.LocalApicAddress & 0xFFF) == 0;
        }, iter: 20_000);
    }
}
