// CacheHint.cs -- software prefetch, for walks whose next address the hardware prefetcher cannot predict.

using System.Runtime.Intrinsics.X86;

namespace VisorFs;

/// <summary>
/// A hint that a cache line will be read soon. On x86 it is PREFETCHT0 in both builds (the kernel's core library
/// declares the same <c>Sse</c> intrinsic, which ILC expands inline); elsewhere it does nothing. A prefetch never
/// faults and retires at once, unlike an ordinary load, which would hold up the instructions behind it until the
/// line arrives.
/// </summary>
internal static class CacheHint
{
    public const int LineSize = 64;

    public static unsafe void Prefetch(void* address)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(address);
        }
    }
}
