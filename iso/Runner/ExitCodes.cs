// ExitCodes.cs -- the runner's process exit codes and how QEMU's exit status maps onto them.
namespace Vmk.Iso.Runner;

/// <summary>Exit codes of <c>dotnet run --project iso</c>; also documented in <c>--help</c> and iso/README.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int UsageOrBuildError = 1;
    public const int HostToolsMissing = 2;
    public const int Timeout = 3;
    public const int KernelPanic = 4;
    public const int NoPromptOrEarlyExit = 5;
    public const int SelfTestsFailed = 6;

    /// <summary>QEMU's exit status for isa-debug-exit value v is (v &lt;&lt; 1) | 1.</summary>
    public const int QemuSelfTestsPassed = (0x10 << 1) | 1;   // 33
    public const int QemuSelfTestsFailed = (0x11 << 1) | 1;   // 35
    public const int QemuPanicExit = (0x12 << 1) | 1;         // 37

    /// <summary>One table for --help and the README: code, meaning.</summary>
    public static readonly (int Code, string Meaning)[] Table =
    [
        (Success, "success (QEMU exited 0 via poweroff/reboot, or 33 = self-tests passed)"),
        (UsageOrBuildError, "usage error or build failure (missing kernel.elf / vmk.iso)"),
        (HostToolsMissing, "host tools missing (see tools/ensure-host-tools.sh)"),
        (Timeout, "timeout (QEMU was killed)"),
        (KernelPanic, "kernel panic (@BlueScreen: on serial, or QEMU exit 37)"),
        (NoPromptOrEarlyExit, "shell prompt not reached, a command did not return to the prompt, or QEMU exited early"),
        (SelfTestsFailed, "self-tests failed (QEMU exit 35)"),
    ];

    public static string Describe()
    {
        var lines = new System.Text.StringBuilder("Exit codes:");
        foreach (var (code, meaning) in Table)
        {
            lines.Append('\n').Append("  ").Append(code).Append("  ").Append(meaning);
        }
        return lines.ToString();
    }

    /// <summary>Maps how QEMU ended to a runner exit code. A panic seen on serial wins over everything.</summary>
    public static int FromQemuExit(int qemuExitCode, bool panicSeen)
    {
        if (panicSeen)
        {
            return KernelPanic;
        }
        return qemuExitCode switch
        {
            0 => Success,
            QemuSelfTestsPassed => Success,
            QemuSelfTestsFailed => SelfTestsFailed,
            QemuPanicExit => KernelPanic,
            _ => NoPromptOrEarlyExit,
        };
    }
}
