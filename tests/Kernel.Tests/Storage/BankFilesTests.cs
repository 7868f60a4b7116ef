// BankFilesTests.cs -- a bank's boot.cfg and boot.grub rewritten together: the state and counter change in both,
// an added module lands at the end of both lists, everything else is kept, what is written parses back, and texts
// that are not the image tool's layout or unfit module names are refused. Also the confirm transition and the
// install's memory rule.
using Kernel.Storage;
using VisorFs;

namespace Kernel.Tests.Storage;

public class BankFilesTests
{
    private const string Cfg = "bootstate=2\ntitle=VMkernel-CS\ntimeout=5\nprefix=\nkernel=kernel.elf\nkernelopt=panic=exit\n" +
        "modules=s.v00 --- docs.v00\nbuild=0.1.0\nupdated=5\n";

    private const string Grub = "# boot.grub -- generated\nvmk_bootstate=2\nvmk_updated=5\nfunction vmk_load {\n" +
        "    multiboot2 $1/kernel.elf panic=exit bootbank=$2\n    module2 --nounzip $1/s.v00 s.v00\n" +
        "    module2 --nounzip $1/docs.v00 docs.v00\n}\n";

    [Fact]
    public void Confirming_ChangesStateInBothFiles_AndKeepsTheRest()
    {
        Assert.True(BankFiles.TryRewrite(Cfg, Grub, BootState.Valid, 5, null, out string cfg, out string grub, out string error), error);
        Assert.True(BootConfig.TryParse(cfg, out var parsed, out error), error);
        Assert.Equal(BootState.Valid, parsed.BootState);
        Assert.Equal(5, parsed.Updated);
        Assert.Equal(["s.v00", "docs.v00"], parsed.Modules.Select(m => m.Path));
        Assert.Equal("panic=exit", parsed.KernelOptions);
        Assert.Equal(Grub.Replace("vmk_bootstate=2", "vmk_bootstate=0"), grub);
    }

    [Fact]
    public void Installing_AddsTheModuleLast_RaisesUpdated_AndMarksTheBankDirty()
    {
        Assert.True(BankFiles.TryRewrite(Cfg.Replace("bootstate=2", "bootstate=0"), Grub, BootState.Dirty, 6, "extra.v00",
            out string cfg, out string grub, out string error), error);
        Assert.True(BootConfig.TryParse(cfg, out var parsed, out error), error);
        Assert.Equal(["s.v00", "docs.v00", "extra.v00"], parsed.Modules.Select(m => m.Path));
        Assert.Equal((BootState.Dirty, 6), (parsed.BootState, parsed.Updated));
        string[] lines = grub.Split('\n');
        Assert.Contains("vmk_bootstate=2", lines);
        Assert.Contains("vmk_updated=6", lines);
        Assert.Equal("    module2 --nounzip $1/extra.v00 extra.v00", lines[^3]);
        Assert.Equal("}", lines[^2]);
        Assert.Equal("", lines[^1]);
    }

    [Theory]
    [InlineData("bad name.v00")]
    [InlineData("../x.v00")]
    [InlineData("x;reboot")]
    [InlineData("")]
    [InlineData("docs.v00")]   // already listed
    public void UnfitModuleNames_AreRefused(string name)
    {
        Assert.False(BankFiles.TryRewrite(Cfg, Grub, BootState.Dirty, 6, name, out string cfg, out string grub, out string error));
        Assert.Null(cfg);
        Assert.Null(grub);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TextsNotInTheToolsLayout_AreRefused()
    {
        Assert.False(BankFiles.TryRewrite("modules=a\n", Grub, BootState.Valid, 1, null, out _, out _, out _));   // no kernel=
        Assert.False(BankFiles.TryRewrite(Cfg, "vmk_updated=5\nfunction vmk_load {\n}\n", BootState.Valid, 1, null, out _, out _, out _));
        Assert.False(BankFiles.TryRewrite(Cfg, "vmk_bootstate=2\nvmk_updated=5\n", BootState.Valid, 1, null, out _, out _, out _));
    }

    [Theory]
    [InlineData(BootState.Dirty, BootState.Valid)]
    [InlineData(BootState.Upgrading, BootState.Valid)]
    [InlineData(BootState.Valid, BootState.Valid)]
    [InlineData(BootState.Invalid, BootState.Invalid)]
    public void ABootThatCameUp_ConfirmsATrialBankOnly(BootState booted, BootState after) =>
        Assert.Equal(after, BankFiles.Confirmed(booted));

    [Fact]
    public void Install_NeedsThreeTimesTheBundlePlusTheReserve()
    {
        long bundle = 10L << 20;
        Assert.True(BankFiles.CanInstall(3 * bundle + BankFiles.InstallReserveBytes, bundle, out long needed));
        Assert.Equal(3 * bundle + BankFiles.InstallReserveBytes, needed);
        Assert.False(BankFiles.CanInstall(needed - 1, bundle, out _));
    }
}
