// BootModulesTests.cs -- the module list of one boot: bank modules, then --module files, then state.tgz.
using VisorFs;
using Vmk.ImageBuilder;

namespace Vmk.E2E.Tests.Image;

public sealed class BootModulesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vmk-modules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string content = "x")
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    private static BootConfig Bank(string modules)
    {
        Assert.True(BootConfig.TryParse("kernel=kernel.elf\nmodules=" + modules + "\n", out var config, out string error), error);
        return config;
    }

    private List<ModuleFile> Compose(string bankModules, string[] extra, string? state = null)
    {
        foreach (var module in Bank(bankModules).Modules)
        {
            File("bank/" + module.Path);
        }
        return BootModules.Compose(Bank(bankModules), Path.Combine(_dir, "bank"), extra, state);
    }

    [Fact]
    public void Extras_GoAfterTheBank_BeforeItsState()
    {
        var modules = Compose("s.v00 --- docs.v00 opt=1 --- state.tgz", [File("a.tgz"), File("sub/b.v00")]);
        Assert.Equal(["s.v00", "docs.v00 opt=1", "a.tgz", "b.v00", "state.tgz"], modules.Select(m => m.CommandLine));
        Assert.Equal(Path.Combine(_dir, "bank", "state.tgz"), modules[^1].SourcePath);
        Assert.Equal(Path.Combine(_dir, "sub", "b.v00"), modules[3].SourcePath);
    }

    [Fact]
    public void StateFile_IsLast_NamedStateTgz_WhateverItsFileName_AndReplacesTheBanks()
    {
        string mine = File("saved-2025.tar.gz");
        var modules = Compose("s.v00 --- state.tgz", [File("x.gz")], mine);
        Assert.Equal(["s.v00", "x.gz", "state.tgz"], modules.Select(m => m.Name));
        Assert.Equal(mine, modules[^1].SourcePath);
    }

    [Fact]
    public void NoBank_JustExtras()
    {
        var modules = BootModules.Compose(null, _dir, [File("a.tar")], File("st"));
        Assert.Equal(["a.tar", "state.tgz"], modules.Select(m => m.Name));
    }

    [Theory]
    [InlineData("missing.tgz", "no such file")]
    [InlineData("state.tgz", "--state")]
    [InlineData("s.v00", "already loaded")]
    [InlineData("kernel.elf", "already loaded")]
    [InlineData("boot.cfg", "already loaded")]
    [InlineData("has space.tgz", "module file names")]
    [InlineData("a---b.tgz", "module file names")]
    [InlineData("-x.tgz", "module file names")]
    public void BadExtras_AreClearErrors(string name, string expected)
    {
        string path = name == "missing.tgz" ? Path.Combine(_dir, name) : File("extra/" + name);
        var e = Assert.Throws<ImageBuildException>(() => Compose("s.v00", [path]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoExtrasWithOneName_AreAnError()
    {
        var e = Assert.Throws<ImageBuildException>(() => Compose("s.v00", [File("a/m.tgz"), File("b/m.tgz")]));
        Assert.Contains("already loaded", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingStateFile_IsAnError()
    {
        var e = Assert.Throws<ImageBuildException>(() => Compose("s.v00", [], Path.Combine(_dir, "nope.tgz")));
        Assert.Contains("--state", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithModules_WritesTheComposedList()
    {
        var template = new BootConfigWriter { Kernel = "kernel.elf", Title = "t", Timeout = 0, Updated = 3 };
        var writer = BootModules.WithModules(template, [new ModuleFile("/x/s.v00", "s.v00"), new ModuleFile("/y/z", "state.tgz", "a=1")]);
        Assert.True(writer.TryWrite(out string text, out string error), error);
        Assert.Contains("modules=s.v00 --- state.tgz a=1\n", text, StringComparison.Ordinal);
        Assert.Contains("updated=3\n", text, StringComparison.Ordinal);
    }
}
