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
