// Madt.cs -- the ACPI MADT ("APIC"): which processors exist (their local APIC or x2APIC IDs), where the local APICs
// and the IOAPICs are, how the ISA IRQs map onto global system interrupts (GSIs), and where NMIs come in.
//
// Layout (ACPI 6.x, 5.2.12): the 36-byte header, local APIC address u32 [36], flags u32 [40] (bit 0: the machine
// also has 8259 PICs), then variable-length entries: type u8 [0], length u8 [1], ...
//   0 processor local APIC (8):      ACPI UID u8 [2], APIC ID u8 [3], flags u32 [4] (bit 0 enabled, bit 1 online capable)
//   1 IOAPIC (12):                   IOAPIC ID u8 [2], address u32 [4], GSI base u32 [8]
//   2 interrupt source override (10): bus u8 [2] (0 = ISA), source IRQ u8 [3], GSI u32 [4], MPS flags u16 [8]
//   3 NMI source (8):                MPS flags u16 [2], GSI u32 [4]
//   4 local APIC NMI (6):            ACPI UID u8 [2] (0xFF = all), MPS flags u16 [3], LINT# u8 [5]
//   5 local APIC address override (12): address u64 [4]
//   9 processor local x2APIC (16):   x2APIC ID u32 [4], flags u32 [8], ACPI UID u32 [12]
//  10 local x2APIC NMI (12):         MPS flags u16 [2], ACPI UID u32 [4] (0xFFFFFFFF = all), LINT# u8 [8]
// MPS flags: polarity bits 0-1 (0 bus default, 1 active high, 3 active low), trigger bits 2-3 (0 bus default,
// 1 edge, 3 level).
//
// Firmware tables are hostile input: an entry shorter than its type needs, or one that runs past the table, is
// rejected (and counted); a zero-length entry ends the walk (it could never advance); duplicate APIC IDs, a second
// override for the same ISA IRQ and processors that can never run are dropped; every count is bounded. Pure logic
// over a span, so the host tests run it on hand-built and random tables.
using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace Drivers.Acpi
{
    public enum Polarity : byte { BusDefault = 0, ActiveHigh = 1, Reserved = 2, ActiveLow = 3 }

    public enum Trigger : byte { BusDefault = 0, Edge = 1, Reserved = 2, Level = 3 }

    public struct MadtProcessor
    {
        public uint ApicId;
        public uint AcpiUid;
        public bool Enabled;        // usable now; else only OnlineCapable (hot-add) processors
        public bool X2Apic;         // from a type 9 entry (its ID may not fit 8 bits)
    }

    public struct MadtIoApic
    {
        public byte Id;
        public ulong Address;
        public uint GsiBase;
    }

    public struct MadtOverride
    {
        public byte IsaIrq;
        public uint Gsi;
        public Polarity Polarity;
        public Trigger Trigger;
    }

    public struct MadtNmiSource
    {
        public uint Gsi;
        public Polarity Polarity;
        public Trigger Trigger;
    }

    public struct MadtLocalNmi
    {
        public uint AcpiUid;        // AllProcessors for every CPU
        public byte Lint;           // 0 or 1
        public Polarity Polarity;
        public Trigger Trigger;
    }

    public sealed class Madt
    {
        public const int EntriesOffset = 44;
        public const uint AllProcessors = 0xFFFFFFFF;
        public const int MaxProcessors = 256;
        public const int MaxIoApics = 16;
        public const int MaxNmiEntries = 32;
        private const ushort ByteAllUids = 0xFF;

        public ulong LocalApicAddress;
        public bool HasLegacyPics;
        public readonly List<MadtProcessor> Processors = new List<MadtProcessor>();
        public readonly List<MadtIoApic> IoApics = new List<MadtIoApic>();
        public readonly List<MadtOverride> Overrides = new List<MadtOverride>();
        public readonly List<MadtNmiSource> NmiSources = new List<MadtNmiSource>();
        public readonly List<MadtLocalNmi> LocalNmis = new List<MadtLocalNmi>();
        /// <summary>Entries refused as malformed, duplicate or beyond a bound (the boot log reports the count).</summary>
        public int Rejected;

        /// <summary>
        /// Parses a whole MADT (header included). Addresses at or above <paramref name="maxPhysical"/> are refused.
        /// Returns null when the table is too short to have the fixed part.
        /// </summary>
        public static Madt Parse(ReadOnlySpan<byte> table, ulong maxPhysical)
        {
            if (table.Length < EntriesOffset)
                return null;
            uint declared = U32(table, 4);
            int length = declared < (uint)table.Length ? (int)declared : table.Length;
            var madt = new Madt
            {
                LocalApicAddress = U32(table, 36),
                HasLegacyPics = (U32(table, 40) & 1) != 0,
            };
            ulong addressOverride = 0;
            int at = EntriesOffset;
            while (at + 2 <= length)
            {
                byte type = table[at];
                int entryLength = table[at + 1];
                if (entryLength < 2)
                {
                    madt.Rejected++;
                    break;
                }
                if (at + entryLength > length)
                {
                    madt.Rejected++;
                    break;
                }
                ReadOnlySpan<byte> e = table.Slice(at, entryLength);
                at += entryLength;
                bool accepted = type switch
                {
                    0 => e.Length >= 8 && madt.AddProcessor(e[3], e[2], U32(e, 4), false),
                    1 => e.Length >= 12 && madt.AddIoApic(e[2], U32(e, 4), U32(e, 8), maxPhysical),
                    2 => e.Length >= 10 && madt.AddOverride(e[2], e[3], U32(e, 4), U16(e, 8)),
                    3 => e.Length >= 8 && madt.AddNmiSource(U32(e, 4), U16(e, 2)),
                    4 => e.Length >= 6 && madt.AddLocalNmi(e[2] == ByteAllUids ? AllProcessors : e[2], e[5], U16(e, 3)),
                    5 => e.Length >= 12 && TakeAddressOverride(U64(e, 4), maxPhysical, ref addressOverride),
                    9 => e.Length >= 16 && madt.AddProcessor(U32(e, 4), U32(e, 12), U32(e, 8), true),
                    10 => e.Length >= 12 && madt.AddLocalNmi(U32(e, 4), e[8], U16(e, 2)),
                    _ => true,   // a type this kernel does not use (GIC, ...) is not an error
                };
                if (!accepted)
                    madt.Rejected++;
            }
            if (addressOverride != 0)
                madt.LocalApicAddress = addressOverride;
            if (madt.LocalApicAddress >= maxPhysical || (madt.LocalApicAddress & 0xFFF) != 0)
                madt.LocalApicAddress = 0;
            return madt;
        }

        /// <summary>The GSI, polarity and trigger an ISA IRQ arrives on: its override, else identity, edge, active high.</summary>
        public MadtOverride RouteOf(byte isaIrq)
        {
            foreach (MadtOverride o in Overrides)
                if (o.IsaIrq == isaIrq)
                    return o;
            return new MadtOverride { IsaIrq = isaIrq, Gsi = isaIrq, Polarity = Polarity.ActiveHigh, Trigger = Trigger.Edge };
        }

        public int EnabledProcessorCount
        {
            get
            {
                int n = 0;
                foreach (MadtProcessor p in Processors)
                    if (p.Enabled)
                        n++;
                return n;
            }
        }

        private bool AddProcessor(uint apicId, uint uid, uint flags, bool x2)
        {
            bool enabled = (flags & 1) != 0, onlineCapable = (flags & 2) != 0;
            // Neither: the processor is not there and never will be (firmware lists the socket's empty slots).
            // 0xFF is the xAPIC broadcast ID and 0xFFFFFFFF the x2APIC one: no processor has them.
            if (!enabled && !onlineCapable)
                return true;
            if ((!x2 && apicId == 0xFF) || apicId == 0xFFFFFFFF || Processors.Count >= MaxProcessors)
                return false;
            foreach (MadtProcessor p in Processors)
                if (p.ApicId == apicId)
                    return false;
            Processors.Add(new MadtProcessor { ApicId = apicId, AcpiUid = uid, Enabled = enabled, X2Apic = x2 });
            return true;
        }

        private bool AddIoApic(byte id, uint address, uint gsiBase, ulong maxPhysical)
        {
            // An IOAPIC's two registers are at +0 and +0x10 of a 1 KiB-aligned window on every chipset.
            if (address == 0 || (address & 0x3FF) != 0 || address >= maxPhysical || IoApics.Count >= MaxIoApics)
                return false;
            foreach (MadtIoApic io in IoApics)
                if (io.Id == id || io.Address == address)
                    return false;
            IoApics.Add(new MadtIoApic { Id = id, Address = address, GsiBase = gsiBase });
            return true;
        }

        private bool AddOverride(byte bus, byte source, uint gsi, ushort flags)
        {
            if (bus != 0 || source >= 16)
                return false;
            foreach (MadtOverride o in Overrides)
                if (o.IsaIrq == source)
                    return false;
            Overrides.Add(new MadtOverride { IsaIrq = source, Gsi = gsi, Polarity = (Polarity)(flags & 3), Trigger = (Trigger)((flags >> 2) & 3) });
            return true;
        }

        private bool AddNmiSource(uint gsi, ushort flags)
        {
            if (NmiSources.Count >= MaxNmiEntries)
                return false;
            NmiSources.Add(new MadtNmiSource { Gsi = gsi, Polarity = (Polarity)(flags & 3), Trigger = (Trigger)((flags >> 2) & 3) });
            return true;
        }

        private bool AddLocalNmi(uint uid, byte lint, ushort flags)
        {
            if (lint > 1 || LocalNmis.Count >= MaxNmiEntries)
                return false;
            LocalNmis.Add(new MadtLocalNmi { AcpiUid = uid, Lint = lint, Polarity = (Polarity)(flags & 3), Trigger = (Trigger)((flags >> 2) & 3) });
            return true;
        }

        private static bool TakeAddressOverride(ulong address, ulong maxPhysical, ref ulong into)
        {
            if (address == 0 || (address & 0xFFF) != 0 || address >= maxPhysical)
                return false;
            into = address;
            return true;
        }

        private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at));

        private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at));

        private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(at));
    }
}
