// HostSafetyTests.cs -- requests that would have taken the host's console or prompt away are refused: killing a
// critical system world, and kernel options with values that would break the prompt or the cron clock.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class HostSafetyTests
{
    [Fact(Timeout = 120_000)]
    public async Task CriticalSystemWorlds_RefuseKill_AndTheConsoleKeepsWorking()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(HostSafetyTests));
        await guest.ExpectPromptAsync();
        string ps = await guest.RunAsync("ps");
        foreach (string name in new[] { "driver-serial", "driver-keyboard", "vmklogger", "crond" })
        {
            var line = ps.Split('\n').First(l => l.TrimEnd().EndsWith(name, StringComparison.Ordinal));
            string id = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            string refused = await guest.RunAsync($"kill {id}");
            guest.Check(refused.Contains("critical system world and cannot be killed", StringComparison.Ordinal), $"kill {id} ({name}): {refused}");
        }
        string echoed = await guest.RunAsync("echo console-alive");
        guest.Check(echoed.Contains("console-alive", StringComparison.Ordinal), $"the console stopped answering: {echoed}");
        string after = await guest.RunAsync("ps");
        guest.Check(after.Contains("driver-serial", StringComparison.Ordinal) && after.Contains("crond", StringComparison.Ordinal), $"a critical world died:\n{after}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task BadHostNameCronPeriodAndLogSize_AreRefusedWithALogLine_AndDefaultsUsed()
    {
        var config = Guest.Config(BootKind.Direct) with { KernelOptions = ["hostname=bad]name", "cronperiod=0", "logsize=8", "panic=exit"] };
        await using var guest = await Guest.StartAsync(config, nameof(HostSafetyTests));
        await guest.ExpectPromptAsync();
        guest.Check(guest.Session.Text.Contains("Invalid value for kernel option 'hostname=bad]name'; using the default", StringComparison.Ordinal), "no refusal for the host name");
        guest.Check(guest.Session.Text.Contains("Invalid value for kernel option 'cronperiod=0'; using the default", StringComparison.Ordinal), "no refusal for the cron period");
        guest.Check(guest.Session.Text.Contains("Invalid value for kernel option 'logsize=8'; using the default", StringComparison.Ordinal), "no refusal for the log size");
        string uname = await guest.RunAsync("uname -a");
        guest.Check(uname.Contains("VMkernel-CS localhost ", StringComparison.Ordinal), $"the default host name is not in use: {uname}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task MachineWithoutAPit_StopsWithAClearMessage_NeverHangs()
    {
        // QEMU's microvm has no 8254: calibration used to report "TSC 0 MHz" and `uptime` then hung.
        var config = Guest.Config(BootKind.Direct) with { ExtraArguments = ["-machine", "microvm"] };
        await using var guest = await Guest.StartAsync(config, nameof(HostSafetyTests));
        await guest.ExpectAsync(new System.Text.RegularExpressions.Regex(@"@BlueScreen: Timer: no working PIT \(8254\) to calibrate the TSC against"),
            TimeSpan.FromSeconds(60), what: "the panic line naming the missing PIT");
        await guest.ExpectAsync(ShellPrompt.HaltedPanic(), TimeSpan.FromSeconds(30), what: "the end of the panic screen");
    }

    [Fact(Timeout = 120_000)]
    public async Task RamdiskLimitBeyondTheHostsMemory_IsRefused()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(HostSafetyTests));
        await guest.ExpectPromptAsync();
        string refused = await guest.RunAsync("ramdisk add -M 99999999999 -m 0 -n big -t /big -p 0755");
        guest.Check(refused.Contains("ramdisk: limit 99999999999 MB is more than the host's memory", StringComparison.Ordinal), $"accepted: {refused}");
        string list = await guest.RunAsync("ramdisk list");
        guest.Check(!list.Contains("big", StringComparison.Ordinal), $"the ramdisk exists:\n{list}");
        await guest.PowerOffAsync();
    }
}
