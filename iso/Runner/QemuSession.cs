// QemuSession.cs -- one QEMU process whose serial port is this process's pipe: collects output, types input, ends it.
using System.Diagnostics;
using System.Text;

namespace Vmk.Iso.Runner;

public sealed class QemuSession : SerialConsole, IAsyncDisposable, IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _inputLock = new(1, 1);
    private readonly string? _ovmfVarsCopy;
    private readonly Task _monitor;
    private int _disposed;

    private readonly PreparedBoot? _media;

    private QemuSession(QemuCommandLine commandLine, string? ovmfVarsCopy, PreparedBoot? media)
    {
        CommandLine = commandLine;
        _ovmfVarsCopy = ovmfVarsCopy;
        _media = media;
        var start = new ProcessStartInfo(commandLine.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in commandLine.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        _process = new Process { StartInfo = start };
        RestartClock();
        _process.Start();
        var stdout = PumpAsync(_process.StandardOutput.BaseStream, bytes => OnReceived(bytes));
        var stderr = PumpAsync(_process.StandardError.BaseStream, bytes =>
        {
            lock (_stderr)
            {
                _stderr.Append(Encoding.UTF8.GetString(bytes));
            }
        });
        _monitor = MonitorAsync(stdout, stderr);
        if (commandLine.Config.Rollback)
        {
            _ = ChooseRollbackEntryAsync();
        }
    }

    /// <summary>The disk image's GRUB menu (iso/grub/disk-grub.cfg) waits 2 s; its second entry boots the other
    /// bank. 'v' moves the highlight down (GRUB's menu takes it like the down arrow) and Enter boots it.</summary>
    private async Task ChooseRollbackEntryAsync()
    {
        // Polled rather than WaitForAsync: a wait that times out kills QEMU, and a boot without the menu should fail
        // on the caller's own terms.
        for (int i = 0; i < 2400 && !HasExited; i++)
        {
            if (RawText.Contains("GNU GRUB", StringComparison.Ordinal))
            {
                await SendAsync("v").ConfigureAwait(false);
                await SendAsync("\r").ConfigureAwait(false);
                return;
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    public QemuCommandLine CommandLine { get; }

    /// <summary>What QEMU itself printed on stderr (bad arguments, missing files, warnings).</summary>
    public string StandardError
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    /// <summary>Starts QEMU. For UEFI without an explicit OVMF_VARS file, a per-run copy is made in artifacts/run/
    /// and deleted when the session is disposed; so are the boot media <see cref="BootMedia.Prepare"/> makes for the
    /// config's modules (symlinks for -initrd, a per-run ISO). Serial is always <c>-serial stdio</c> here.
    /// Bad modules throw <see cref="Vmk.ImageBuilder.ImageBuildException"/>.</summary>
    public static QemuSession Start(QemuConfig config)
    {
        var media = BootMedia.Prepare(config);
        try
        {
            return Start(media.Config, media);
        }
        catch
        {
            media.Dispose();
            throw;
        }
    }

    private static QemuSession Start(QemuConfig config, PreparedBoot media)
    {
        string? varsCopy = null;
        if (config.Boot == BootKind.Uefi && config.OvmfVarsPath is null)
        {
            Directory.CreateDirectory(RepoPaths.RunDir);
            varsCopy = Path.Combine(RepoPaths.RunDir, $"ovmf-vars-{Environment.ProcessId}-{Guid.NewGuid():N}.fd");
            File.Copy(RepoPaths.OvmfVars, varsCopy);
            config = config with { OvmfVarsPath = varsCopy };
        }
        try
        {
            return new QemuSession(new QemuCommandLine(config with { Serial = SerialMode.Stdio }), varsCopy, media);
        }
        catch
        {
            TryDelete(varsCopy);
            throw;
        }
    }

    public override async Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        await _inputLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (HasExited)
            {
                return;
            }
            var stdin = _process.StandardInput.BaseStream;
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            await stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // QEMU went away between the check and the write; its exit is reported through ExitCode.
        }
        finally
        {
            _inputLock.Release();
        }
    }

    public override void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <summary>The command, the serial text, QEMU's stderr and how it ended: what a failed test should show.</summary>
    public string DescribeForLog()
    {
        var log = new StringBuilder();
        log.Append("$ ").AppendLine(CommandLine.ToString());
        log.AppendLine("--- serial ---");
        log.AppendLine(Text);
        string stderr = StandardError;
        if (stderr.Length > 0)
        {
            log.AppendLine("--- qemu stderr ---").AppendLine(stderr);
        }
        log.Append("--- ").Append(HasExited ? $"qemu exit code {ExitCode}" : "qemu still running")
           .Append(" after ").Append(Elapsed.TotalSeconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))
           .AppendLine(" s ---");
        return log.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Kill();
        await Task.WhenAny(_monitor, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        _process.Dispose();
        _inputLock.Dispose();
        TryDelete(_ovmfVarsCopy);
        _media?.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task MonitorAsync(Task stdout, Task stderr)
    {
        // Output first, then the exit: a waiter never sees "exited" before the last line QEMU printed.
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        OnExited(_process.ExitCode);
    }

    private static async Task PumpAsync(Stream stream, Action<byte[]> sink)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                sink(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void TryDelete(string? path)
    {
        try
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
