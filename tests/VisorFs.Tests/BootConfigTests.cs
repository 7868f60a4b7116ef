// BootConfigTests.cs -- boot.cfg parsing, including the real ESXi examples from ESXI-REFERENCE.md.
using System.Text;

namespace VisorFs.Tests;

public class BootConfigTests
{
    private static BootConfig Parse(string text)
    {
        Assert.True(BootConfig.TryParse(text, out BootConfig cfg, out string error), error);
        return cfg;
    }

    [Fact]
    public void Esx41Example()
    {
        var cfg = Parse("kernel=b.z\nmodules=k.z --- s.z --- c.z --- oem.tgz --- license.tgz --- m.z --- state.tgz\n");
        Assert.Equal("b.z", cfg.Kernel);
        Assert.Equal(["k.z", "s.z", "c.z", "oem.tgz", "license.tgz", "m.z", "state.tgz"], cfg.Modules.Select(m => m.Path));
        Assert.All(cfg.Modules, m => Assert.Equal("", m.Options));
        Assert.Equal(5, cfg.Timeout);
        Assert.Equal(BootState.Valid, cfg.BootState);
        Assert.Equal(0, cfg.Updated);
    }

    [Fact]
    public void LaterReleaseExample()
    {
        string text = """
            bootstate=0
            title=Loading VMware ESXi
            timeout=3
            prefix=/bank1
            kernel=b.b00
            kernelopt=runweasel cdromBoot
            modules=jumpstrt.gz --- useropts.gz --- k.b00 --- s.v00 --- /abs/state.tgz
            build=7.0.3-0.0.19193900
            updated=2
            """;
        var cfg = Parse(text.Replace("\r", ""));
        Assert.Equal("/bank1/b.b00", cfg.Kernel);
        Assert.Equal("runweasel cdromBoot", cfg.KernelOptions);
        Assert.Equal(["/bank1/jumpstrt.gz", "/bank1/useropts.gz", "/bank1/k.b00", "/bank1/s.v00", "/abs/state.tgz"], cfg.Modules.Select(m => m.Path));
        Assert.Equal("Loading VMware ESXi", cfg.Title);
        Assert.Equal(3, cfg.Timeout);
        Assert.Equal("7.0.3-0.0.19193900", cfg.Build);
        Assert.Equal(2, cfg.Updated);
        Assert.Equal("/bank1", cfg.Prefix);
    }

    [Fact]
    public void SeparatorWithoutSpacesAndModuleOptions()
    {
        var cfg = Parse("kernel=k opt1\nmodules=a---b  --opt x=1 ---c---\n");
        Assert.Equal(["a", "b", "c"], cfg.Modules.Select(m => m.Path));
        Assert.Equal("--opt x=1", cfg.Modules[1].Options);
        Assert.Equal("opt1", cfg.KernelLineOptions);
    }

    [Fact]
    public void CommentsBlankLinesUnknownKeysAndWhitespace()
    {
        var cfg = Parse("# boot.cfg\r\n\r\n  kernel = b.b00   # the kernel\r\nfrobnicate=yes\nno equals here\ntimeout=10\r\n");
        Assert.Equal("b.b00", cfg.Kernel);
        Assert.Equal(10, cfg.Timeout);
        Assert.Equal(2, cfg.Warnings.Count);
        Assert.Empty(cfg.Modules);
    }

    [Theory]
    [InlineData("")]
    [InlineData("modules=a --- b\n")]
    [InlineData("kernel=\n")]
    [InlineData("# kernel=b.z\n")]
    public void MissingKernel(string text)
    {
        Assert.False(BootConfig.TryParse(text, out _, out string error));
        Assert.Equal("kernel=<FILEPATH> must be set", error);
    }

    [Theory]
    [InlineData("bootstate=4")]
    [InlineData("bootstate=x")]
    [InlineData("timeout=-1")]
    public void InvalidNumbers(string line)
    {
        Assert.False(BootConfig.TryParse("kernel=k\n" + line + "\n", out _, out string error));
        Assert.Contains("invalid value", error);
    }

    [Fact]
    public void BootStatesAndLastValueWins()
    {
        for (int s = 0; s <= 3; s++)
        {
            Assert.Equal((BootState)s, Parse("kernel=k\nbootstate=" + s).BootState);
        }
        Assert.Equal("second", Parse("kernel=first\nkernel=second").Kernel);
    }

    [Fact]
    public void FromBytes()
    {
        Assert.True(BootConfig.TryParse(Encoding.UTF8.GetBytes("kernel=b.b00\ntitle=Café\n"), out var cfg, out _));
        Assert.Equal("Café", cfg.Title);
        Assert.True(BootConfig.TryParse(new byte[] { (byte)'k', (byte)'e', (byte)'r', (byte)'n', (byte)'e', (byte)'l', (byte)'=', 0xFF }, out cfg, out _));
        Assert.Equal("?", cfg.Kernel);
    }
}
