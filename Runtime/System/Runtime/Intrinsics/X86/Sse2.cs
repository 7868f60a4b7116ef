// Sse2.cs -- the SSE2 integer instructions ILC expands inline (the BCL's System.Runtime.Intrinsics.X86.Sse2 shape).
// SSE2 is part of the x86-64 baseline, so IsSupported folds to true and no fallback is ever compiled in the kernel.
// Each body calls itself: ILC replaces the call with the instruction, exactly as for the BCL's declarations.
using System.Runtime.CompilerServices;

namespace System.Runtime.Intrinsics.X86
{
    [Intrinsic]
    public abstract class Sse2 : Sse
    {
        public static new bool IsSupported
        {
            [Intrinsic]
            get => IsSupported;
        }

        /// <summary>MOVDQU: 16 bytes from any address.</summary>
        [Intrinsic]
        public static unsafe Vector128<byte> LoadVector128(byte* address) => LoadVector128(address);

        /// <summary>PSADBW: the sums of absolute differences of each 8-byte half (against zero: the byte sums).</summary>
        [Intrinsic]
        public static Vector128<ushort> SumAbsoluteDifferences(Vector128<byte> left, Vector128<byte> right) => SumAbsoluteDifferences(left, right);

        /// <summary>PADDW: lane-wise 16-bit addition, wrapping.</summary>
        [Intrinsic]
        public static Vector128<ushort> Add(Vector128<ushort> left, Vector128<ushort> right) => Add(left, right);

        /// <summary>PADDB: lane-wise 8-bit addition, wrapping.</summary>
        [Intrinsic]
        public static Vector128<byte> Add(Vector128<byte> left, Vector128<byte> right) => Add(left, right);

        /// <summary>MOVDQU: 16 bytes to any address.</summary>
        [Intrinsic]
        public static unsafe void Store(byte* address, Vector128<byte> source) => Store(address, source);

        /// <summary>PEXTRW: one 16-bit lane.</summary>
        [Intrinsic]
        public static ushort Extract(Vector128<ushort> value, byte index) => Extract(value, index);

        /// <summary>PCMPEQB: 0xFF in each byte lane where the two are equal, else 0.</summary>
        [Intrinsic]
        public static Vector128<byte> CompareEqual(Vector128<byte> left, Vector128<byte> right) => CompareEqual(left, right);

        /// <summary>PMOVMSKB: the top bit of each byte lane, as a 16-bit mask.</summary>
        [Intrinsic]
        public static int MoveMask(Vector128<byte> value) => MoveMask(value);
    }
}
