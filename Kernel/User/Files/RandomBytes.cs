// RandomBytes.cs -- getrandom and /dev/urandom: splitmix64 over a state stirred with the TSC on every call. Varied
// enough for hash seeds, stack canaries and mktemp names; not for keys.
using System;

namespace Kernel.User
{
    public static class RandomBytes
    {
        private static ulong s_state = 0x853C49E6748FEA9BUL;

        public static void Fill(Span<byte> into)
        {
            ulong state = s_state ^ Arch.Cpu.ReadTimestampCounter();
            for (int i = 0; i < into.Length; i++)
            {
                state += 0x9E3779B97F4A7C15UL;
                ulong z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                into[i] = (byte)(z ^ (z >> 31));
            }
            s_state = state;
        }
    }
}
