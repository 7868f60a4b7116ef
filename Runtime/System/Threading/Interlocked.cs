// Interlocked.cs -- the BCL's atomic operations (same names and signatures), each one locked instruction in
// Kernel/Boot/cpu.asm: indivisible across CPUs and a full memory barrier, as .NET documents them.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace System.Threading
{
    public static class Interlocked
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_atomic_xadd32")]
        private static extern int ExchangeAdd(ref int location, int value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_atomic_xadd64")]
        private static extern long ExchangeAdd(ref long location, long value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_atomic_xchg32")]
        public static extern int Exchange(ref int location, int value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_atomic_xchg64")]
        public static extern long Exchange(ref long location, long value);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_atomic_cmpxchg32")]
        public static extern int CompareExchange(ref int location, int value, int comparand);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_atomic_cmpxchg64")]
        public static extern long CompareExchange(ref long location, long value, long comparand);

        public static int Add(ref int location, int value) => ExchangeAdd(ref location, value) + value;
        public static long Add(ref long location, long value) => ExchangeAdd(ref location, value) + value;
        public static int Increment(ref int location) => Add(ref location, 1);
        public static int Decrement(ref int location) => Add(ref location, -1);
        public static long Increment(ref long location) => Add(ref location, 1);
        public static long Decrement(ref long location) => Add(ref location, -1);
    }

    public static class Thread
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_pause")]
        private static extern void Pause();

        /// <summary>The spin-wait hint (PAUSE): frees the core's shared resources for its sibling thread.</summary>
        public static void SpinWait(int iterations)
        {
            for (int i = 0; i < iterations; i++)
                Pause();
        }
    }
}
