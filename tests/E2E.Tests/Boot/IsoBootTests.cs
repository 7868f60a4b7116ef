// IsoBootTests.cs -- boots artifacts/iso/vmk.iso through GRUB under SeaBIOS and under OVMF (UEFI), and a per-run ISO
// with extra modules and a state file under each (GRUB's module2 path, which the VisorFS tests' direct boots skip).
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
    public async Task PerRunIso_ExtraModulesAndState_AreMountedAndRestored()
    {
        using var files = new TestModules();
        await using var guest = await Guest.StartAsync(ModulesAndState.Config(BootKind.Bios, files), nameof(BiosIsoBootTests));
        await guest.ExpectPromptAsync();
        guest.Check(guest.Session.Text.Contains("(multiboot2)", StringComparison.Ordinal), "the ISO boot did not come through GRUB's multiboot2");
        await ModulesAndState.CheckAsync(guest);
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

    [Fact(Timeout = 240_000)]
    public async Task PerRunIso_ExtraModulesAndState_AreMountedAndRestored()
    {
        using var files = new TestModules();
        await using var guest = await Guest.StartAsync(ModulesAndState.Config(BootKind.Uefi, files), nameof(UefiIsoBootTests));
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(150));
        guest.Check(guest.Session.Text.Contains("(multiboot2)", StringComparison.Ordinal), "the ISO boot did not come through GRUB's multiboot2");
        await ModulesAndState.CheckAsync(guest);
        await guest.PowerOffAsync();
    }
}
