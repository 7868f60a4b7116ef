// HostTools.cs -- makes sure QEMU, GRUB, xorriso, mtools and OVMF are there, via tools/ensure-host-tools.sh.
using System.Diagnostics;

namespace Vmk.Iso.Runner;

public static class HostTools
{
    private static readonly object s_gate = new();
    private static int? s_result;

    /// <summary>Runs tools/ensure-host-tools.sh once per process (it installs missing packages as root on Debian and
    /// prints the command to run otherwise). Returns <see cref="ExitCodes.Success"/> or
    /// <see cref="ExitCodes.HostToolsMissing"/>; its messages go to this process's stderr.</summary>
    public static int EnsureOnce()
    {
        lock (s_gate)
        {
            return s_result ??= Ensure();
        }
    }

    private static int Ensure()
    {
        string script = RepoPaths.HostToolsScript;
        if (!File.Exists(script))
        {
            // Not in a repository checkout: the best we can do is look for QEMU itself.
            return IsOnPath("qemu-system-x86_64") ? ExitCodes.Success : ExitCodes.HostToolsMissing;
        }
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--quiet");
        using var process = Process.Start(start);
        if (process is null)
        {
            return ExitCodes.HostToolsMissing;
        }
        process.WaitForExit();
        return process.ExitCode == 0 ? ExitCodes.Success : ExitCodes.HostToolsMissing;
    }

    public static bool IsOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
