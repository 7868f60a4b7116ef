// FrameLivenessCache.cs -- the live slots at a return address, remembered across collections. The GC info is
// immutable and a return address names one method and one offset, so what the decoder said once for an IP holds
// forever; the stacks of blocked worlds sit at the same few return addresses collection after collection (the
// scheduler, waits, the shell's loop), and looking them up here saves decoding their GC info again.
//
// Direct-mapped by IP, fixed size, in static memory: nothing is allocated, a collision just replaces the entry.
// Only frames stopped at calls with at most MaxSlots live slots are kept (anything else is decoded every time).
namespace Internal.Runtime.GcInfo
{
    internal static unsafe class FrameLivenessCache
    {
        public const int MaxSlots = 12;
        private const int Entries = 256;

        private struct Table
        {
            public fixed ulong Ip[Entries];
            public fixed byte Count[Entries];
            public fixed sbyte FrameRegister[Entries];
            public fixed ulong Slots[Entries * MaxSlots];
        }

        private static Table s_table;

        /// <summary>Live slots as the decoder reported them for one frame, to be stored after a trusted decode.</summary>
        public struct Recording
        {
            public fixed ulong Slots[MaxSlots];
            public int Count;
            public bool Overflowed;

            public void Add(GcSlot* slot)
            {
                if (Count == MaxSlots)
                {
                    Overflowed = true;
                    return;
                }
                Slots[Count++] = Pack(slot);
            }
        }

        public static ulong Hits, Misses;

        private static int IndexOf(ulong ip) => (int)((ip ^ (ip >> 8) ^ (ip >> 16)) & (Entries - 1));

        /// <summary>The entry for <paramref name="ip"/> and the frame register (DWARF number, -1 for none) it was
        /// recorded with; false when it is not cached.</summary>
        public static bool TryFind(ulong ip, out int entry, out int frameRegister)
        {
            entry = IndexOf(ip);
            frameRegister = s_table.FrameRegister[entry];
            if (s_table.Ip[entry] == ip && ip != 0)
            {
                Hits++;
                return true;
            }
            Misses++;
            return false;
        }

        /// <summary>Reports the slots of a cached entry, in the order the decoder reported them.</summary>
        public static void Replay(int entry, void* context, delegate*<void*, GcSlot*, void> report)
        {
            int count = s_table.Count[entry];
            for (int i = 0; i < count; i++)
            {
                GcSlot slot = Unpack(s_table.Slots[entry * MaxSlots + i]);
                report(context, &slot);
            }
        }

        public static void Store(ulong ip, int frameRegister, Recording* recording)
        {
            if (recording->Overflowed)
                return;
            int entry = IndexOf(ip);
            s_table.Ip[entry] = 0;                     // invalid while half written
            for (int i = 0; i < recording->Count; i++)
                s_table.Slots[entry * MaxSlots + i] = recording->Slots[i];
            s_table.Count[entry] = (byte)recording->Count;
            s_table.FrameRegister[entry] = (sbyte)frameRegister;
            s_table.Ip[entry] = ip;
        }

        // bits 0-31 offset, 32-39 register, 40-41 base, 42 register slot, 43 untracked, 44-45 flags
        private static ulong Pack(GcSlot* slot)
            => (uint)slot->Offset | (ulong)slot->Register << 32 | (ulong)slot->Base << 40
               | (slot->IsRegister ? 1UL << 42 : 0) | (slot->IsUntracked ? 1UL << 43 : 0) | (ulong)(slot->Flags & 3) << 44;

        private static GcSlot Unpack(ulong packed)
        {
            GcSlot slot = default;
            slot.Offset = (int)(uint)packed;
            slot.Register = (byte)(packed >> 32);
            slot.Base = (GcStackBase)((packed >> 40) & 3);
            slot.IsRegister = ((packed >> 42) & 1) != 0;
            slot.IsUntracked = ((packed >> 43) & 1) != 0;
            slot.Flags = (byte)((packed >> 44) & 3);
            return slot;
        }
    }
}
