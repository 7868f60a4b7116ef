// EHClauseTests.cs -- the EH clause decoder (Runtime/Internal/Runtime/ExceptionHandling/EHClause.cs) against an
// encoder written from ILC's (CorInfoImpl.RyuJit.cs EncodeEHInfo, ObjectDataBuilder.EmitCompressedUInt): every
// clause kind, every length of compressed number, and random clause lists round-trip.
using System.Runtime.InteropServices;
using CsCheck;
using Internal.Runtime.ExceptionHandling;

namespace Vmk.Kernel.Tests;

public sealed unsafe class EHClauseTests
{
    private sealed record Clause(EHClauseKind Kind, uint TryStart, uint TryLength, uint Handler, uint FilterOrType);

    // NativePrimitiveEncoder: 1 byte below 2^7, 2 below 2^14, 3 below 2^21, 4 below 2^28, else 0x0F and 4 bytes.
    private static void Compressed(List<byte> output, uint value)
    {
        if (value < 128)
            output.Add((byte)(value << 1));
        else if (value < 128 * 128)
            output.AddRange([(byte)((value << 2) | 1), (byte)(value >> 6)]);
        else if (value < 128 * 128 * 128)
            output.AddRange([(byte)((value << 3) | 3), (byte)(value >> 5), (byte)(value >> 13)]);
        else if (value < 128 * 128 * 128 * 128)
            output.AddRange([(byte)((value << 4) | 7), (byte)(value >> 4), (byte)(value >> 12), (byte)(value >> 20)]);
        else
        {
            output.Add(15);
            output.AddRange(BitConverter.GetBytes(value));
        }
    }

    // Typed clauses carry a 32-bit pointer to the catch type, relative to the field: the test's "types" are
    // offsets from the start of the block, turned into that form here.
    private static byte* Encode(IReadOnlyList<Clause> clauses, out int length)
    {
        var bytes = new List<byte>();
        Compressed(bytes, (uint)clauses.Count);
        foreach (var c in clauses)
        {
            Compressed(bytes, c.TryStart);
            Compressed(bytes, (c.TryLength << 2) | (uint)c.Kind);
            Compressed(bytes, c.Handler);
            if (c.Kind == EHClauseKind.Typed)
                bytes.AddRange(BitConverter.GetBytes((int)c.FilterOrType - bytes.Count));
            else if (c.Kind == EHClauseKind.Filter)
                Compressed(bytes, c.FilterOrType);
        }
        length = bytes.Count;
        byte* block = (byte*)NativeMemory.Alloc((nuint)bytes.Count);
        for (int i = 0; i < bytes.Count; i++)
            block[i] = bytes[i];
        return block;
    }

    private static List<EHClause> Decode(byte* info, ulong methodStart)
    {
        var iterator = new EHClauseIterator(info, methodStart);
        var result = new List<EHClause>();
        while (iterator.Next(out EHClause clause))
            result.Add(clause);
        return result;
    }

    private static void AssertRoundTrip(IReadOnlyList<Clause> clauses)
    {
        const ulong MethodStart = 0x100000;
        byte* info = Encode(clauses, out _);
        try
        {
            var decoded = Decode(info, MethodStart);
            Assert.Equal(clauses.Count, decoded.Count);
            for (int i = 0; i < clauses.Count; i++)
            {
                Clause c = clauses[i];
                EHClause d = decoded[i];
                Assert.Equal(c.Kind, d.Kind);
                Assert.Equal(c.TryStart, d.TryStartOffset);
                Assert.Equal(c.TryStart + c.TryLength, d.TryEndOffset);
                Assert.Equal(MethodStart + c.Handler, d.HandlerAddress);
                if (c.Kind == EHClauseKind.Typed)
                    Assert.Equal((ulong)(info + c.FilterOrType), (ulong)d.CatchType);
                if (c.Kind == EHClauseKind.Filter)
                    Assert.Equal(MethodStart + c.FilterOrType, d.FilterAddress);
            }
        }
        finally
        {
            NativeMemory.Free(info);
        }
    }

    [Fact]
    public void EveryKindAndEveryNumberLength()
    {
        AssertRoundTrip(
        [
            new(EHClauseKind.Typed, 0x10, 0x20, 0x90, 64),
            new(EHClauseKind.Fault, 127, 128, 16383, 0),
            new(EHClauseKind.Filter, 16384, 2097151, 2097152, 268435455),
            new(EHClauseKind.Fault, 0, 0, 0, 0),                  // ILC's separator between identical try ranges
            new(EHClauseKind.Typed, 268435456, 3, 0xFFFFFFF0, 8),
        ]);
    }

    [Fact]
    public void TryRegionsAreClosedAtTheStartAndOpenAtTheEnd()
    {
        byte* info = Encode([new Clause(EHClauseKind.Fault, 0x10, 0x20, 0x90, 0)], out _);
        try
        {
            EHClause clause = Decode(info, 0)[0];
            Assert.False(clause.TryContains(0x0F));
            Assert.True(clause.TryContains(0x10));
            Assert.True(clause.TryContains(0x2F));
            Assert.False(clause.TryContains(0x30));
        }
        finally
        {
            NativeMemory.Free(info);
        }
    }

    [Fact]
    public void NoEHInfoMeansNoClauses()
    {
        var iterator = new EHClauseIterator(null, 0);
        Assert.Equal(0u, iterator.Count);
        Assert.False(iterator.Next(out _));
    }

    [Fact]
    public void RandomClauseListsRoundTrip()
    {
        var number = Gen.OneOf(Gen.UInt[0, 127], Gen.UInt[128, 1u << 14], Gen.UInt[1u << 14, 1u << 21], Gen.UInt[1u << 21, 1u << 28], Gen.UInt[1u << 28, 1u << 29]);
        var clause = Gen.Select(Gen.Enum<EHClauseKind>(), number, Gen.UInt[0, 1u << 29], number, Gen.UInt[0, 4096],
            (kind, start, length, handler, extra) => new Clause(kind, start, length, handler, extra));
        clause.List[0, 12].Sample(list => AssertRoundTrip(list), iter: 2000);
    }
}
