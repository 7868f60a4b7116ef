// BitOperations.cs -- System.Numerics.BitOperations with the BCL's names. The JIT recognizes these methods and emits
// the instruction (tzcnt/bsf, lzcnt, popcnt) where the CPU has it; the bodies are the portable fallback it calls
// otherwise.
using System.Runtime.CompilerServices;

namespace System.Numerics
{
    public static class BitOperations
    {
        /// <summary>Zero bits below the lowest set bit; 64 for 0.</summary>
        [Intrinsic]
        public static int TrailingZeroCount(ulong value)
        {
            if (value == 0)
                return 64;
            int n = 0;
            if ((value & 0xFFFFFFFF) == 0) { n += 32; value >>= 32; }
            if ((value & 0xFFFF) == 0) { n += 16; value >>= 16; }
            if ((value & 0xFF) == 0) { n += 8; value >>= 8; }
            if ((value & 0xF) == 0) { n += 4; value >>= 4; }
            if ((value & 0x3) == 0) { n += 2; value >>= 2; }
            if ((value & 0x1) == 0) n += 1;
            return n;
        }
    }
}
