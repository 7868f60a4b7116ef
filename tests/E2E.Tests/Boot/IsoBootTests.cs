// IsoBootTests.cs -- boots artifacts/iso/vmk.iso through GRUB under SeaBIOS and under OVMF (UEFI).
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class BiosIsoBootTests
{
    [Fact(Timeout = 180_000)]
    public async Task BiosIsoBoot_ReachesPrompt()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Bios), nameof(BiosIsoBootTests));
        await guest.ExpectPromptAsync();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task PerRunIso_WithExtraModulesAndState_ReachesPrompt()
    {
        using var files = new TestModules();
        var config = Guest.Config(BootKind.Bios) with
        {
            ExtraModules = [files.VisorTgz("extra.v00", ("etc/motd", "from extra.v00\n"))],
            StateFile = files.State(("/etc/vmware/esx.conf", 0x3A4, "/adv/Misc/HostName = \"saved\"\n")),
        };
        await using var guest = await Guest.StartAsync(config, nameof(BiosIsoBootTests));
        await guest.ExpectPromptAsync();
        await guest.PowerOffAsync();
    }
}

[Collection(Collections.Uefi)]
[Trait("Category", "QEMU")]
public sealed class UefiIsoBootTests
{
    [Fact(Timeout = 180_000)]
    public async Task UefiIsoBoot_ReachesPrompt()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Uefi), nameof(UefiIsoBootTests));
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(150));
        await guest.PowerOffAsync();
    }
}
