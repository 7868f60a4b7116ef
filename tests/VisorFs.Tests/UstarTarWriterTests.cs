// UstarTarWriterTests.cs -- ustar archives read back by System.Formats.Tar and by our TarIndex.
using System.Formats.Tar;

namespace VisorFs.Tests;

public class UstarTarWriterTests
{
    [Fact]
    public void Archive_ReadsBackWithTarReaderAndTarIndex()
    {
        string longPath = string.Join("/", Enumerable.Repeat("directory", 14)) + "/file.txt";
        var members = new List<VisorTarMember>
        {
            new("etc", 0x1ED, VisorFs.TarEntryType.Directory, null),
            new("etc/vmware/esx.conf", 0x3A4, VisorFs.TarEntryType.File, "a = 1\n"u8.ToArray()) { ModificationTime = 1764000000 },
            new("etc/empty", 0x1A4, VisorFs.TarEntryType.File, []),
            new(longPath, 0x1A4, VisorFs.TarEntryType.File, new byte[1000]),
            new("etc/link", 0x1FF, VisorFs.TarEntryType.Symlink, null) { LinkTarget = "vmware/esx.conf" },
        };
        Assert.True(UstarTarWriter.TryWrite(members, out byte[] archive, out string error), error);
        Assert.Equal(0, archive.Length % 512);

        using var reader = new TarReader(new MemoryStream(archive));
        var read = new List<System.Formats.Tar.TarEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            read.Add(e);
        }
        Assert.Equal(["etc", "etc/vmware/esx.conf", "etc/empty", longPath, "etc/link"], read.Select(e => e.Name.TrimEnd('/')));
        Assert.All(read, e => Assert.Equal(TarEntryFormat.Ustar, e.Format));
        Assert.Equal((UnixFileMode)0x3A4, read[1].Mode);
        Assert.Equal(1764000000, read[1].ModificationTime.ToUnixTimeSeconds());
        Assert.Equal("vmware/esx.conf", read[4].LinkName);

        TarIndex index = TarIndex.Build(archive);
        Assert.Empty(index.Diagnostics);
        Assert.True(index.TryFind("etc/vmware/esx.conf", out VisorFs.TarEntry conf));
        Assert.Equal("a = 1\n"u8.ToArray(), TarIndex.GetData(archive, conf).ToArray());
        Assert.Equal(0x3A4, conf.Mode);
        Assert.True(index.TryFind(longPath, out _));
    }

    [Fact]
    public void UnsplittableLongName_IsRefused()
    {
        var members = new List<VisorTarMember> { new(new string('x', 101), 0x1A4, VisorFs.TarEntryType.File, []) };
        Assert.False(UstarTarWriter.TryWrite(members, out _, out string error));
        Assert.Contains("too long", error);
    }
}
