// MethodCache.cs -- PC -> (method information, FDE) for the frame iterator, remembered. Finding the FDE is a binary
// search of .eh_frame_hdr plus parsing the FDE and its CIE, and a stack walk meets the same return addresses again
// and again (a collection walks every blocked world's stack from the same few call sites each time). The image does
// not change, so an entry stays right until CodeMap registers another table (its Generation changes).
// Direct-mapped, static memory: nothing allocated, a collision replaces the entry.
namespace Internal.Runtime.Unwinding
{
    internal static unsafe class MethodCache
    {
        private const int Entries = 128;

        private struct Entry
        {
            public ulong Pc;
            public uint Generation;
            public byte* Fde;
            public MethodInfo Method;
        }

        private struct Table
        {
            public fixed byte Bytes[Entries * 96];
        }

        private static Table s_table;

        /// <summary>The method and FDE entry covering <paramref name="pc"/>; false if it is not managed code.</summary>
        public static bool TryFind(ulong pc, out MethodInfo method, out byte* fde)
        {
            if (sizeof(Entry) > 96)
                return Lookup(pc, out method, out fde);
            fixed (byte* bytes = s_table.Bytes)
            {
                Entry* entry = (Entry*)(bytes + (int)((pc ^ (pc >> 7) ^ (pc >> 14)) & (Entries - 1)) * 96);
                if (entry->Pc == pc && pc != 0 && entry->Generation == CodeMap.Generation)
                {
                    method = entry->Method;
                    fde = entry->Fde;
                    return true;
                }
                if (!Lookup(pc, out method, out fde))
                    return false;
                entry->Pc = 0;
                entry->Method = method;
                entry->Fde = fde;
                entry->Generation = CodeMap.Generation;
                entry->Pc = pc;
                return true;
            }
        }

        private static bool Lookup(ulong pc, out MethodInfo method, out byte* fde)
        {
            if (!CodeMap.TryFind(pc, out FrameDescription description))
            {
                method = default;
                fde = null;
                return false;
            }
            method = MethodInfo.From(ref description);
            fde = description.Entry;
            return true;
        }
    }
}
