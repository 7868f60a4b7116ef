// Mcfg.cs -- the ACPI MCFG table: where each PCI segment's ECAM (memory-mapped configuration space) lives. Layout
// (PCI Firmware Specification 3.x): the 36-byte ACPI header, 8 reserved bytes, then 16-byte entries: base address
// u64, segment group u16, start bus u8, end bus u8, 4 reserved bytes. Bus b's space is at base + (b - start) << 20.
// Hostile input: entries with an end bus before the start bus, a base not 1 MiB aligned, or a window beyond the
// kernel's physical reach are dropped.
using System;
using System.Buffers.Binary;

namespace Drivers.Pci
{
    public struct EcamWindow
    {
        public ulong Base;
        public ushort Segment;
        public byte StartBus, EndBus;
    }

    public static class Mcfg
    {
        public const int EntriesOffset = 44;
        public const int EntryLength = 16;

        /// <summary>
        /// The usable ECAM window for segment 0 in <paramref name="table"/> (the whole MCFG, header included), if any.
        /// Addresses at or above <paramref name="maxPhysical"/> are refused.
        /// </summary>
        public static bool TryFindSegmentZero(ReadOnlySpan<byte> table, ulong maxPhysical, out EcamWindow window)
        {
            window = default;
            if (table.Length < EntriesOffset)
                return false;
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(table.Slice(4));
            int length = declared < (uint)table.Length ? (int)declared : table.Length;
            for (int at = EntriesOffset; at + EntryLength <= length; at += EntryLength)
            {
                var w = new EcamWindow
                {
                    Base = BinaryPrimitives.ReadUInt64LittleEndian(table.Slice(at)),
                    Segment = BinaryPrimitives.ReadUInt16LittleEndian(table.Slice(at + 8)),
                    StartBus = table[at + 10],
                    EndBus = table[at + 11],
                };
                if (w.Segment != 0 || w.EndBus < w.StartBus || (w.Base & 0xFFFFF) != 0 || w.Base == 0)
                    continue;
                ulong span = (ulong)(w.EndBus - w.StartBus + 1) << 20;
                if (w.Base >= maxPhysical || span > maxPhysical - w.Base)
                    continue;
                window = w;
                return true;
            }
            return false;
        }
    }
}
