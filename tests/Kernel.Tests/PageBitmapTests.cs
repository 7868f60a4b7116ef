// PageBitmapTests.cs -- the physical page bitmap (Kernel/Core/Memory/PageBitmap.cs): first-fit aligned runs, the
// allocation hint and its wrap-around, refused double frees, and a property test against a bool[] model.
using System.Runtime.InteropServices;
using CsCheck;
using Kernel.Memory;

namespace Kernel.Tests;

public unsafe class PageBitmapTests
{
    /// <summary>A bitmap over its own native word array, all pages free.</summary>
    private sealed class Fixture : IDisposable
    {
        public PageBitmap Bitmap;
        private readonly ulong* _words;

        public Fixture(ulong pages, bool allFree = true)
        {
            _words = (ulong*)NativeMemory.Alloc((nuint)Math.Max(1UL, PageBitmap.WordsFor(pages)) * 8);
            Bitmap.Initialize(_words, pages);
            if (allFree)
                Bitmap.MarkFree(0, pages);
        }

        public void Dispose() => NativeMemory.Free(_words);
    }

    [Fact]
    public void Starts_all_used_and_mark_free_counts_pages_once()
    {
        using var f = new Fixture(100, allFree: false);
        Assert.Equal(0ul, f.Bitmap.FreePages);
        Assert.True(f.Bitmap.IsUsed(0) && f.Bitmap.IsUsed(99));
        f.Bitmap.MarkFree(10, 20);
        f.Bitmap.MarkFree(20, 20);       // overlaps: pages 20..29 are counted once
        Assert.Equal(30ul, f.Bitmap.FreePages);
        f.Bitmap.MarkFree(90, 1000);     // clipped at the end
        Assert.Equal(40ul, f.Bitmap.FreePages);
        f.Bitmap.MarkUsed(35, 10);
        Assert.Equal(35ul, f.Bitmap.FreePages);
        Assert.True(f.Bitmap.IsUsed(100), "pages past the end count as used");
    }

    [Fact]
    public void Allocate_is_first_fit_and_marks_pages_used()
    {
        using var f = new Fixture(256);
        Assert.Equal(0ul, f.Bitmap.Allocate(3));
        Assert.Equal(3ul, f.Bitmap.Allocate(1));
        Assert.Equal(253ul - 1, f.Bitmap.FreePages);
        for (ulong p = 0; p < 4; p++)
            Assert.True(f.Bitmap.IsUsed(p));
        Assert.False(f.Bitmap.IsUsed(4));
    }

    [Fact]
    public void Allocate_honours_alignment()
    {
        using var f = new Fixture(1024);
        Assert.Equal(0ul, f.Bitmap.Allocate(1));
        Assert.Equal(8ul, f.Bitmap.Allocate(8, 8));
        Assert.Equal(64ul, f.Bitmap.Allocate(4, 64));
        Assert.Equal(68ul, f.Bitmap.Allocate(1, 0));    // align 0 means 1; first fit from the hint (68)
        Assert.Equal(128ul, f.Bitmap.Allocate(1, 128));
    }

    [Fact]
    public void Allocate_fails_for_zero_too_many_or_fragmented()
    {
        using var f = new Fixture(64);
        Assert.Equal(PageBitmap.NoPage, f.Bitmap.Allocate(0));
        Assert.Equal(PageBitmap.NoPage, f.Bitmap.Allocate(65));
        for (ulong p = 0; p < 64; p += 2)
            f.Bitmap.MarkUsed(p, 1);             // every other page used: 32 free, no run of 2
        Assert.Equal(32ul, f.Bitmap.FreePages);
        Assert.Equal(PageBitmap.NoPage, f.Bitmap.Allocate(2));
        Assert.Equal(1ul, f.Bitmap.Allocate(1));
        Assert.Equal(PageBitmap.NoPage, f.Bitmap.Allocate(1, 64));
    }

    [Fact]
    public void Free_refuses_double_free_out_of_range_and_partly_free_runs()
    {
        using var f = new Fixture(128);
        ulong a = f.Bitmap.Allocate(4);
        Assert.True(f.Bitmap.Free(a, 4));
        Assert.False(f.Bitmap.Free(a, 4), "double free");
        ulong b = f.Bitmap.Allocate(4);
        Assert.False(f.Bitmap.Free(b, 5), "run extends into a free page");
        Assert.True(f.Bitmap.IsUsed(b), "a refused free changes nothing");
        Assert.False(f.Bitmap.Free(128, 1));
        Assert.False(f.Bitmap.Free(127, 2));
        Assert.False(f.Bitmap.Free(0, ulong.MaxValue));
        Assert.Equal(124ul, f.Bitmap.FreePages);
    }

    [Fact]
    public void Hint_wraps_around_to_pages_freed_below_it()
    {
        using var f = new Fixture(200);
        for (int i = 0; i < 200; i++)
            Assert.Equal((ulong)i, f.Bitmap.Allocate(1));
        Assert.Equal(PageBitmap.NoPage, f.Bitmap.Allocate(1));
        Assert.True(f.Bitmap.Free(150, 1));
        Assert.True(f.Bitmap.Free(10, 1));
        Assert.Equal(10ul, f.Bitmap.Allocate(1));    // Free moved the hint down to the lowest freed page.
        Assert.Equal(150ul, f.Bitmap.Allocate(1));
        // The hint is now 151; a run that only exists below it is found by wrapping around.
        Assert.True(f.Bitmap.Free(20, 3));
        f.Bitmap.MarkUsed(20, 3);
        f.Bitmap.MarkFree(40, 2);
        Assert.Equal(40ul, f.Bitmap.Allocate(2));
    }

    [Fact]
    public void Page_count_not_a_multiple_of_64_never_hands_out_padding()
    {
        using var f = new Fixture(70);
        Assert.Equal(0ul, f.Bitmap.Allocate(64));
        Assert.Equal(64ul, f.Bitmap.Allocate(6));
        Assert.Equal(PageBitmap.NoPage, f.Bitmap.Allocate(1));
        Assert.Equal(0ul, f.Bitmap.FreePages);
    }

    // ---- Property test against a bool[] model ---------------------------------------------------------------

    private sealed class Model
    {
        public readonly bool[] Used;
        public ulong Hint;
        public Model(int pages) => Used = new bool[pages];
        public ulong Free => (ulong)Used.Count(u => !u);

        private ulong Search(ulong from, ulong count, ulong align)
        {
            for (ulong s = (from + align - 1) / align * align; s + count <= (ulong)Used.Length; s += align)
            {
                bool ok = true;
                for (ulong i = 0; i < count && ok; i++)
                    ok = !Used[s + i];
                if (ok)
                    return s;
            }
            return PageBitmap.NoPage;
        }

        public ulong Allocate(ulong count, ulong align)
        {
            if (count == 0 || count > Free)
                return PageBitmap.NoPage;
            if (align == 0)
                align = 1;
            ulong found = Search(Hint, count, align);
            if (found == PageBitmap.NoPage && Hint != 0)
                found = Search(0, count, align);
            if (found == PageBitmap.NoPage)
                return found;
            for (ulong i = 0; i < count; i++)
                Used[found + i] = true;
            Hint = found + count;
            return found;
        }

        public bool FreeRun(ulong first, ulong count)
        {
            if (first >= (ulong)Used.Length || count > (ulong)Used.Length - first)
                return false;
            for (ulong i = 0; i < count; i++)
                if (!Used[first + i])
                    return false;
            for (ulong i = 0; i < count; i++)
                Used[first + i] = false;
            if (first < Hint)
                Hint = first;
            return true;
        }
    }

    public readonly record struct Op(bool Alloc, ulong Count, ulong Align, ulong First)
    {
        public override string ToString() => Alloc ? "alloc(" + Count + ", align " + Align + ")" : "free(" + First + ", " + Count + ")";
    }

    [Fact]
    public void Random_allocate_free_sequences_match_the_model()
    {
        Gen<Op> alloc = Gen.Select(Gen.Frequency((8, Gen.ULong[1, 4]), (2, Gen.ULong[5, 80])), Gen.OneOf(new[] { 0UL, 1UL, 1UL, 2UL, 4UL, 8UL, 64UL }),
            (c, a) => new Op(true, c, a, 0));
        Gen<Op> free = Gen.Select(Gen.ULong[0, 400], Gen.Frequency((8, Gen.ULong[1, 4]), (1, Gen.ULong[5, 80])),
            (first, c) => new Op(false, c, 0, first));
        Gen.Select(Gen.Int[1, 330], Gen.Frequency((3, alloc), (2, free)).Array[1, 300]).Sample((pages, ops) =>
        {
            using var f = new Fixture((ulong)pages);
            var model = new Model(pages);
            var runs = new List<(ulong First, ulong Count)>();
            foreach (Op op in ops)
            {
                if (op.Alloc)
                {
                    ulong got = f.Bitmap.Allocate(op.Count, op.Align);
                    Assert.Equal(model.Allocate(op.Count, op.Align), got);
                    if (got != PageBitmap.NoPage)
                        runs.Add((got, op.Count));
                }
                else
                {
                    // Half the frees are of a real run (always accepted); the rest are arbitrary ranges.
                    ulong first = op.First, count = op.Count;
                    if (runs.Count > 0 && op.First % 2 == 0)
                    {
                        int i = (int)(op.First / 2 % (ulong)runs.Count);
                        (first, count) = runs[i];
                        runs.RemoveAt(i);
                        Assert.True(f.Bitmap.Free(first, count), "freeing an allocated run succeeds");
                        Assert.True(model.FreeRun(first, count));
                    }
                    else
                    {
                        bool expected = model.FreeRun(first, count);
                        Assert.Equal(expected, f.Bitmap.Free(first, count));
                        if (expected)
                            runs.RemoveAll(r => r.First < first + count && first < r.First + r.Count);
                    }
                }
                Assert.Equal(model.Free, f.Bitmap.FreePages);
            }
            for (int p = 0; p < pages; p++)
                Assert.Equal(model.Used[p], f.Bitmap.IsUsed((ulong)p));
        }, iter: 400);
    }
}
