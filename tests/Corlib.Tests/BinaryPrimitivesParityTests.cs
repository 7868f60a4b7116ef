// BinaryPrimitivesParityTests.cs -- the kernel's BinaryPrimitives (the same source, compiled for the host) against the
// BCL's on random bytes, offsets and lengths: every value read, every span written, and the exception type whenever
// the span is too short.
extern alias ours;
using CsCheck;
using Ours = ours::System.Buffers.Binary.BinaryPrimitives;
using Theirs = System.Buffers.Binary.BinaryPrimitives;

namespace Corlib.Tests;

public class BinaryPrimitivesParityTests
{
    private static readonly Gen<(byte[] Bytes, int Start)> Slices =
        Gen.Byte.Array[0, 12].SelectMany(b => Gen.Int[0, b.Length].Select(s => (b, s)));

    private static string Outcome(Func<object> read) => ParityOutcome.Of(read);

    [Fact]
    public void Reads_MatchTheBcl()
    {
        Slices.Sample(slice =>
        {
            ReadOnlySpan<byte> Span() => slice.Bytes.AsSpan(slice.Start);
            var pairs = new (Func<object> Mine, Func<object> Bcl)[]
            {
                (() => Ours.ReadUInt16LittleEndian(Span()), () => Theirs.ReadUInt16LittleEndian(Span())),
                (() => Ours.ReadUInt32LittleEndian(Span()), () => Theirs.ReadUInt32LittleEndian(Span())),
                (() => Ours.ReadUInt64LittleEndian(Span()), () => Theirs.ReadUInt64LittleEndian(Span())),
                (() => Ours.ReadInt16LittleEndian(Span()), () => Theirs.ReadInt16LittleEndian(Span())),
                (() => Ours.ReadInt32LittleEndian(Span()), () => Theirs.ReadInt32LittleEndian(Span())),
                (() => Ours.ReadInt64LittleEndian(Span()), () => Theirs.ReadInt64LittleEndian(Span())),
                (() => Ours.ReadUInt16BigEndian(Span()), () => Theirs.ReadUInt16BigEndian(Span())),
                (() => Ours.ReadUInt32BigEndian(Span()), () => Theirs.ReadUInt32BigEndian(Span())),
                (() => Ours.ReadUInt64BigEndian(Span()), () => Theirs.ReadUInt64BigEndian(Span())),
            };
            foreach (var (mine, bcl) in pairs)
                Assert.Equal(Outcome(bcl), Outcome(mine));
        });
    }

    [Fact]
    public void Writes_MatchTheBcl()
    {
        Gen.Select(Gen.ULong, Gen.Int[0, 10]).Sample((value, length) =>
        {
            var writers = new (Action<byte[]> Mine, Action<byte[]> Bcl)[]
            {
                (b => Ours.WriteUInt16LittleEndian(b, (ushort)value), b => Theirs.WriteUInt16LittleEndian(b, (ushort)value)),
                (b => Ours.WriteUInt32LittleEndian(b, (uint)value), b => Theirs.WriteUInt32LittleEndian(b, (uint)value)),
                (b => Ours.WriteUInt64LittleEndian(b, value), b => Theirs.WriteUInt64LittleEndian(b, value)),
                (b => Ours.WriteInt16LittleEndian(b, (short)value), b => Theirs.WriteInt16LittleEndian(b, (short)value)),
                (b => Ours.WriteInt32LittleEndian(b, (int)value), b => Theirs.WriteInt32LittleEndian(b, (int)value)),
                (b => Ours.WriteInt64LittleEndian(b, (long)value), b => Theirs.WriteInt64LittleEndian(b, (long)value)),
                (b => Ours.WriteUInt16BigEndian(b, (ushort)value), b => Theirs.WriteUInt16BigEndian(b, (ushort)value)),
                (b => Ours.WriteUInt32BigEndian(b, (uint)value), b => Theirs.WriteUInt32BigEndian(b, (uint)value)),
            };
            foreach (var (mine, bcl) in writers)
            {
                byte[] a = new byte[length], b = new byte[length];
                string mineOutcome = Outcome(() => { mine(a); return ""; });
                string bclOutcome = Outcome(() => { bcl(b); return ""; });
                Assert.Equal(bclOutcome, mineOutcome);
                Assert.Equal(b, a);
            }
        });
    }
}
