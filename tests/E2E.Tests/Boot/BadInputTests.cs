// BadInputTests.cs -- boots the kernel where it cannot run: too little memory ends in the panic screen with a
// message that says so (and, under test, QEMU's panic exit), instead of a hang or a fault somewhere later.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class BadInputTests
{
    private const int TestTimeoutMs = 120_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task TooLittleMemory_EndsInThePanicScreen_SayingSo()
    {
        Assert.True(MemorySize.TryParse("40M", out var size, out _));
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = size }, nameof(BadInputTests));
        int code = await guest.ExpectExitAsync(TimeSpan.FromSeconds(60));
        guest.Check(code == ExitCodes.QemuPanicExit, $"expected QEMU exit {ExitCodes.QemuPanicExit} (panic=exit), got {code}");
        guest.Check(guest.Session.Text.Contains("@BlueScreen: not enough memory", StringComparison.Ordinal),
            "expected the panic screen to say 'not enough memory'");
    }
}
