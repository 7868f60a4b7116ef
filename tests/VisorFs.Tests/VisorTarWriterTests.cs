// VisorTarWriterTests.cs -- visor-tar writer/reader round trips.
using CsCheck;

namespace VisorFs.Tests;

public class VisorTarWriterTests
{
    [Fact]
    public void RoundTrip()
    {
        var members = new List<VisorTarMember>
        {
            new("bin", 0x1ED, TarEntryType.Directory, null),
            new("bin/sh", 0x1ED, TarEntryType.File, TestData.Binary(5000, 1)) { TextOffset = 0x1000, TextSize = 0x2000, FixupPageCount = 3 },
            new("bin/ash", 0x1ED, TarEntryType.HardLink, null) { LinkTarget = "bin/sh" },
            new("etc/esx.conf", 0x3A4, TarEntryType.File, TestData.Text(700, 2)) { Uid = 0, Gid = 0, ModificationTime = 1_700_000_000 },
            new("etc/" + new string('L', 150), 0x1A4, TarEntryType.File, [7, 7]),
            new("lib/libc.so", 0x1FF, TarEntryType.Symlink, null) { LinkTarget = "/lib/" + new string('t', 140) },
            new("dev/null", 0x1B6, TarEntryType.CharDevice, null),
            new("empty", 0x1A4, TarEntryType.File, []),
            // Data that itself looks like a visor header must not extend the header list.
            new("nested.v00", 0x1A4, TarEntryType.File, null),
        };
        Assert.True(VisorTarWriter.TryWrite([new VisorTarMember("x", 0x1A4, TarEntryType.File, [1])], out byte[] inner, out _));
        members[^1].Data = inner;
        Assert.True(VisorTarWriter.TryWrite(members, out byte[] archive, out string error), error);
        var index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        Assert.Equal(TarFormat.Visor, index.Format);
        foreach (var m in members)
        {
            Assert.True(index.TryFind(m.Path, out TarEntry e), m.Path);
            Assert.Equal(m.Mode, e.Mode);
            Assert.Equal(m.ModificationTime, e.ModificationTime);
            Assert.Equal(m.Type, e.Type);
            if (m.Type == TarEntryType.File)
            {
                Assert.Equal(m.Data ?? [], TarIndex.GetData(archive, e).ToArray());
                Assert.Equal(m.TextOffset, e.TextOffset);
                Assert.Equal(m.FixupPageCount, e.FixupPageCount);
            }
            if (m.Type is TarEntryType.Symlink or TarEntryType.HardLink) Assert.Equal(m.LinkTarget, e.LinkTarget);
        }
        Assert.Equal(TarIndex.GetData(archive, index.Find("bin/sh")!).ToArray(), TarIndex.GetData(archive, index.Find("bin/ash")!).ToArray());
        Assert.Null(index.Find("x"));
    }

    [Fact]
    public void RandomRoundTrips()
    {
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            var members = new List<VisorTarMember>();
            int n = rng.Next(1, 40);
            for (int i = 0; i < n; i++)
            {
                var data = new byte[rng.Next(2000)];
                rng.NextBytes(data);
                string path = "d" + rng.Next(4) + "/f" + i + new string('z', rng.Next(2) == 0 ? 0 : rng.Next(200));
                members.Add(new VisorTarMember(path, rng.Next(0x1000), TarEntryType.File, data) { ModificationTime = rng.Next() });
            }
            Assert.True(VisorTarWriter.TryWrite(members, out byte[] archive, out _));
            var index = TarIndex.Build(archive);
            Assert.Empty(index.Diagnostics);
            foreach (var m in members)
            {
                var e = index.Find(m.Path)!;
                Assert.Equal(m.Data, TarIndex.GetData(archive, e).ToArray());
                Assert.Equal(m.Mode, e.Mode);
            }
        }, iter: 50);
    }

    [Fact]
    public void RejectsUnpairedSurrogate()
    {
        Assert.False(VisorTarWriter.TryWrite([new VisorTarMember("a\uD800", 0x1A4, TarEntryType.File, [])], out _, out string error));
        Assert.NotEmpty(error);
    }
}
