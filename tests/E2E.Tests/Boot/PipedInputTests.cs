// PipedInputTests.cs -- commands piped into the runner before the guest is up reach the shell whole, on the boot paths
// where firmware and GRUB read the serial port first (`printf 'uname -a\n...' | dotnet run --project iso` used to
// answer `sh: ame: not found`).
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

internal static class PipedInput
{
    public static async Task RunsEveryLineAsync(BootKind boot)
    {
        using var slot = await QemuGate.EnterAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        var input = new StringReader("uname -a\necho piped-two\necho piped-three\npoweroff\n");
        var runner = new Runner(output, error, input);
        var options = new RunnerOptions { Boot = boot, Headless = true, Timeout = TimeSpan.FromSeconds(150) };

        int code = await runner.RunAsync(options, new RunnerEnvironment(StdinIsTerminal: false, HasDisplay: false), CancellationToken.None);

        string serial = output.ToString();
        string context = $"\n--- serial ---\n{serial}\n--- runner ---\n{error}";
        Assert.True(code == ExitCodes.Success, $"runner exited {code}{context}");
        Assert.True(serial.Contains("VMkernel-CS localhost 0.", StringComparison.Ordinal), "uname -a did not run" + context);
        Assert.True(serial.Contains("\npiped-two", StringComparison.Ordinal), "the second line did not run" + context);
        Assert.True(serial.Contains("\npiped-three", StringComparison.Ordinal), "the third line did not run" + context);
        Assert.False(serial.Contains("not found", StringComparison.Ordinal), "a line arrived mangled" + context);
        Assert.True(serial.Contains("Powering off", StringComparison.Ordinal), "poweroff did not run" + context);
    }
}

[Collection(Collections.Bios)]
[Trait("Category", "QEMU")]
public sealed class BiosPipedInputTests
{
    [Fact(Timeout = 200_000)]
    public Task PipedCommands_AllRun_ThroughSeaBiosAndGrub() => PipedInput.RunsEveryLineAsync(BootKind.Bios);
}

[Collection(Collections.Uefi)]
[Trait("Category", "QEMU")]
public sealed class UefiPipedInputTests
{
    [Fact(Timeout = 200_000)]
    public Task PipedCommands_AllRun_ThroughOvmfAndGrub() => PipedInput.RunsEveryLineAsync(BootKind.Uefi);
}
