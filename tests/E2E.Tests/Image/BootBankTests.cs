// BootBankTests.cs -- the built boot bank (artifacts/bootbank) against its source, and the builder on scratch sources.
using TarReader = System.Formats.Tar.TarReader;
using System.IO.Compression;
using VisorFs;
using Vmk.ImageBuilder;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Image;

public sealed class BootBankTests : IDisposable
{
    private static readonly string s_source = Path.Combine(RepoPaths.Root, "iso", "bootbank");
    private static readonly string s_built = Path.Combine(RepoPaths.Artifacts, "bootbank");
    private readonly string _dir = Directory.CreateTempSubdirectory("vmk-bootbank-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    // The manifest read the simple way (independently of TreeManifest): "/path[/] octal-mode".
    private static Dictionary<string, (int Mode, bool Directory)> ReadManifest(string file) =>
        File.ReadAllLines(file)
            .Select(l => l.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length == 2)
            .ToDictionary(w => w[0].Trim('/'), w => (Convert.ToInt32(w[1], 8), w[0].EndsWith('/')));

    [Fact]
    public void BaseImage_Gunzips_AndIndexes_ToExactlyTheSourceTree_WithManifestModes()
    {
        byte[] tar = Gunzip(File.ReadAllBytes(Path.Combine(s_built, "s.v00")));
        var index = TarIndex.Build(tar);
        Assert.Equal(TarFormat.Visor, index.Format);
        Assert.Empty(index.Diagnostics);

        string baseDir = Path.Combine(s_source, "base");
        var manifest = ReadManifest(Path.Combine(s_source, "base.manifest"));
        var files = Directory.EnumerateFiles(baseDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(baseDir, f).Replace('\\', '/')).ToHashSet();
        var directories = Directory.EnumerateDirectories(baseDir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(baseDir, f).Replace('\\', '/'))
            .Concat(manifest.Where(m => m.Value.Directory).Select(m => m.Key))
            .ToHashSet();
        foreach (string path in files.Concat(directories).ToList())
        {
            for (int slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                directories.Add(path[..slash]);
            }
        }

        var entries = Enumerable.Range(1, index.Count - 1).Select(i => index[i]).ToList();
        Assert.All(entries, e => Assert.False(e.IsImplicit, $"/{e.Path} has no member of its own"));
        Assert.Equal(files.Order(StringComparer.Ordinal), entries.Where(e => e.Type == TarEntryType.File).Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Equal(directories.Order(StringComparer.Ordinal), entries.Where(e => e.IsDirectory).Select(e => e.Path).Order(StringComparer.Ordinal));
        foreach (var entry in entries)
        {
            int expectedMode = manifest.TryGetValue(entry.Path, out var m) ? m.Mode : entry.IsDirectory ? 0x1ED : 0x1A4;
            Assert.True(expectedMode == entry.Mode, $"/{entry.Path}: mode {Convert.ToString(entry.Mode, 8)}, expected {Convert.ToString(expectedMode, 8)}");
            Assert.Equal(0, entry.Uid);
            Assert.Equal(0, entry.Gid);
            Assert.Equal(TreeArchive.FixedModificationTime, entry.ModificationTime);
            if (entry.Type == TarEntryType.File)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(baseDir, entry.Path)), TarIndex.GetData(tar, entry).ToArray());
            }
        }
    }

    [Theory]
    [InlineData("etc/vmware/esx.conf", 0x3A4)] // 01644: sticky, saved by backup.sh
    [InlineData("etc/inetd.conf", 0x3A4)]
    [InlineData("var/spool/cron/crontabs/root", 0x180)] // 0600: not state (only /etc is), as on ESXi
    [InlineData("etc/motd", 0x1A4)]
    [InlineData("tmp", 0x3FF)] // 01777
    [InlineData("tardisks", 0x1ED)]
    [InlineData("bootbank", 0x1ED)]
    public void BaseImage_HasTheEsxiFiles_WithTheirStickyBits(string path, int mode)
    {
        var index = TarIndex.Build(Gunzip(File.ReadAllBytes(Path.Combine(s_built, "s.v00"))));
        Assert.True(index.TryFind(path, out var entry), $"/{path} missing");
        Assert.Equal(mode, entry.Mode);
    }

    [Fact]
    public void BaseImage_RootCrontab_RunsAutoBackupHourly()
    {
        byte[] tar = Gunzip(File.ReadAllBytes(Path.Combine(s_built, "s.v00")));
        var index = TarIndex.Build(tar);
        Assert.True(index.TryFind("var/spool/cron/crontabs/root", out var crontab));
        string text = System.Text.Encoding.UTF8.GetString(TarIndex.GetData(tar, crontab));
        Assert.Contains("1 * * * * /sbin/auto-backup.sh\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltBootCfg_ListsEveryModule_AndEachIsThere()
    {
        var config = BootBank.ReadConfig(Path.Combine(s_built, "boot.cfg"));
        Assert.Equal("kernel.elf", config.Kernel);
        Assert.Equal("s.v00", config.Modules[0].Path);
        Assert.Equal(BootState.Valid, config.BootState);
        Assert.All(config.Modules, m => Assert.True(File.Exists(Path.Combine(s_built, m.Path)), m.Path));
        Assert.Equal(
            config.Modules.Select(m => m.Path).Append("boot.cfg").Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(s_built).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(config.Modules.Where(m => m.Path.EndsWith(".v00", StringComparison.Ordinal)),
            m => Assert.Empty(TarIndex.Build(Gunzip(File.ReadAllBytes(Path.Combine(s_built, m.Path)))).Diagnostics));
    }

    // --- the builder on scratch sources ---

    private void Source(string relative, string content = "data\n")
    {
        string path = Path.Combine(_dir, "src", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private BootConfigWriter Build(string kernelopt = "") =>
        BootBank.Build(Path.Combine(_dir, "src"), Path.Combine(_dir, "out"), "kernel.elf", kernelopt, TextWriter.Null);

    private byte[] Out(string name) => File.ReadAllBytes(Path.Combine(_dir, "out", name));

    [Fact]
    public void Build_IsReproducible_AndRewritesOnlyChangedFiles()
    {
        Source("boot.cfg", "kernel=whatever\nkernelopt=a=1\nmodules=s.v00 --- extra.v00 opt=2 --- state.tgz\n");
        Source("base/etc/x.conf", "x\n");
        Source("base.manifest", "/etc/x.conf 01600\n/empty/ 0700\n");
        Source("bundles/extra/opt/e", "e\n");
        Source("state/etc/x.conf", "saved\n");
        Source("state.manifest", "/etc/x.conf 01644\n");
        Build("b=2");
        byte[] first = Out("s.v00");
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(_dir, "out", "s.v00"));
        Thread.Sleep(20);
        Build("b=2");
        Assert.Equal(first, Out("s.v00"));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(_dir, "out", "s.v00")));

        var cfg = BootBank.ReadConfig(Path.Combine(_dir, "out", "boot.cfg"));
        Assert.Equal("kernel.elf", cfg.Kernel);
        Assert.Equal("a=1 b=2", cfg.KernelOptions);
        Assert.Equal(["s.v00", "extra.v00 opt=2", "state.tgz"], cfg.Modules.Select(m => m.Options.Length > 0 ? m.Path + " " + m.Options : m.Path));

        var index = TarIndex.Build(Gunzip(first));
        Assert.Equal(["empty", "etc", "etc/x.conf"], Enumerable.Range(1, index.Count - 1).Select(i => index[i].Path));
        Assert.Equal(0x380, index.Find("etc/x.conf")!.Mode);
        Assert.Equal(0x1C0, index.Find("empty")!.Mode);
        Assert.NotNull(TarIndex.Build(Gunzip(Out("extra.v00"))).Find("opt/e"));
    }

    [Fact]
    public void StateModule_IsATgzHoldingLocalTgz_WithModes()
    {
        Source("boot.cfg", "kernel=k\nmodules=s.v00 --- state.tgz\n");
        Source("base/a", "a");
        Source("state/etc/vmware/esx.conf", "/adv/Misc/HostName = \"saved\"\n");
        Source("state.manifest", "/etc/vmware/esx.conf 01644\n");
        Build();
        var outer = ReadTar(Gunzip(Out("state.tgz")));
        Assert.Equal(["local.tgz"], outer.Select(e => e.Name));
        var inner = ReadTar(Gunzip(outer[0].Data));
        Assert.Equal(["etc/vmware/esx.conf"], inner.Select(e => e.Name));
        Assert.Equal((UnixFileMode)0x3A4, inner[0].Mode);
        Assert.Equal("/adv/Misc/HostName = \"saved\"\n", System.Text.Encoding.UTF8.GetString(inner[0].Data));
        // Our own tar reader reads it too (plain ustar).
        Assert.Empty(TarIndex.Build(Gunzip(outer[0].Data)).Diagnostics);
    }

    private static List<(string Name, UnixFileMode Mode, byte[] Data)> ReadTar(byte[] tar)
    {
        var list = new List<(string, UnixFileMode, byte[])>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            list.Add((entry.Name, entry.Mode, data.ToArray()));
        }
        return list;
    }

    [Theory]
    [InlineData("kernel=k\nmodules=docs.v00\n", "first module must be the base image")]
    [InlineData("kernel=k\nmodules=s.v00 --- nothing.v00\n", "no bundles/nothing/ folder")]
    [InlineData("kernel=k\nmodules=s.v00 --- s.v00\n", "twice")]
    [InlineData("kernel=k\nprefix=/x\nmodules=s.v00\n", "prefix=")]
    [InlineData("kernel=k\nmodules=s.v00\nbogus=1\n", "unknown key")]
    [InlineData("modules=s.v00\n", "kernel=<FILEPATH> must be set")]
    public void BadBootCfg_IsAClearError(string bootCfg, string expected)
    {
        Source("boot.cfg", bootCfg);
        Source("base/a", "a");
        var e = Assert.Throws<ImageBuildException>(() => Build());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnlistedBundleFolder_IsAnError()
    {
        Source("boot.cfg", "kernel=k\nmodules=s.v00\n");
        Source("base/a", "a");
        Source("bundles/forgotten/x", "x");
        var e = Assert.Throws<ImageBuildException>(() => Build());
        Assert.Contains("forgotten.v00", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/missing 0644\n", "is not in")]
    [InlineData("/a 0999\n", "bad mode")]
    [InlineData("/a 017777\n", "bad mode")]
    [InlineData("/a/ 0755\n", "is not a directory")]
    [InlineData("/d 0755\n", "a directory")]
    [InlineData("a 0644\n", "must start with '/'")]
    [InlineData("/x/../a 0644\n", "bad path")]
    [InlineData("/a 0644\n/a 0600\n", "listed twice")]
    [InlineData("/a\n", "expected 'PATH MODE'")]
    public void BadManifest_IsAClearError_WithItsLine(string manifest, string expected)
    {
        Source("boot.cfg", "kernel=k\nmodules=s.v00\n");
        Source("base/a", "a");
        Source("base/d/f", "f");
        Source("base.manifest", "# comment\n" + manifest);
        var e = Assert.Throws<ImageBuildException>(() => Build());
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StaleOutputs_AreRemoved()
    {
        Source("boot.cfg", "kernel=k\nmodules=s.v00 --- old.v00\n");
        Source("base/a", "a");
        Source("bundles/old/x", "x");
        Build();
        Assert.True(File.Exists(Path.Combine(_dir, "out", "old.v00")));
        Directory.Delete(Path.Combine(_dir, "src", "bundles", "old"), recursive: true);
        Source("boot.cfg", "kernel=k\nmodules=s.v00\n");
        Build();
        Assert.False(File.Exists(Path.Combine(_dir, "out", "old.v00")));
    }
}
