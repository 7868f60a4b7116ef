// TarIndexTests.cs -- tar index: differential against System.Formats.Tar, and a generated hostile-archive corpus.
using System.Formats.Tar;
using System.Text;
using CsCheck;

namespace VisorFs.Tests;

public class TarIndexTests
{
    private static readonly string[] s_dirs = ["bin", "etc", "usr", "lib", "opt", "var", "a-much-longer-directory-name-to-push-paths-past-the-old-limits"];

    private sealed record Spec(string Path, TarEntryType Type, int Mode, long MTime, byte[] Data, string Link);

    private static List<Spec> RandomSpecs(Random rng, int count, bool allowLong, bool allowUnicode)
    {
        var specs = new List<Spec>();
        var files = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var sb = new StringBuilder();
            int depth = rng.Next(allowLong ? 5 : 3);
            for (int d = 0; d < depth; d++)
            {
                string dir = s_dirs[rng.Next(allowLong ? s_dirs.Length : s_dirs.Length - 1)];
                sb.Append(dir).Append('/');
            }
            int kind = rng.Next(10);
            sb.Append(kind == 0 ? "d" : "f").Append(i).Append('_');
            int extra = rng.Next(allowLong && rng.Next(3) == 0 ? 150 : 12);
            for (int k = 0; k < extra; k++)
            {
                sb.Append(allowUnicode && rng.Next(20) == 0 ? 'é' : (char)('a' + rng.Next(26)));
            }
            string path = sb.ToString();
            if (!allowLong && Encoding.UTF8.GetByteCount(path) > 100)
            {
                path = path.Substring(0, 100);
            }
            int mode = rng.Next(0x1000);
            long mtime = 1_000_000_000L + rng.Next(1_000_000_000);
            if (kind == 0)
            {
                specs.Add(new Spec(path, TarEntryType.Directory, mode, mtime, [], ""));
            }
            else if (kind == 1 && files.Count > 0)
            {
                specs.Add(new Spec(path, TarEntryType.HardLink, mode, mtime, [], files[rng.Next(files.Count)]));
            }
            else if (kind == 2)
            {
                specs.Add(new Spec(path, TarEntryType.Symlink, mode, mtime, [], "../target/" + rng.Next(1000)));
            }
            else
            {
                var data = new byte[rng.Next(3) == 0 ? rng.Next(5000) : rng.Next(100)];
                rng.NextBytes(data);
                specs.Add(new Spec(path, TarEntryType.File, mode, mtime, data, ""));
                files.Add(path);
            }
        }
        return specs;
    }

    private static byte[] WriteWithBcl(List<Spec> specs, TarEntryFormat format)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, format, leaveOpen: true))
        {
            foreach (var s in specs)
            {
                System.Formats.Tar.TarEntryType t = s.Type switch
                {
                    TarEntryType.Directory => System.Formats.Tar.TarEntryType.Directory,
                    TarEntryType.HardLink => System.Formats.Tar.TarEntryType.HardLink,
                    TarEntryType.Symlink => System.Formats.Tar.TarEntryType.SymbolicLink,
                    _ => format == TarEntryFormat.V7 ? System.Formats.Tar.TarEntryType.V7RegularFile : System.Formats.Tar.TarEntryType.RegularFile,
                };
                System.Formats.Tar.TarEntry e = format switch
                {
                    TarEntryFormat.Ustar => new UstarTarEntry(t, s.Path),
                    TarEntryFormat.Gnu => new GnuTarEntry(t, s.Path),
                    TarEntryFormat.Pax => new PaxTarEntry(t, s.Path),
                    _ => new V7TarEntry(t, s.Path),
                };
                e.Mode = (UnixFileMode)s.Mode;
                e.ModificationTime = DateTimeOffset.FromUnixTimeSeconds(s.MTime);
                if (s.Link.Length > 0) e.LinkName = s.Link;
                if (s.Type == TarEntryType.File) e.DataStream = new MemoryStream(s.Data);
                w.WriteEntry(e);
            }
        }
        return ms.ToArray();
    }

    private static void CompareWithTarReader(byte[] archive, int maxPresizedMembers = TarIndex.DefaultMaxPresizedMembers)
    {
        var index = TarIndex.Build(archive, maxPresizedMembers);
        Assert.Empty(index.Diagnostics);
        var reader = new TarReader(new MemoryStream(archive));
        int seen = 0;
        System.Formats.Tar.TarEntry? e;
        while ((e = reader.GetNextEntry(copyData: true)) != null)
        {
            seen++;
            string name = e.Name.TrimEnd('/');
            Assert.True(index.TryFind(name, out TarEntry ours), name);
            Assert.False(ours.IsImplicit);
            Assert.Equal((int)e.Mode, ours.Mode);
            Assert.Equal(e.ModificationTime.ToUnixTimeSeconds(), ours.ModificationTime);
            switch (e.EntryType)
            {
                case System.Formats.Tar.TarEntryType.Directory:
                    Assert.Equal(TarEntryType.Directory, ours.Type);
                    break;
                case System.Formats.Tar.TarEntryType.SymbolicLink:
                    Assert.Equal(TarEntryType.Symlink, ours.Type);
                    Assert.Equal(e.LinkName, ours.LinkTarget);
                    break;
                case System.Formats.Tar.TarEntryType.HardLink:
                    Assert.Equal(TarEntryType.HardLink, ours.Type);
                    Assert.Equal(e.LinkName, ours.LinkTarget);
                    Assert.Equal(index.Find(e.LinkName)!.DataOffset, ours.DataOffset);
                    break;
                default:
                    Assert.Equal(TarEntryType.File, ours.Type);
                    Assert.Equal(e.Length, ours.Size);
                    var expected = new MemoryStream();
                    e.DataStream?.CopyTo(expected);
                    Assert.True(TarIndex.GetData(archive, ours).SequenceEqual(expected.ToArray()), name);
                    break;
            }
        }
        int ours2 = 0;
        for (int i = 1; i < index.Count; i++)
        {
            if (!index[i].IsImplicit) ours2++;
        }
        Assert.Equal(seen, ours2);
    }

    [Theory]
    [InlineData(TarEntryFormat.V7)]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.Pax)]
    public void MatchesTarReader(TarEntryFormat format)
    {
        bool longNames = format is TarEntryFormat.Gnu or TarEntryFormat.Pax;
        Gen.Int.Sample(seed =>
        {
            var specs = RandomSpecs(new Random(seed), 1 + Math.Abs(seed % 60), longNames, longNames);
            CompareWithTarReader(WriteWithBcl(specs, format));
        }, iter: 40);
    }

    /// <summary>
    /// An index sized up front for fewer members than the archive holds (as the kernel does) must grow its record
    /// array, hash table and path pool and still match TarReader exactly.
    /// </summary>
    [Theory]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    public void MatchesTarReader_WhenTheIndexGrowsPastItsPresize(TarEntryFormat format)
    {
        bool longNames = format == TarEntryFormat.Pax;
        Gen.Int.Sample(seed =>
        {
            var specs = RandomSpecs(new Random(seed), 40 + Math.Abs(seed % 200), longNames, longNames);
            CompareWithTarReader(WriteWithBcl(specs, format), maxPresizedMembers: 16);
        }, iter: 20);
    }

    [Fact]
    public void DirectoryTreeIsConnected()
    {
        byte[] archive = TarBuilder.Concat(
            TarBuilder.File("usr/lib/a.so", [1, 2, 3]),
            TarBuilder.File("usr/lib/b.so", [4]),
            TarBuilder.Header("usr/bin/", '5'),
            TarBuilder.File("usr/bin/sh", [5]),
            TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        var children = new List<TarEntry>();
        index.GetChildren(index.Find("usr")!, children);
        Assert.Equal(["usr/lib", "usr/bin"], children.Select(c => c.Path));
        Assert.True(index.Find("usr/lib")!.IsImplicit);
        Assert.False(index.Find("usr/bin")!.IsImplicit);
        children.Clear();
        index.GetChildren(index.Root, children);
        Assert.Equal(["usr"], children.Select(c => c.Path));
        Assert.Equal("sh", index.Find("/usr/bin/sh")!.Name);
        Assert.Equal([5], TarIndex.GetData(archive, index.Find("usr/bin/sh")!).ToArray());
        Assert.Same(index.Root, index.Find(""));
        Assert.Same(index.Root, index.Find("/"));
    }

    [Fact]
    public void PathsAreNormalized()
    {
        byte[] archive = TarBuilder.Concat(
            TarBuilder.Header("./", '5'),
            TarBuilder.File("./a//b/./c", [1]),
            TarBuilder.Header("dir/", '5'),
            TarBuilder.File("v7dir/", []),
            TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        Assert.NotNull(index.Find("a/b/c"));
        Assert.Equal(TarEntryType.Directory, index.Find("dir")!.Type);
        Assert.Equal(TarEntryType.Directory, index.Find("v7dir")!.Type);
        Assert.False(index.Root.IsImplicit);
    }

    [Fact]
    public void AbsoluteNamesAreRejectedOneDiagnosticEach()
    {
        byte[] archive = TarBuilder.Concat(
            TarBuilder.File("/abs.txt", [1]),
            TarBuilder.File("//etc/passwd", [2]),
            TarBuilder.Header("/", '5'),
            TarBuilder.Header("x", '0', 0, prefix: "/usr"),
            TarBuilder.File("kept", [3]),
            TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Equal(["/abs.txt", "//etc/passwd", "/", "/usr/x"], index.Diagnostics.Select(d => d.EntryName));
        Assert.All(index.Diagnostics, d => Assert.Equal(TarPath.ReasonAbsolute, d.Reason));
        Assert.Null(index.Find("abs.txt"));
        Assert.Null(index.Find("etc/passwd"));
        Assert.Null(index.Find("usr/x"));
        Assert.NotNull(index.Find("kept"));
    }

    [Fact]
    public void UstarPrefixAndGnuLongNames()
    {
        string longName = new string('n', 180) + "/file";
        byte[] longData = Encoding.UTF8.GetBytes(longName + "\0");
        byte[] archive = TarBuilder.Concat(
            TarBuilder.Header("name", '0', 0, prefix: "pre/fix"),
            TarBuilder.Header("././@LongLink", 'L', longData.Length, magic: "ustar ", version: " \0"), TarBuilder.Data(longData),
            TarBuilder.Header("truncated", '0', 0, magic: "ustar ", version: " \0"),
            // GNU keeps atime at 345: must not be read as a prefix.
            TarBuilder.Header("gnu", '0', 0, magic: "ustar ", version: " \0", prefix: "14723456701"),
            TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        Assert.NotNull(index.Find("pre/fix/name"));
        Assert.NotNull(index.Find(longName));
        Assert.NotNull(index.Find("gnu"));
        Assert.Null(index.Find("truncated"));
    }

    [Fact]
    public void PaxOverridesAndLargeSizes()
    {
        byte[] content = Encoding.ASCII.GetBytes("hello pax");
        byte[] archive = TarBuilder.Concat(
            TarBuilder.Pax(new() { ["path"] = "p/long/" + new string('x', 200), ["mtime"] = "1700000000.75", ["uid"] = "4000000", ["size"] = content.Length.ToString() }),
            TarBuilder.Header("short", '0', 0), TarBuilder.Data(content),
            TarBuilder.Pax(new() { ["linkpath"] = "/" + new string('t', 150) }),
            TarBuilder.Header("sym", '2'),
            TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        var e = index.Find("p/long/" + new string('x', 200))!;
        Assert.Equal(1700000000, e.ModificationTime);
        Assert.Equal(4000000, e.Uid);
        Assert.Equal(content, TarIndex.GetData(archive, e).ToArray());
        Assert.Equal("/" + new string('t', 150), index.Find("sym")!.LinkTarget);
        Assert.Equal(TarFormat.Pax, index.Format);
    }

    [Fact]
    public void Base256Numbers()
    {
        Assert.True(TarHeader.TryParseNumber([0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], out long v));
        Assert.Equal(1L << 32, v);
        Assert.True(TarHeader.TryParseNumber([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE], out v));
        Assert.Equal(-2, v);
        Assert.False(TarHeader.TryParseNumber([0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], out _));
        Assert.False(TarHeader.TryParseNumber([0x80, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0], out _));
        Assert.True(TarHeader.TryParseNumber(Encoding.ASCII.GetBytes("  777 \0"), out v));
        Assert.Equal(511, v);
        Assert.False(TarHeader.TryParseNumber(Encoding.ASCII.GetBytes("12x4"), out _));
        Assert.False(TarHeader.TryParseNumber(Encoding.ASCII.GetBytes("77777777777777777777777"), out _));
    }

    // ---- Hostile corpus: each case is one bad member between good ones. ----

    private static void AssertHostile(byte[] bad, string reason, string? badName = null, bool goodAfter = true)
    {
        byte[] archive = TarBuilder.Concat(TarBuilder.File("good-before", [1, 2]), bad,
            TarBuilder.File("good-after", [3]), TarBuilder.End());
        var index = TarIndex.Build(archive);
        var d = Assert.Single(index.Diagnostics);
        Assert.Contains(reason, d.Reason);
        if (badName != null) Assert.Equal(badName, d.EntryName);
        Assert.NotNull(index.Find("good-before"));
        if (goodAfter) Assert.NotNull(index.Find("good-after"));
        Assert.Equal([1, 2], TarIndex.GetData(archive, index.Find("good-before")!).ToArray());
    }

    [Fact]
    public void Hostile_BadChecksum() => AssertHostile(TarBuilder.Header("evil", goodChecksum: false), "bad header checksum", "evil");

    [Fact]
    public void Hostile_BadChecksumWithDataBlocks()
    {
        var junk = new byte[2048];
        new Random(3).NextBytes(junk);
        AssertHostile([.. TarBuilder.Header("evil", '0', 2048, goodChecksum: false), .. junk], "bad header checksum");
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/b/../c")]
    [InlineData("..")]
    [InlineData("./../etc/shadow")]
    public void Hostile_Traversal(string name) => AssertHostile(TarBuilder.File(name, [9]), TarPath.ReasonDotDot, name);

    [Theory]
    [InlineData("/../etc/shadow")]
    [InlineData("/etc/shadow")]
    public void Hostile_Absolute(string name) => AssertHostile(TarBuilder.File(name, [9]), TarPath.ReasonAbsolute, name);

    [Fact]
    public void Hostile_NulInsideName()
    {
        byte[] raw = Encoding.ASCII.GetBytes("abc\0def");
        AssertHostile(TarBuilder.Header("", rawName: raw), TarPath.ReasonNul);
    }

    [Fact]
    public void Hostile_NulInsideGnuLongName()
    {
        byte[] data = Encoding.ASCII.GetBytes("long\0evil\0");
        AssertHostile([.. TarBuilder.Header("././@LongLink", 'L', data.Length), .. TarBuilder.Data(data), .. TarBuilder.Header("x")], TarPath.ReasonNul);
    }

    [Fact]
    public void Hostile_NulInsidePaxPath() =>
        AssertHostile([.. TarBuilder.Pax(new() { ["path"] = "a\0b" }), .. TarBuilder.Header("x")], TarPath.ReasonNul);

    [Fact]
    public void Hostile_InvalidUtf8() =>
        AssertHostile(TarBuilder.Header("", rawName: [0x61, 0xC0, 0xAF, 0x62]), "UTF-8");

    [Fact]
    public void Hostile_HugeBase256Size()
    {
        byte[] size = [0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        AssertHostile(TarBuilder.Header("bomb", rawSize: size), "bad size field", "bomb");
    }

    [Fact]
    public void Hostile_SizePastEnd()
    {
        byte[] size = [0x80, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0];
        byte[] archive = TarBuilder.Concat(TarBuilder.File("good", [1]), TarBuilder.Header("huge", rawSize: size), TarBuilder.End());
        var index = TarIndex.Build(archive);
        var d = Assert.Single(index.Diagnostics);
        Assert.Equal("data extends past end of archive", d.Reason);
        Assert.NotNull(index.Find("good"));
        Assert.Null(index.Find("huge"));
    }

    [Fact]
    public void Hostile_GarbageSizeField() =>
        AssertHostile(TarBuilder.Header("x", rawSize: Encoding.ASCII.GetBytes("9999zzzz\0\0\0\0")), "bad size field");

    [Fact]
    public void Hostile_HardLinkToMissing() => AssertHostile(TarBuilder.Header("link", '1', link: "nowhere"), "hard link target missing", "link");

    [Fact]
    public void Hostile_HardLinkEscaping() => AssertHostile(TarBuilder.Header("link", '1', link: "../../etc/passwd"), "hard link target");

    [Fact]
    public void Hostile_HardLinkToDirectory() =>
        AssertHostile([.. TarBuilder.Header("d", '5'), .. TarBuilder.Header("link", '1', link: "d")], "hard link to a directory");

    [Fact]
    public void Hostile_UnsupportedType() => AssertHostile(TarBuilder.Header("sparse", 'S'), "unsupported entry type 'S'");

    [Fact]
    public void Hostile_BadPax() =>
        AssertHostile([.. TarBuilder.Header("PaxHeaders/x", 'x', 12), .. TarBuilder.Data(Encoding.ASCII.GetBytes("99 path=x\n\0\0")), .. TarBuilder.Header("x")], "bad pax");

    [Fact]
    public void Hostile_ParentIsAFile() =>
        AssertHostile([.. TarBuilder.File("f", [1]), .. TarBuilder.File("f/g", [2])], "parent is not a directory", "f/g");

    [Fact]
    public void Hostile_DuplicateLaterWins()
    {
        byte[] archive = TarBuilder.Concat(TarBuilder.File("dup", [1]), TarBuilder.File("dup", [2, 2]), TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Contains("duplicate", Assert.Single(index.Diagnostics).Reason);
        Assert.Equal([2, 2], TarIndex.GetData(archive, index.Find("dup")!).ToArray());
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Hostile_ReplaceNonEmptyDirectory() =>
        AssertHostile([.. TarBuilder.File("d/x", [1]), .. TarBuilder.File("d", [2])], "non-empty directory");

    [Fact]
    public void DiagnosticsStayInArchiveOrder_AcrossTheStagingQueue()
    {
        // Problems found while decoding a member (bad name, bad checksum) and problems found when it enters the
        // index (duplicate, missing hard-link target, parent not a directory) are reported at different times;
        // members are decoded a few ahead of entering. The report order must still be the archive order, with
        // enough good members in between to push problems through the queue at every position.
        var parts = new List<byte[]>();
        var expected = new List<string>();
        for (int round = 0; round < 12; round++)
        {
            for (int filler = 0; filler < round % 5; filler++)
            {
                parts.Add(TarBuilder.File($"r{round}/ok{filler}", [1]));
            }
            parts.Add(TarBuilder.File($"r{round}/f", [1]));
            switch (round % 4)
            {
                case 0:
                    parts.Add(TarBuilder.File($"r{round}/f", [2]));
                    expected.Add("duplicate path, later entry wins");
                    break;
                case 1:
                    parts.Add(TarBuilder.File($"r{round}/../x", [2]));
                    expected.Add(TarPath.ReasonDotDot);
                    break;
                case 2:
                    parts.Add(TarBuilder.Header($"r{round}/l", '1', link: "missing"));
                    expected.Add("hard link target missing");
                    break;
                default:
                    parts.Add(TarBuilder.File($"r{round}/f/below", [2]));
                    expected.Add("parent is not a directory");
                    break;
            }
            if (round % 3 == 0)
            {
                parts.Add(TarBuilder.Header("bad", goodChecksum: false));
                expected.Add("bad header checksum");
                parts.Add(TarBuilder.File($"r{round}/after-resync", [3]));
            }
        }
        parts.Add(TarBuilder.End());
        byte[] archive = TarBuilder.Concat([.. parts]);

        var index = TarIndex.Build(archive);

        Assert.Equal(expected, index.Diagnostics.Select(d => d.Reason.StartsWith(TarPath.ReasonDotDot, StringComparison.Ordinal) ? TarPath.ReasonDotDot : d.Reason));
        Assert.Equal(index.Diagnostics.Select(d => d.HeaderOffset).Order(), index.Diagnostics.Select(d => d.HeaderOffset));
        Assert.Equal([2], TarIndex.GetData(archive, index.Find("r0/f")!).ToArray());
        Assert.NotNull(index.Find("r9/after-resync"));
    }

    [Fact]
    public void LinksInsideTheStagingQueue_SeeTheMembersBeforeThem()
    {
        // A hard link right after its target (both still queued when the link is decoded), a duplicate symlink
        // whose target must survive, and a link to a member replaced in between.
        byte[] archive = TarBuilder.Concat(
            TarBuilder.File("t", [1, 2, 3]),
            TarBuilder.Header("h", '1', link: "t"),
            TarBuilder.Header("s", '2', link: "first"),
            TarBuilder.Header("s", '2', link: "second-target"),
            TarBuilder.File("t", [4]),
            TarBuilder.Header("h2", '1', link: "./t"),
            TarBuilder.End());

        var index = TarIndex.Build(archive);

        Assert.Equal(["duplicate path, later entry wins", "duplicate path, later entry wins"], index.Diagnostics.Select(d => d.Reason));
        Assert.Equal([1, 2, 3], TarIndex.GetData(archive, index.Find("h")!).ToArray());
        Assert.Equal("t", index.Find("h")!.LinkTarget);
        Assert.Equal("second-target", index.Find("s")!.LinkTarget);
        Assert.Equal([4], TarIndex.GetData(archive, index.Find("h2")!).ToArray());
    }

    [Fact]
    public void SymlinkLoopsAreJustEntries()
    {
        byte[] archive = TarBuilder.Concat(TarBuilder.Header("a", '2', link: "b"), TarBuilder.Header("b", '2', link: "a"),
            TarBuilder.Header("c", '2', link: "/etc/../../x"), TarBuilder.End());
        var index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        Assert.Equal("b", index.Find("a")!.LinkTarget);
        Assert.Equal("/etc/../../x", index.Find("c")!.LinkTarget);
    }

    [Fact]
    public void Hostile_TruncatedArchive()
    {
        byte[] full = TarBuilder.Concat(TarBuilder.File("a", new byte[100]), TarBuilder.File("b", new byte[3000]), TarBuilder.End());
        for (int cut = 0; cut < full.Length; cut += 37)
        {
            var index = TarIndex.Build(full.AsSpan(0, cut));
            Assert.True(index.Diagnostics.Count <= 1);
            if (cut >= 1024) Assert.NotNull(index.Find("a"));
        }
    }

    [Fact]
    public void Hostile_VisorOffsetPastEnd()
    {
        var members = new List<VisorTarMember>
        {
            new("bin/a", 0x1ED, TarEntryType.File, [1, 2, 3]),
            new("bin/b", 0x1ED, TarEntryType.File, [4, 5]),
            new("bin/c", 0x1ED, TarEntryType.File, [6]),
        };
        Assert.True(VisorTarWriter.TryWrite(members, out byte[] archive, out _));
        // Point b's data offset far past the end, fix the checksum.
        byte[] h = archive.AsSpan(512, 512).ToArray();
        TarHeader.WriteUInt32LittleEndian(h, 0x1F0, 0xFFFFFF00);
        TarBuilder.SetChecksum(h);
        h.CopyTo(archive, 512);
        var index = TarIndex.Build(archive);
        var d = Assert.Single(index.Diagnostics);
        Assert.Equal("bin/b", d.EntryName);
        Assert.Equal("data extends past end of archive", d.Reason);
        Assert.Equal([1, 2, 3], TarIndex.GetData(archive, index.Find("bin/a")!).ToArray());
        Assert.Equal([6], TarIndex.GetData(archive, index.Find("bin/c")!).ToArray());
    }

    [Fact]
    public void RandomGarbageNeverThrows()
    {
        byte[] good = TarBuilder.Concat(TarBuilder.File("a/b", new byte[700]), TarBuilder.Header("l", '1', link: "a/b"),
            TarBuilder.Pax(new() { ["path"] = "p" }), TarBuilder.File("x", [1]), TarBuilder.End());
        var rng = new Random(5);
        for (int i = 0; i < 3000; i++)
        {
            byte[] m = (byte[])good.Clone();
            for (int f = 0; f < 1 + rng.Next(8); f++) m[rng.Next(m.Length)] = (byte)rng.Next(256);
            if (rng.Next(4) == 0) TarBuilder.SetChecksum(m.AsSpan(0, 512).ToArray());
            var index = TarIndex.Build(m);
            for (int k = 0; k < index.Count; k++)
            {
                _ = TarIndex.GetData(m, index[k]);
            }
        }
        Gen.Byte.Array[0, 5000].Sample(b => { TarIndex.Build(b); }, iter: 500);
    }
}
