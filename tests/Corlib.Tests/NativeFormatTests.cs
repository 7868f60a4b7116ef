// NativeFormatTests.cs -- the core library's reader of ILC's NativeFormat blobs (the generic virtual method tables):
// variable-length integers against an encoder written here from the format's description, on random values of
// every length, and a hashtable ILC 10 really wrote (the kernel's class GVM table, bytes from managed.o).
extern alias ours;
using CsCheck;
using NativeFormat = ours::Internal.Runtime.TypeLoader.NativeFormat;

namespace Corlib.Tests;

public unsafe class NativeFormatTests
{
    // Unsigned: 1 to 4 bytes with 1..4 low marker bits (0, 01, 011, 0111), or 0x0F and the value's 4 bytes.
    private static byte[] EncodeUnsigned(uint v)
    {
        if (v < 1u << 7) return [(byte)(v << 1)];
        if (v < 1u << 14) return [(byte)((v << 2) | 1), (byte)(v >> 6)];
        if (v < 1u << 21) return [(byte)((v << 3) | 3), (byte)(v >> 5), (byte)(v >> 13)];
        if (v < 1u << 28) return [(byte)((v << 4) | 7), (byte)(v >> 4), (byte)(v >> 12), (byte)(v >> 20)];
        return [0x0F, (byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];
    }

    private static byte[] EncodeSigned(int v)
    {
        if (v >= -(1 << 6) && v < 1 << 6) return [(byte)(v << 1)];
        if (v >= -(1 << 13) && v < 1 << 13) return [(byte)((v << 2) | 1), (byte)(v >> 6)];
        if (v >= -(1 << 20) && v < 1 << 20) return [(byte)((v << 3) | 3), (byte)(v >> 5), (byte)(v >> 13)];
        if (v >= -(1 << 27) && v < 1 << 27) return [(byte)((v << 4) | 7), (byte)(v >> 4), (byte)(v >> 12), (byte)(v >> 20)];
        return [0x0F, (byte)v, (byte)(v >> 8), (byte)(v >> 16), (byte)(v >> 24)];
    }

    private static readonly Gen<uint> AnyLength = Gen.OneOf(Gen.UInt[0, 127], Gen.UInt[128, 16383], Gen.UInt[16384, (1u << 21) - 1], Gen.UInt[1u << 21, (1u << 28) - 1], Gen.UInt);

    [Fact]
    public void UnsignedValuesOfEveryLengthDecodeAndAdvanceByTheirLength()
    {
        AnyLength.Sample(v =>
        {
            byte[] bytes = [.. EncodeUnsigned(v), 0xAA];
            fixed (byte* start = bytes)
            {
                byte* p = start;
                Assert.Equal(v, NativeFormat.DecodeUnsigned(ref p));
                Assert.Equal(bytes.Length - 1, (int)(p - start));
            }
        });
    }

    [Fact]
    public void SignedValuesOfEveryLengthDecodeAndAdvanceByTheirLength()
    {
        Gen.OneOf(Gen.Int[-64, 63], Gen.Int[-8192, 8191], Gen.Int[-(1 << 20), (1 << 20) - 1], Gen.Int[-(1 << 27), (1 << 27) - 1], Gen.Int).Sample(v =>
        {
            byte[] bytes = [.. EncodeSigned(v), 0x55];
            fixed (byte* start = bytes)
            {
                byte* p = start;
                Assert.Equal(v, NativeFormat.DecodeSigned(ref p));
                Assert.Equal(bytes.Length - 1, (int)(p - start));
            }
        });
    }

    [Theory]
    [InlineData(new byte[] { 0x6E }, 55u)]              // a common fixups index in the class GVM table
    [InlineData(new byte[] { 0x59, 0x04 }, 278u)]       // External(17): (17 << 4) | 6, an interface signature
    public void UnsignedExamplesFromTheKernelImage(byte[] bytes, uint expected)
    {
        Assert.NotEmpty(bytes);
        fixed (byte* start = bytes)
        {
            byte* p = start;
            Assert.Equal(expected, NativeFormat.DecodeUnsigned(ref p));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xB8 }, -36)]              // a bag's back reference to its dictionary layout
    [InlineData(new byte[] { 0xF1, 0xFE }, -68)]
    public void SignedExamplesFromTheKernelImage(byte[] bytes, int expected)
    {
        Assert.NotEmpty(bytes);
        fixed (byte* start = bytes)
        {
            byte* p = start;
            Assert.Equal(expected, NativeFormat.DecodeSigned(ref p));
        }
    }

    // The class GVM table ILC 10 wrote for the GVM self-tests' first version (47 bytes): one bucket, eight entries of
    // { declaring type, implementing type, 0, 0 } (indices into the common fixups table; Animal = 55, Dog = 56, ...).
    private static readonly byte[] ClassGvmTable =
    [
        0x00, 0x02, 0x12, 0x00, 0x1e, 0x00, 0x1a, 0x00, 0x26, 0x00, 0x2a, 0x00, 0x2e, 0x00, 0x3a, 0x17,
        0x2e, 0xbf, 0x0a, 0x6e, 0x6e, 0x00, 0x00, 0x6e, 0x70, 0x00, 0x00, 0x72, 0x72, 0x00, 0x00, 0x74,
        0x74, 0x00, 0x00, 0x76, 0x76, 0x00, 0x00, 0x76, 0x78, 0x00, 0x00, 0x7a, 0x7a, 0x00, 0x00,
    ];

    [Fact]
    public void TheHashtableEnumeratesEveryEntryOfARealTable()
    {
        var seen = new List<(uint, uint, uint, uint)>();
        fixed (byte* table = ClassGvmTable)
        {
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
                seen.Add((NativeFormat.DecodeUnsigned(ref p), NativeFormat.DecodeUnsigned(ref p), NativeFormat.DecodeUnsigned(ref p), NativeFormat.DecodeUnsigned(ref p)));
        }
        Assert.Equal(
            [(55u, 55u, 0u, 0u), (55u, 55u, 0u, 0u), (57u, 57u, 0u, 0u), (58u, 58u, 0u, 0u), (59u, 59u, 0u, 0u), (61u, 61u, 0u, 0u), (59u, 60u, 0u, 0u), (55u, 56u, 0u, 0u)],
            seen);
    }

    [Fact]
    public void AnEmptyHashtableHasNoEntries()
    {
        byte[] empty = [0x00, 0x02, 0x02];      // ILC's empty table: one bucket from offset 2 to offset 2
        fixed (byte* table = empty)
        {
            var entries = new NativeFormat.HashtableEntries(table);
            Assert.False(entries.Next(out _));
        }
    }
}
