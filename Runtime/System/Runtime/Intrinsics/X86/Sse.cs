// Sse.cs -- the SSE cache-control instructions ILC expands inline (the BCL's System.Runtime.Intrinsics.X86.Sse shape),
// so code shared with the host (VisorFs) can issue a software prefetch with the same call in both builds.
using System.Runtime.CompilerServices;

namespace System.Runtime.Intrinsics.X86
{
    [Intrinsic]
    public abstract class Sse
    {
        /// <summary>SSE is part of the x86-64 baseline ILC compiles for, so this folds to true.</summary>
        public static bool IsSupported
        {
            [Intrinsic]
            get => IsSupported;
        }

        /// <summary>PREFETCHT0: start loading the cache line at the address into every level; never faults.</summary>
        [Intrinsic]
        public static unsafe void Prefetch0(void* address) => Prefetch0(address);
    }
}
