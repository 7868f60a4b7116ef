// FastPathTests.cs -- the mount fast paths (canonical octal fields, simple ASCII names) against references written
// from the format's rules (BigInteger for base-256, string splitting for names), each pinned by a hand table.
using System.Numerics;
using System.Text;
using CsCheck;

namespace VisorFs.Tests;

public class FastPathTests
{
    // The general octal/base-256 rules, written independently of TarHeader: leading spaces, octal digits, then only
    // NUL/space; or base-256 (GNU): a lead byte of 0x80 (positive) or 0xFF (negative, two's complement over the
    // whole field), accepted when the value fits a long, decoded here with BigInteger.
    private static bool ReferenceNumber(byte[] f, out long value)
    {
        value = 0;
        if (f.Length == 0) return true;
        if ((f[0] & 0x80) != 0) return ReferenceBase256(f, out value);
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

    private static bool ReferenceBase256(byte[] f, out long value)
    {
        value = 0;
        BigInteger v;
        if (f[0] == 0x80)
            v = new BigInteger(f.AsSpan(1), isUnsigned: true, isBigEndian: true);
        else if (f[0] == 0xFF)
            v = new BigInteger(f, isUnsigned: false, isBigEndian: true);
        else
            return false;   // other lead bytes with the high bit set are not numbers this reader accepts
        if (v < long.MinValue || v > long.MaxValue || (f[0] == 0xFF && v >= 0)) return false;
        value = (long)v;
        return true;
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, true, 0L)]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, true, long.MaxValue)]
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0 }, false, 0L)]             // 2^63: too big
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, true, -1L)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0 }, true, long.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, false, 0L)] // below MinValue
    [InlineData(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34 }, true, 0x1234L)]
    [InlineData(new byte[] { 0xC0, 0, 0, 0, 0, 0, 0, 0, 1 }, false, 0L)]
    public void Base256_ReferenceAndImplementationAgreeWithTheTable(byte[] field, bool ok, long expected)
    {
        Assert.Equal(ok, ReferenceNumber(field, out long r));
        Assert.Equal(ok, TarHeader.TryParseNumber(field, out long v));
        if (ok)
        {
            Assert.Equal(expected, r);
            Assert.Equal(expected, v);
        }
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

    // Expected outcome of a name, written from TarPath's documented rules rather than with its code: the name ends
    // at the first NUL and must be strict UTF-8; a name starting with '/' is rejected as absolute; then it is split
    // at '/', empty and "." components are dropped (so a leading "./", doubled and trailing slashes vanish), any ".."
    // rejects the whole name, and the rest joined with '/' is the path ("" is the archive's root).
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
        if (text.StartsWith('/'))
        {
            reason = TarPath.ReasonAbsolute;
            return null;
        }
        var kept = text.Split('/').Where(c => c.Length > 0 && c != ".").ToList();
        if (kept.Contains(".."))
        {
            reason = TarPath.ReasonDotDot;
            return null;
        }
        string path = string.Join('/', kept);
        if (path.Length > TarPath.MaxLength)
        {
            reason = TarPath.ReasonTooLong;
            return null;
        }
        return path;
    }

    // The same rules as a table, so the reference itself is pinned to cases worked out by hand.
    [Theory]
    [InlineData("a", "a")]
    [InlineData("./a//b/", "a/b")]
    [InlineData("./a", "a")]
    [InlineData("a/./b/.", "a/b")]
    [InlineData(".a/a./...", ".a/a./...")]
    [InlineData("é/b", "é/b")]
    [InlineData("././/", "")]
    [InlineData("a/../b", null)]
    [InlineData("..", null)]
    [InlineData("a/..", null)]
    [InlineData("../a", null)]
    public void NameTable_TheReferenceAndTheIndexAgree(string name, string? expected)
    {
        byte[] raw = Encoding.UTF8.GetBytes(name);
        Assert.Equal(expected, ReferencePath(raw, out string? reason));
        Assert.Equal(expected == null ? TarPath.ReasonDotDot : null, reason);
        var index = TarIndex.Build(TarBuilder.Concat(TarBuilder.Header("", '0', rawName: raw), TarBuilder.End()));
        if (expected == null)
        {
            Assert.Equal(TarPath.ReasonDotDot, Assert.Single(index.Diagnostics).Reason);
        }
        else if (expected.Length > 0)
        {
            Assert.Empty(index.Diagnostics);
            Assert.True(index.TryFind(expected, out TarEntry e), expected);
            Assert.Equal(expected, e.Path);
        }
    }

    [Fact]
    public void NameCutAtNul_InvalidUtf8Rejected()
    {
        Assert.Equal("ab", ReferencePath([(byte)'a', (byte)'b', 0, (byte)'c'], out _));
        Assert.Null(ReferencePath([(byte)'a', 0xC3], out string? reason));
        Assert.Equal("name is not valid UTF-8", reason);
        var index = TarIndex.Build(TarBuilder.Concat(TarBuilder.Header("", '0', rawName: [(byte)'a', 0xC3]), TarBuilder.End()));
        Assert.Equal("name is not valid UTF-8", Assert.Single(index.Diagnostics).Reason);
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
