// GrubConfigTests.cs -- boot.cfg -> grub.cfg: separators with and without spaces, per-module options, comments, quoting.
using VisorFs;
using Vmk.ImageBuilder;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Image;

public sealed class GrubConfigTests
{
    private const string Template = "set timeout=@TIMEOUT@\nmenuentry \"@TITLE@\" {\n    @KERNEL@\n@MODULES@\n    boot\n}\n";

    private static string Generate(string bootCfg, string template = Template)
    {
        Assert.True(BootConfig.TryParse(bootCfg, out var config, out string error), error);
        return GrubConfig.Generate(config, template);
    }

    [Fact]
    public void Kernel_Modules_Title_Timeout()
    {
        string grub = Generate("title=VMkernel-CS\ntimeout=3\nkernel=kernel.elf\nkernelopt=loglevel=debug selftest\n"
            + "modules=s.v00 --- docs.v00 --- state.tgz\n");
        Assert.Equal(
            "set timeout=3\nmenuentry \"VMkernel-CS\" {\n    multiboot2 /boot/kernel.elf loglevel=debug selftest\n"
            + "    module2 --nounzip /boot/s.v00 s.v00\n    module2 --nounzip /boot/docs.v00 docs.v00\n"
            + "    module2 --nounzip /boot/state.tgz state.tgz\n    boot\n}\n",
            grub);
    }

    [Theory]
    [InlineData("modules=a.v00---b.v00---c.tgz")]
    [InlineData("modules=a.v00 --- b.v00 --- c.tgz")]
    [InlineData("modules=  a.v00\t---b.v00 ---   c.tgz  --- ")]
    [InlineData("modules=a.v00 --- b.v00 --- c.tgz # --- d.v00 is commented out")]
    public void Separators_WithAndWithoutSpaces_AndComments(string modulesLine)
    {
        string grub = Generate("# a comment line\nkernel=k.elf   # trailing comment\n" + modulesLine + "\n");
        var lines = grub.Split('\n').Where(l => l.Contains("module2", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal(
            ["module2 --nounzip /boot/a.v00 a.v00", "module2 --nounzip /boot/b.v00 b.v00", "module2 --nounzip /boot/c.tgz c.tgz"],
            lines);
        Assert.Contains("multiboot2 /boot/k.elf\n", grub, StringComparison.Ordinal);
        Assert.Contains("menuentry \"vmk\"", grub, StringComparison.Ordinal);
        Assert.Contains("set timeout=5\n", grub, StringComparison.Ordinal);
    }

    [Fact]
    public void PerModuleOptions_FollowTheName_OneWordEach()
    {
        string grub = Generate("kernel=k\nmodules=s.v00 --- foo.v00 opt=1   verbose --- bar.tgz x=a,b\n");
        Assert.Contains("    module2 --nounzip /boot/foo.v00 foo.v00 opt=1 verbose\n", grub, StringComparison.Ordinal);
        Assert.Contains("    module2 --nounzip /boot/bar.tgz bar.tgz x=a,b\n", grub, StringComparison.Ordinal);
    }

    [Fact]
    public void PathsInBootCfg_BecomeBaseNamesInBoot()
    {
        string grub = Generate("prefix=/bank1\nkernel=b.b00\nmodules=sub/s.v00 --- /abs/state.tgz\n");
        Assert.Contains("multiboot2 /boot/b.b00\n", grub, StringComparison.Ordinal);
        Assert.Contains("module2 --nounzip /boot/s.v00 s.v00\n", grub, StringComparison.Ordinal);
        Assert.Contains("module2 --nounzip /boot/state.tgz state.tgz\n", grub, StringComparison.Ordinal);
    }

    [Fact]
    public void NoModules_LeavesNoPlaceholderLine()
    {
        string grub = Generate("kernel=k\n");
        Assert.Equal("set timeout=5\nmenuentry \"vmk\" {\n    multiboot2 /boot/k\n    boot\n}\n", grub);
    }

    [Theory]
    [InlineData("plain=1", "plain=1")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("{x}", "'{x}'")]
    public void Words_GrubWouldExpand_AreSingleQuoted(string word, string expected)
    {
        Assert.Equal(expected, GrubConfig.Quote(word));
    }

    [Fact]
    public void Title_IsEscapedInsideDoubleQuotes()
    {
        string grub = Generate("title=say \"hi\" $x\nkernel=k\n");
        Assert.Contains("menuentry \"say \\\"hi\\\" \\$x\" {", grub, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryTemplate_HasEveryPlaceholder_AndTheBuiltBootCfgFillsThem()
    {
        string template = File.ReadAllText(Path.Combine(RepoPaths.Root, "iso", "grub", "grub.cfg.in"));
        foreach (string placeholder in new[] { "@TIMEOUT@", "@TITLE@", "@KERNEL@", "@MODULES@" })
        {
            Assert.Contains(placeholder, template, StringComparison.Ordinal);
        }
        string grub = Generate(File.ReadAllText(Path.Combine(RepoPaths.Root, "artifacts", "bootbank", "boot.cfg")), template);
        Assert.DoesNotContain("@", grub.Replace("$grub_platform", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("module2 --nounzip /boot/s.v00 s.v00\n", grub, StringComparison.Ordinal);
    }
}
