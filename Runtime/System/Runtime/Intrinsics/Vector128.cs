// Vector128.cs -- the 128-bit SIMD value type, declared in the BCL's shape so ILC (RyuJIT) treats it as an XMM
// register value: an [Intrinsic] struct of 16 bytes named System.Runtime.Intrinsics.Vector128`1 in the core library.
// Operations on it are the Sse/Sse2 intrinsics next to it; it has no members of its own beyond what they need.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace System.Runtime.Intrinsics
{
    [Intrinsic]
    [StructLayout(LayoutKind.Sequential, Size = 16)]
    public readonly struct Vector128<T> where T : struct
    {
        // Two 8-byte fields give the type its 16 bytes and 8-byte alignment (ILC raises it to 16 for vectors).
        private readonly ulong _00;
        private readonly ulong _01;
    }
}
