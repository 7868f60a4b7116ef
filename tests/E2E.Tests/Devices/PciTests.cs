// PciTests.cs -- PCI enumeration in QEMU: i440fx through the legacy ports, q35 through ECAM from the MCFG, a device
// behind a PCI-to-PCI bridge, BARs as QEMU assigns them, MSI/MSI-X, and lspci's format.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Devices;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class PciTests
{
    private const int TestTimeoutMs = 180_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task I440fx_IsEnumeratedThroughTheLegacyPorts_WithItsKnownDevices()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(PciTests));
        await guest.ExpectPromptAsync();
        guest.Check(guest.Session.Text.Contains("functions on 1 buses (legacy ports 0xCF8/0xCFC)", StringComparison.Ordinal), "no legacy-port enumeration line in the boot log");
        string lspci = await guest.RunAsync("lspci -v");
        // QEMU's pc machine: 440FX host bridge, PIIX3 ISA and IDE, the std VGA with its 16 MiB framebuffer, e1000.
        foreach (string line in new[]
        {
            "0000:00:00.0 Host bridge [0600]: 8086:1237 [-]",
            "0000:00:01.0 ISA bridge [0601]: 8086:7000 [-]",
            "0000:00:01.1 IDE interface [0101]: 8086:7010 [-]",
            "0000:00:02.0 VGA compatible controller [0300]: 1234:1111 [-]",
        })
            guest.Check(lspci.Contains(line, StringComparison.Ordinal), $"lspci lacks '{line}':\n{lspci}");
        guest.Check(Regex.IsMatch(lspci, @"0000:00:02\.0 VGA[^\n]*\n\s+BAR0: Memory at 0x[0-9a-f]+ size 0x1000000 \(32-bit, prefetchable\)"), $"the VGA framebuffer BAR:\n{lspci}");
        guest.Check(Regex.IsMatch(lspci, @"BAR4: I/O ports at 0x[0-9a-f]+ size 0x10\b"), $"the IDE bus-master I/O BAR:\n{lspci}");
        string usage = await guest.RunAsync("lspci -x");
        guest.Check(usage.Contains("usage: lspci [-v]", StringComparison.Ordinal), $"a bad option: {usage}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Q35_IsEnumeratedThroughEcam_IncludingADeviceBehindABridge()
    {
        var config = Guest.Config(BootKind.Direct) with
        {
            ExtraArguments =
            [
                "-machine", "q35",
                "-device", "pci-bridge,id=br1,chassis_nr=1,bus=pcie.0,addr=0x5",
                "-device", "virtio-rng-pci,bus=br1,addr=0x3",
            ],
        };
        await using var guest = await Guest.StartAsync(config, nameof(PciTests));
        await guest.ExpectPromptAsync();
        guest.Check(Regex.IsMatch(guest.Session.Text, @"PCI: \d+ functions on 2 buses \(ECAM at 0xB0000000, buses 0-255\)"), "no ECAM enumeration line in the boot log");
        string lspci = await guest.RunAsync("lspci -v");
        foreach (string line in new[]
        {
            "0000:00:00.0 Host bridge [0600]: 8086:29c0 [-]",
            "0000:00:05.0 PCI bridge [0604]: 1b36:0001 (bus 1-1) (MSI) [-]",
            "0000:00:1f.0 ISA bridge [0601]: 8086:2918 [-]",
            "0000:00:1f.2 SATA controller [0106]: 8086:2922 (MSI) [ahci]",   // claimed: q35's built-in AHCI (the ISO's CD is on it)
            "0000:01:03.0 Unassigned class [00ff]: 1af4:1005 (MSI-X) [-]",
        })
            guest.Check(lspci.Contains(line, StringComparison.Ordinal), $"lspci lacks '{line}':\n{lspci}");
        // virtio-rng behind the bridge: its modern virtio BAR is 64-bit and prefetchable, within the bridge's window.
        guest.Check(Regex.IsMatch(lspci, @"0000:01:03\.0[^\n]*\n(\s+BAR[^\n]*\n)*\s+BAR4: Memory at 0x[0-9a-f]+ size 0x4000 \(64-bit, prefetchable\)"), $"virtio-rng's BAR4:\n{lspci}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
