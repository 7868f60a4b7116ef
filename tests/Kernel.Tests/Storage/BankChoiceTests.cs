// BankChoiceTests.cs -- which volumes become /bootbank and /altbootbank: by the serial GRUB passes (bootbank=), on the
// booted bank's disk only, and by label when there is no serial or it names no bank.
using Kernel.Storage;

namespace Kernel.Tests.Storage;

public sealed class BankChoiceTests
{
    private static BankCandidate V(string label, uint serial, string disk = "mpx.vmhba0:C0:T0:L0") =>
        new() { Label = label, Serial = serial, Disk = disk };

    [Theory]
    [InlineData("5EED-0B01", 0x5EED0B01u)]
    [InlineData("5eed-0b02", 0x5EED0B02u)]
    [InlineData("0000-0000", 0u)]
    [InlineData("FFFF-ffff", 0xFFFFFFFFu)]
    public void Serial_ParsesGrubsFsUuidText(string text, uint expected)
    {
        Assert.True(BankChoice.TryParseSerial(text, out uint serial));
        Assert.Equal(expected, serial);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5EED0B01")]
    [InlineData("5EED-0B0")]
    [InlineData("5EED-0B011")]
    [InlineData("5EEG-0B01")]
    [InlineData("5EED_0B01")]
    [InlineData("-5EED0B01")]
    public void Serial_RefusesAnythingElse(string text) => Assert.False(BankChoice.TryParseSerial(text, out _));

    [Fact]
    public void WithSerial_TheBootedBankIsBootbank_EvenWhenItIsBootbank2()
    {
        var volumes = new[] { V("VMK-ESP", 0x5EED0E5F), V("BOOTBANK1", 0x5EED0B01), V("BOOTBANK2", 0x5EED0B02), V("SCRATCH", 0x5EED05C4) };
        BankChoice.Choose(volumes, true, 0x5EED0B02, out int bank, out int alt);
        Assert.Equal((2, 1), (bank, alt));
        BankChoice.Choose(volumes, true, 0x5EED0B01, out bank, out alt);
        Assert.Equal((1, 2), (bank, alt));
    }

    [Fact]
    public void WithSerial_TheOtherBankMustBeOnTheSameDisk()
    {
        // A second disk with the same image (same labels, other serials) must not become /altbootbank.
        var volumes = new[] { V("BOOTBANK1", 0xAAAA0001, "disk1"), V("BOOTBANK2", 0xAAAA0002, "disk1"), V("BOOTBANK2", 0x5EED0B02, "disk0"), V("BOOTBANK1", 0x5EED0B01, "disk0") };
        BankChoice.Choose(volumes, true, 0x5EED0B01, out int bank, out int alt);
        Assert.Equal((3, 2), (bank, alt));
        BankChoice.Choose(new[] { V("BOOTBANK1", 1, "disk0"), V("BOOTBANK2", 2, "disk1") }, true, 1, out bank, out alt);
        Assert.Equal((0, -1), (bank, alt));
    }

    [Fact]
    public void WithSerial_OnlyBankVolumesQualify()
    {
        var volumes = new[] { V("SCRATCH", 0x5EED0B01), V("BOOTBANK1", 7) };
        BankChoice.Choose(volumes, true, 0x5EED0B01, out int bank, out int alt);
        Assert.Equal((-1, -1), (bank, alt));
    }

    [Fact]
    public void WithoutSerial_TheLabelsDecide()
    {
        var volumes = new[] { V("BOOTBANK2", 2), V("DATA", 3), V("BOOTBANK1", 1) };
        BankChoice.Choose(volumes, false, 0, out int bank, out int alt);
        Assert.Equal((2, 0), (bank, alt));
        BankChoice.Choose(new[] { V("DATA", 3) }, false, 0, out bank, out alt);
        Assert.Equal((-1, -1), (bank, alt));
    }
}
