// LogRingTests.cs -- the log character ring (Kernel/Core/Logging/LogRing.cs): order before and after wrap-around,
// and that reading from FirstLineStart yields the newest complete lines.
using System.Runtime.InteropServices;
using System.Text;
using CsCheck;
using Kernel.Logging;

namespace Kernel.Tests;

public unsafe class LogRingTests
{
    private static string Contents(ref LogRing ring, int from)
    {
        var sb = new StringBuilder();
        for (int i = from; i < ring.Count; i++)
            sb.Append(ring.At(i));
        return sb.ToString();
    }

    private static string Run(int capacity, string text, out int firstLine, out string all)
    {
        char* buffer = (char*)NativeMemory.Alloc((nuint)capacity * 2);
        try
        {
            LogRing ring = default;
            ring.Initialize(buffer, capacity);
            foreach (char c in text)
                ring.Append(c);
            Assert.Equal(text.Length, ring.TotalWritten);
            Assert.Equal(Math.Min(capacity, text.Length), ring.Count);
            firstLine = ring.FirstLineStart();
            all = Contents(ref ring, 0);
            return Contents(ref ring, firstLine);
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    [Fact]
    public void Before_wrapping_everything_is_kept_from_the_start()
    {
        string lines = Run(64, "one\ntwo\nthr", out int first, out string all);
        Assert.Equal(0, first);
        Assert.Equal("one\ntwo\nthr", lines);
        Assert.Equal(lines, all);
    }

    [Fact]
    public void Exactly_full_is_not_yet_cut()
    {
        Assert.Equal("abc\ndef\n", Run(8, "abc\ndef\n", out int first, out _));
        Assert.Equal(0, first);
    }

    [Fact]
    public void After_wrapping_the_cut_line_is_skipped()
    {
        string lines = Run(10, "first line\nsecond\nthird\n", out _, out string all);
        Assert.Equal("ond\nthird\n", all);
        Assert.Equal("third\n", lines);
    }

    [Fact]
    public void A_line_that_starts_exactly_at_the_oldest_held_character_is_kept()
    {
        // "ab\n" is overwritten exactly; "cde\n" is whole and must not be dropped as if it were cut.
        Assert.Equal("cde\nfg\n", Run(7, "ab\ncde\nfg\n", out int first, out _));
        Assert.Equal(0, first);
    }

    [Fact]
    public void A_ring_without_a_newline_after_wrapping_shows_nothing()
    {
        Assert.Equal("", Run(4, "abcdefgh", out int first, out _));
        Assert.Equal(4, first);
    }

    [Fact]
    public void Wrap_keeps_the_newest_complete_lines()
    {
        Gen<string> line = Gen.String[Gen.Char['a', 'z'], 0, 30];
        Gen.Select(Gen.Int[1, 100], line.Array[0, 60]).Sample((capacity, lineArray) =>
        {
            string text = string.Concat(lineArray.Select(l => l + "\n"));
            string lines = Run(capacity, text, out _, out string all);
            Assert.EndsWith(all, text);
            Assert.EndsWith(lines, text);
            if (text.Length <= capacity)
            {
                Assert.Equal(text, lines);
                return;
            }
            // The kept part starts at a line boundary and is the longest such suffix that fits.
            int start = text.Length - lines.Length;
            Assert.Equal('\n', text[start - 1]);
            int earlierBoundary = text.LastIndexOf('\n', start - 2 < 0 ? 0 : start - 2);
            Assert.True(start - 2 < 0 || text.Length - (earlierBoundary + 1) > capacity, "no longer complete suffix fits");
        }, iter: 500);
    }
}
