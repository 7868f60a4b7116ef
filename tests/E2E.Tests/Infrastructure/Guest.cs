// Guest.cs -- one booted QEMU for one test: waits with timeouts, assertions that carry the full serial log, log files.
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Vmk.Iso.Runner;
using Xunit.Sdk;

namespace Vmk.E2E.Tests.Infrastructure;

public sealed class Guest : IAsyncDisposable
{
    public static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly IDisposable _slot;
    private readonly string _logName;

    private Guest(QemuSession session, IDisposable slot, string logName)
    {
        Session = session;
        _slot = slot;
        _logName = logName;
    }

    public QemuSession Session { get; }

    /// <summary>Boots QEMU unattended (panic=exit, -no-reboot, headless), like the runner's --exec mode.
    /// <paramref name="logName"/> names artifacts/test-logs/&lt;name&gt;.log (default: the calling test).</summary>
    public static Task<Guest> StartAsync(QemuConfig config, string testClass, [CallerMemberName] string test = "") =>
        StartAsync(config, testClass, allowReboot: false, test);

    /// <summary>As above; with <paramref name="allowReboot"/> a guest reset reboots the machine (QEMU's default)
    /// instead of ending QEMU, for tests of <c>reboot</c> itself.</summary>
    public static async Task<Guest> StartAsync(QemuConfig config, string testClass, bool allowReboot, [CallerMemberName] string test = "")
    {
        var unattended = config with
        {
            KernelOptions = KernelOptions.WithDefault([.. config.KernelOptions, .. ExtraKernelOptions], RunPlan.PanicExitOption),
            NoReboot = !allowReboot,
            Headless = true,
        };
        string bootFile = unattended.BootDisk ?? (unattended.Boot == BootKind.Direct ? unattended.KernelPath : unattended.IsoPath);
        if (!File.Exists(bootFile))
        {
            throw new XunitException($"{bootFile} does not exist: the kernel/ISO build did not run or failed "
                + "(dotnet build Kernel.sln builds it)");
        }
        var slot = await QemuGate.EnterAsync().ConfigureAwait(false);
        try
        {
            return new Guest(QemuSession.Start(unattended), slot, $"{testClass}.{test}");
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Kernel options added to every guest from the environment variable VMK_E2E_KERNELOPT (space-separated): runs the
    /// whole suite in a kernel check mode, e.g. `VMK_E2E_KERNELOPT="gcverify gcstress=200" dotnet test tests/E2E.Tests`.
    /// </summary>
    public static string[] ExtraKernelOptions =>
        (Environment.GetEnvironmentVariable("VMK_E2E_KERNELOPT") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The CPUs every guest gets unless its test sets its own, from the environment variable VMK_E2E_CPUS (default
    /// 1): runs the suite on a multiprocessor guest, e.g. `VMK_E2E_CPUS=4 dotnet test tests/E2E.Tests`.
    /// </summary>
    public static int DefaultCpus =>
        int.TryParse(Environment.GetEnvironmentVariable("VMK_E2E_CPUS"), out int cpus) && cpus >= 1 ? cpus : 1;

    public static QemuConfig Config(BootKind boot, params string[] kernelOptions) =>
        new() { Boot = boot, KernelOptions = kernelOptions, Cpus = DefaultCpus };

    public string Log => Session.DescribeForLog();

    /// <summary>Fails the test with <paramref name="message"/> and the whole serial log unless <paramref name="condition"/>.</summary>
    public void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new XunitException($"{message}\n(log: {LogPath})\n{Log}");
        }
    }

    public async Task<Match> ExpectAsync(Regex pattern, TimeSpan timeout, int startAt = 0, string? what = null)
    {
        var result = await Session.WaitForAsync(pattern, timeout, startAt).ConfigureAwait(false);
        Check(result.IsMatch, $"expected {what ?? "/" + pattern + "/"} but {Describe(result, timeout)}");
        return result.Match!;
    }

    public async Task<string> ExpectPromptAsync(TimeSpan? timeout = null, int startAt = 0)
    {
        var t = timeout ?? BootTimeout;
        var result = await Session.WaitForPromptAsync(t, startAt).ConfigureAwait(false);
        Check(result.IsMatch, $"expected the shell prompt ({ShellPrompt.Example.Trim()}) but {Describe(result, t)}");
        return result.Match!.Value;
    }

    /// <summary>Types a command and returns what it printed before the prompt came back.</summary>
    public async Task<string> RunAsync(string command, TimeSpan? timeout = null)
    {
        var t = timeout ?? CommandTimeout;
        int start = Session.Length;
        var next = Session.WaitForCommandPromptAsync(command, ShellPrompt.AtEnd(), t, start);
        await Session.SendLineAsync(command).ConfigureAwait(false);
        var result = await next.ConfigureAwait(false);
        Check(result.IsMatch, $"'{command}' did not return to the prompt: {Describe(result, t)}");
        string text = Session.Text;
        return Transcript.ExtractOutput(text[start..result.Match!.Index], command);
    }

    public async Task<int> ExpectExitAsync(TimeSpan? timeout = null)
    {
        var t = timeout ?? ExitTimeout;
        int? code = await Session.WaitForExitAsync(t).ConfigureAwait(false);
        Check(code.HasValue, $"expected QEMU to exit within {t.TotalSeconds:F0} s; killed it");
        return code!.Value;
    }

    /// <summary>Types <c>poweroff</c> and expects QEMU to end with 0 (ACPI S5).</summary>
    public async Task PowerOffAsync()
    {
        await Session.SendLineAsync(ExecScript.PowerOffCommand).ConfigureAwait(false);
        int code = await ExpectExitAsync().ConfigureAwait(false);
        Check(code == 0, $"expected QEMU exit code 0 after poweroff, got {code}");
        CheckNoPanic();
    }

    public void CheckNoPanic() => Check(!Session.PanicSeen, "the kernel panicked (@BlueScreen: on serial)");

    public string LogPath => Path.Combine(RepoPaths.TestLogs, Sanitize(_logName) + ".log");

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync().ConfigureAwait(false);
        _slot.Dispose();
        try
        {
            Directory.CreateDirectory(RepoPaths.TestLogs);
            await File.WriteAllTextAsync(LogPath, Session.DescribeForLog()).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private string Describe(WaitResult result, TimeSpan timeout) => result.Status switch
    {
        WaitStatus.TimedOut => $"nothing matched within {timeout.TotalSeconds:F0} s (QEMU killed)",
        WaitStatus.Exited => $"QEMU exited with {result.ExitCode}" + (Session.PanicSeen ? " after a kernel panic" : ""),
        _ => "it matched",
    };

    private static string Sanitize(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
