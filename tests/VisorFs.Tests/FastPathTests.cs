// FastPathTests.cs -- the mount fast paths (canonical octal fields, simple ASCII names) against the general code.
using System.Text;
using CsCheck;

namespace VisorFs.Tests;

public class FastPathTests
{
    // The general octal/base-256 rules, written independently: leading spaces, octal digits, then only NUL/space.
    private static bool ReferenceNumber(byte[] f, out long value)
    {
        value = 0;
        if (f.Length == 0) return true;
        if ((f[0] & 0x80) != 0) return TarHeader.TryParseNumber(f, out value); // base-256: not on the fast path
        int i = 0;
        while (i < f.Length && f[i] == ' ') i++;
        long v = 0;
        for (; i < f.Length; i++)
        {
            byte c = f[i];
            if (c >= '0' && c <= '7')
            {
                if (v > (long.MaxValue >> 3)) return false;
                v = (v << 3) | (long)(c - '0');
                continue;
            }
            if (c == 0 || c == ' ')
            {
                for (int k = i + 1; k < f.Length; k++) if (f[k] != 0 && f[k] != ' ') return false;
                break;
            }
            return false;
        }
        value = v;
        return true;
    }

    [Fact]
    public void OctalFieldsMatchTheGeneralRules()
    {
        // Mostly digits, with terminators, spaces, '8', letters and high bytes mixed in at random places.
        var gByte = Gen.Frequency((12, Gen.Byte[(byte)'0', (byte)'7']), (3, Gen.Const((byte)0)), (3, Gen.Const((byte)' ')),
            (1, Gen.Const((byte)'8')), (1, Gen.Byte));
        Gen.Select(Gen.OneOf(8, 12), gByte.Array[12]).Sample((len, bytes) =>
        {
            byte[] f = bytes.AsSpan(0, len).ToArray();
            bool okRef = ReferenceNumber(f, out long vRef);
            bool ok = TarHeader.TryParseNumber(f, out long v);
            Assert.Equal(okRef, ok);
            if (ok) Assert.Equal(vRef, v);
        }, iter: 20000);
    }

    [Theory]
    [InlineData("0000644\0", 420L)]
    [InlineData("000644\0 ", 420L)]
    [InlineData("00000001750\0", 1000L)]
    [InlineData("77777777777\0", 8589934591L)]
    [InlineData("0000001750\0 ", 1000L)]
    public void CanonicalOctal(string field, long expected)
    {
        Assert.True(TarHeader.TryParseNumber(Encoding.ASCII.GetBytes(field), out long v));
        Assert.Equal(expected, v);
    }

    // Expected outcome of a name through the general path: strict UTF-8, then TarPath.Normalize.
    private static string? ReferencePath(byte[] name, out string? reason)
    {
        reason = null;
        int len = Array.IndexOf(name, (byte)0);
        if (len < 0) len = name.Length;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(name, 0, len);
        }
        catch (DecoderFallbackException)
        {
            reason = "name is not valid UTF-8";
            return null;
        }
        var output = new char[TarPath.MaxLength + 1];
        reason = TarPath.Normalize(text, output, out int n);
        return reason == null ? new string(output, 0, n) : null;
    }

    [Fact]
    public void SimpleNamesMatchTheGeneralPath()
    {
        // Names from a small alphabet that makes ".", "..", "//", leading/trailing '/' and non-ASCII common.
        var gName = Gen.OneOf("a", "b", ".", "..", "...", "/", "é", ".a", "a.").Array[1, 12]
            .Select(parts => Encoding.UTF8.GetBytes(string.Concat(parts)));
        Gen.Select(gName, Gen.OneOf('0', '5')).Sample((name, type) =>
        {
            if (name.Length > 100) name = name.AsSpan(0, 100).ToArray();
            byte[] archive = TarBuilder.Concat(TarBuilder.Header("", type, rawName: name), TarBuilder.End());
            var index = TarIndex.Build(archive);
            string? expected = ReferencePath(name, out string? reason);
            if (expected == null)
            {
                Assert.Single(index.Diagnostics);
                Assert.Equal(reason, index.Diagnostics[0].Reason);
                Assert.Equal(1, index.Count);
            }
            else if (expected.Length == 0)
            {
                // The archive's root: a directory takes its attributes, anything else is refused.
                Assert.Equal(1, index.Count);
            }
            else
            {
                Assert.Empty(index.Diagnostics);
                Assert.True(index.TryFind(expected, out TarEntry e), expected);
                bool dir = type == '5' || name[^1] == '/';
                Assert.Equal(dir ? TarEntryType.Directory : TarEntryType.File, e.Type);
                Assert.Equal(expected, e.Path);
            }
        }, iter: 5000);
    }

    [Fact]
    public unsafe void BlockSums_SimdAndScalarAgreeWithAPlainLoop()
    {
        // Biased towards 0xFF bytes so the 16-bit lanes of both paths run near their limits.
        var gByte = Gen.Frequency((3, Gen.Byte), (1, Gen.Const((byte)0xFF)), (1, Gen.Const((byte)0)));
        gByte.Array[TarHeader.BlockSize].Sample(block =>
        {
            long expected = 0;
            foreach (byte b in block) expected += b;
            Assert.Equal(expected, TarHeader.SumBlock(block));
            fixed (byte* p = block)
            {
                Assert.Equal(expected, TarHeader.SumBlockScalar(p));
            }
        }, iter: 2000);
        var full = Enumerable.Repeat((byte)0xFF, TarHeader.BlockSize).ToArray();
        Assert.Equal(255L * TarHeader.BlockSize, TarHeader.SumBlock(full));
    }
}
