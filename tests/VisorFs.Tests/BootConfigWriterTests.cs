// BootConfigWriterTests.cs -- boot.cfg writing: layout, validation, and parse -> write -> parse round trips.
namespace VisorFs.Tests;

public class BootConfigWriterTests
{
    private static BootConfig Parse(string text)
    {
        Assert.True(BootConfig.TryParse(text, out BootConfig cfg, out string error), error);
        return cfg;
    }

    private static string Write(BootConfigWriter writer)
    {
        Assert.True(writer.TryWrite(out string text, out string error), error);
        return text;
    }

    private static BootModule Module(string path, string options = "") => new() { Path = path, Options = options };

    [Fact]
    public void Writes_EveryKey_InEsxBootOrder()
    {
        var writer = new BootConfigWriter
        {
            Comment = "boot.cfg -- generated\nsecond line",
            Title = "VMkernel-CS 0.1.0",
            Timeout = 0,
            Kernel = "kernel.elf",
            KernelOptions = "loglevel=info",
            Modules = [Module("s.v00"), Module("tools.v00", "opt=1 x"), Module("state.tgz")],
            Build = "0.1.0",
            Updated = 1,
        };
        Assert.Equal(
            "# boot.cfg -- generated\n# second line\nbootstate=0\ntitle=VMkernel-CS 0.1.0\ntimeout=0\nprefix=\nkernel=kernel.elf\n"
            + "kernelopt=loglevel=info\nmodules=s.v00 --- tools.v00 opt=1 x --- state.tgz\nbuild=0.1.0\nupdated=1\n",
            Write(writer));
    }

    [Fact]
    public void Written_Text_ParsesBack_ToTheSameValues()
    {
        var writer = new BootConfigWriter
        {
            BootState = BootState.Dirty,
            Title = "t",
            Timeout = 7,
            Kernel = "b.b00",
            KernelLineOptions = "a=b",
            KernelOptions = "runweasel cdromBoot",
            Modules = [Module("k.b00"), Module("s.v00", "x=1"), Module("/abs/state.tgz")],
            Build = "7.0.3",
            Updated = 42,
        };
        var cfg = Parse(Write(writer));
        Assert.Equal(BootState.Dirty, cfg.BootState);
        Assert.Equal("t", cfg.Title);
        Assert.Equal(7, cfg.Timeout);
        Assert.Equal("b.b00", cfg.Kernel);
        Assert.Equal("a=b", cfg.KernelLineOptions);
        Assert.Equal("runweasel cdromBoot", cfg.KernelOptions);
        Assert.Equal(["k.b00", "s.v00", "/abs/state.tgz"], cfg.Modules.Select(m => m.Path));
        Assert.Equal(["", "x=1", ""], cfg.Modules.Select(m => m.Options));
        Assert.Equal("7.0.3", cfg.Build);
        Assert.Equal(42, cfg.Updated);
        Assert.Empty(cfg.Warnings);
    }

    [Theory]
    [InlineData("kernel=b.z\nmodules=k.z --- s.z --- c.z --- oem.tgz --- license.tgz --- m.z --- state.tgz\n")]
    [InlineData("bootstate=0\ntitle=Loading VMware ESXi\ntimeout=3\nprefix=/bank1\nkernel=b.b00\nkernelopt=runweasel\n"
        + "modules=jumpstrt.gz --- useropts.gz --- k.b00 --- s.v00 --- /abs/state.tgz\nbuild=7.0.3-0.0.19193900\nupdated=2\n")]
    [InlineData("prefix=rel/\nkernel=k # comment\nmodules=a---b opt --- rel/c\nupdated=3\n")]
    [InlineData("kernel=k\nmodules=   ---   a   x=1   y=2 ---\n\nunknown=1\n")]
    public void ParseWriteParse_IsStable(string original)
    {
        var first = Parse(original);
        string written = Write(BootConfigWriter.From(first));
        var second = Parse(written);
        Assert.Equal(first.Kernel, second.Kernel);
        Assert.Equal(first.KernelLineOptions, second.KernelLineOptions);
        Assert.Equal(first.KernelOptions, second.KernelOptions);
        Assert.Equal(first.Title, second.Title);
        Assert.Equal(first.Prefix, second.Prefix);
        Assert.Equal(first.Timeout, second.Timeout);
        Assert.Equal(first.Build, second.Build);
        Assert.Equal(first.Updated, second.Updated);
        Assert.Equal(first.BootState, second.BootState);
        Assert.Equal(first.Modules.Select(m => (m.Path, m.Options)), second.Modules.Select(m => (m.Path, m.Options)));
        // Writing is a fixed point after one pass.
        Assert.Equal(written, Write(BootConfigWriter.From(second)));
    }

    [Theory]
    [InlineData("", "", "kernel=<FILEPATH> must be set")]
    [InlineData("k k", "", "bad kernel path")]
    [InlineData("k", "a\nb", "line break")]
    [InlineData("k", "a # b", "'#'")]
    public void Refuses_WhatCannotBeReadBack(string kernel, string kernelOptions, string expected)
    {
        var writer = new BootConfigWriter { Kernel = kernel, KernelOptions = kernelOptions };
        Assert.False(writer.TryWrite(out _, out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a---b", "")]
    [InlineData("a b", "")]
    [InlineData("", "")]
    [InlineData("a", "x --- y")]
    [InlineData("a", "x#y")]
    public void Refuses_BadModules(string path, string options)
    {
        var writer = new BootConfigWriter { Kernel = "k", Modules = [Module(path, options)] };
        Assert.False(writer.TryWrite(out _, out string error));
        Assert.Contains("module", error, StringComparison.Ordinal);
    }
}
