// FatVolumeTests.cs -- the kernel's FAT12/16/32 code against dosfstools and mtools: volumes made by mkfs.fat, files
// the host put there read back, and every kind of write (create, overwrite, append, truncate, mkdir, rename, delete,
// many files, long names, files across clusters, a full volume) checked by `fsck.fat -n` and read back with mcopy
// and mdir, an implementation that shares no code with ours.
using Drivers.Block;
using Kernel.Storage.Fat;
using Kernel.VisorFs;

namespace Kernel.Tests.Storage;

public class FatVolumeTests
{
    public static IEnumerable<object[]> Kinds => new[]
    {
        new object[] { 12, 1024, 0 },
        new object[] { 16, 8192, 1 },
        new object[] { 32, 40000, 1 },
    };

    internal static FatVolume Mount(MemoryBlockDevice disk)
    {
        FatVolume volume = FatVolume.Mount(disk, 0, disk.SectorCount, out string problem);
        Assert.True(volume != null, problem);
        volume.Clock = () => 1_800_000_000;   // 2027-01-15
        return volume;
    }

    internal static void WriteFile(FatVolume volume, string path, byte[] content)
    {
        Errno e = volume.Lookup(path, out FatNode node);
        if (e == Errno.ENOENT)
            e = volume.Create(path, out node);
        Assert.Equal(Errno.Ok, e);
        Assert.Equal(Errno.Ok, volume.Truncate(node, 0));
        Assert.Equal(Errno.Ok, volume.Write(node, 0, content));
    }

    internal static byte[] ReadFile(FatVolume volume, string path)
    {
        Assert.Equal(Errno.Ok, volume.Lookup(path, out FatNode node));
        var data = new byte[node.Size];
        Assert.Equal(Errno.Ok, volume.Read(node, 0, data, out int read));
        Assert.Equal(data.Length, read);
        return data;
    }

    private static byte[] Pattern(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mount_ReadsWhatTheHostWrote(int bits, int kib, int spc)
    {
        using var host = HostFat.Make(bits, kib, "HOSTVOL", spc);
        host.MakeDirectory("Some Directory");
        byte[] big = Pattern(70_000, 1);
        host.PutFile("Some Directory/A rather long file name.bin", big);
        host.PutFile("SHORT.TXT", "hello\n"u8.ToArray());
        var disk = new MemoryBlockDevice(host.Bytes);
        FatVolume volume = Mount(disk);
        Assert.Equal((FatType)bits, volume.Boot.Type);
        Assert.Equal("HOSTVOL", volume.Label);
        Assert.Equal(0x1234ABCDu, volume.VolumeId);
        var root = new List<FatNode>();
        Assert.Equal(Errno.Ok, volume.List("", root));
        Assert.Equal(new[] { "SHORT.TXT", "Some Directory" }, root.Select(n => n.Name).Order(StringComparer.Ordinal));
        Assert.Equal(big, ReadFile(volume, "some directory/a RATHER long file name.bin"));
        Assert.Equal("hello\n"u8.ToArray(), ReadFile(volume, "short.txt"));
        Assert.Equal(Errno.ENOENT, volume.Lookup("nope", out _));
        Assert.Equal(Errno.ENOTDIR, volume.Lookup("SHORT.TXT/x", out _));
        Assert.True(disk.Submitted.All(s => s.Operation == BlockOperation.Read), "a read-only walk wrote to the disk");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Writes_PassFsck_AndReadBackWithMtools(int bits, int kib, int spc)
    {
        using var host = HostFat.Make(bits, kib, "TESTVOL", spc);
        host.PutFile("keep.txt", "kept\n"u8.ToArray());
        var disk = new MemoryBlockDevice(host.Bytes);
        FatVolume volume = Mount(disk);
        var expected = new Dictionary<string, byte[]>();

        Assert.Equal(Errno.Ok, volume.MakeDirectory("dir"));
        Assert.Equal(Errno.Ok, volume.MakeDirectory("dir/A Sub Directory With A Long Name"));
        Assert.Equal(Errno.EEXIST, volume.MakeDirectory("DIR"));
        WriteFile(volume, "UPPER.TXT", "upper"u8.ToArray());
        expected["UPPER.TXT"] = "upper"u8.ToArray();
        WriteFile(volume, "lower.txt", "lower"u8.ToArray());
        expected["lower.txt"] = "lower"u8.ToArray();
        byte[] across = Pattern(3 * volume.Boot.ClusterBytes + 123, 2);
        WriteFile(volume, "dir/A Sub Directory With A Long Name/a file whose name is long enough for three entries.dat", across);
        expected["dir/A Sub Directory With A Long Name/a file whose name is long enough for three entries.dat"] = across;

        // Overwrite in the middle, append, truncate down and up.
        byte[] edited = Pattern(5000, 3);
        WriteFile(volume, "dir/edit.bin", edited);
        Assert.Equal(Errno.Ok, volume.Lookup("dir/edit.bin", out FatNode edit));
        Assert.Equal(Errno.Ok, volume.Write(edit, 1000, "OVERWRITTEN"u8));
        "OVERWRITTEN"u8.CopyTo(edited.AsSpan(1000));
        byte[] tail = Pattern(3000, 4);
        Assert.Equal(Errno.Ok, volume.Write(edit, edited.Length, tail));
        edited = edited.Concat(tail).ToArray();
        Assert.Equal(Errno.Ok, volume.Truncate(edit, 4321));
        edited = edited.Take(4321).ToArray();
        Assert.Equal(Errno.Ok, volume.Write(edit, 6000, "end"u8));   // a gap of zeros
        edited = edited.Concat(new byte[6000 - 4321]).Concat("end"u8.ToArray()).ToArray();
        expected["dir/edit.bin"] = edited;

        // Many files: the directory grows past one cluster (the fixed root of FAT12/16 too, up to its limit).
        for (int i = 0; i < 60; i++)
        {
            byte[] content = Pattern(i * 37, 100 + i);
            WriteFile(volume, $"dir/file number {i:D3}.txt", content);
            expected[$"dir/file number {i:D3}.txt"] = content;
        }
        for (int i = 0; i < 60; i += 3)
        {
            Assert.Equal(Errno.Ok, volume.Remove($"dir/file number {i:D3}.txt"));
            expected.Remove($"dir/file number {i:D3}.txt");
        }

        // Rename: within a directory, into another, over an existing file, a directory with its contents, case only.
        Assert.Equal(Errno.Ok, volume.Rename("lower.txt", "dir/moved.txt"));
        expected["dir/moved.txt"] = expected["lower.txt"];
        expected.Remove("lower.txt");
        Assert.Equal(Errno.Ok, volume.Rename("UPPER.TXT", "dir/moved.txt"));
        expected["dir/moved.txt"] = expected["UPPER.TXT"];
        expected.Remove("UPPER.TXT");
        Assert.Equal(Errno.Ok, volume.Rename("dir/A Sub Directory With A Long Name", "Top Level"));
        foreach (string key in expected.Keys.Where(k => k.StartsWith("dir/A Sub")).ToList())
        {
            expected["Top Level" + key.Substring("dir/A Sub Directory With A Long Name".Length)] = expected[key];
            expected.Remove(key);
        }
        Assert.Equal(Errno.Ok, volume.Rename("keep.txt", "KEEP.TXT"));
        expected["KEEP.TXT"] = "kept\n"u8.ToArray();
        Assert.Equal(Errno.EINVAL, volume.Rename("dir", "dir/inside"));
        Assert.Equal(Errno.Ok, volume.MakeDirectory("empty"));
        Assert.Equal(Errno.ENOTEMPTY, volume.Remove("dir"));
        Assert.Equal(Errno.Ok, volume.Remove("empty"));

        host.Bytes = disk.Data;
        host.AssertClean();
        foreach (var (path, content) in expected)
            Assert.Equal(content, host.ReadFile(path));
        var files = host.Tree().Where(p => !p.EndsWith('/')).ToHashSet();
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), files.OrderBy(k => k, StringComparer.Ordinal));

        // And our own reader agrees after a fresh mount.
        FatVolume again = Mount(new MemoryBlockDevice(host.Bytes));
        foreach (var (path, content) in expected)
            Assert.Equal(content, ReadFile(again, path));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AFullVolume_FailsWithEnospc_AndStaysClean(int bits, int kib, int spc)
    {
        using var host = HostFat.Make(bits, kib, "TESTVOL", spc);
        var disk = new MemoryBlockDevice(host.Bytes);
        FatVolume volume = Mount(disk);
        byte[] chunk = Pattern(256 * 1024, 5);
        Errno e = Errno.Ok;
        int n = 0;
        for (; e == Errno.Ok && n < 1000; n++)
        {
            e = volume.Create($"fill{n}.bin", out FatNode node);
            if (e == Errno.Ok)
                e = volume.Write(node, 0, chunk);
        }
        Assert.Equal(Errno.ENOSPC, e);
        Assert.True(volume.FreeBytes < (ulong)chunk.Length);
        // The failed write changed nothing: its file is empty, and what is left can still be used.
        Assert.Equal(Errno.Ok, volume.Lookup($"fill{n - 1}.bin", out FatNode last));
        Assert.Equal(0u, last.Size);
        if (volume.FreeBytes > 0)
            Assert.Equal(Errno.Ok, volume.Write(last, 0, chunk.AsSpan(0, (int)volume.FreeBytes)));
        host.Bytes = disk.Data;
        host.AssertClean();
        Assert.Equal(chunk, host.ReadFile("fill0.bin"));
    }

    [Fact]
    public void ReadOnlyMedia_RefuseEveryChange()
    {
        using var host = HostFat.Make(16, 8192, "TESTVOL", 1);
        host.PutFile("a.txt", "a"u8.ToArray());
        var disk = new MemoryBlockDevice(host.Bytes, readOnly: true);
        FatVolume volume = Mount(disk);
        Assert.Equal(Errno.Ok, volume.Lookup("a.txt", out FatNode a));
        Assert.Equal(Errno.EROFS, volume.Write(a, 0, "b"u8));
        Assert.Equal(Errno.EROFS, volume.Create("b.txt", out _));
        Assert.Equal(Errno.EROFS, volume.MakeDirectory("d"));
        Assert.Equal(Errno.EROFS, volume.Remove("a.txt"));
        Assert.Equal(Errno.EROFS, volume.Rename("a.txt", "c.txt"));
        Assert.Equal("a"u8.ToArray(), ReadFile(volume, "a.txt"));
    }

    [Fact]
    public void BadNames_AreRefused()
    {
        using var host = HostFat.Make(12, 1024);
        var disk = new MemoryBlockDevice(host.Bytes);
        FatVolume volume = Mount(disk);
        Assert.Equal(Errno.EINVAL, volume.Create("a:b", out _));
        Assert.Equal(Errno.EINVAL, volume.Create("trailing.", out _));
        Assert.Equal(Errno.ENAMETOOLONG, volume.Create(new string('x', 256), out _));
        Assert.Equal(Errno.Ok, volume.Create(new string('x', 255), out _));
        Assert.Equal(Errno.ENOENT, volume.Create("no/such/dir", out _));
        host.Bytes = disk.Data;
        host.AssertClean();
        Assert.Contains(new string('x', 255), host.Tree());
    }
}
