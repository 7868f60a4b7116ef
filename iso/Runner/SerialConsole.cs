// SerialConsole.cs -- a serial console seen from the host: received text, pattern waits, typed input, end of the guest.
//
// QemuSession is the real one; unit tests derive fakes from it, so waiting and matching are the same code in both.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vmk.Iso.Runner;

public enum WaitStatus
{
    Matched,
    Exited,
    TimedOut,
}

/// <summary>How a wait ended. <see cref="Elapsed"/> is the time since the console started when it ended.</summary>
public sealed record WaitResult(WaitStatus Status, Match? Match, int? ExitCode, TimeSpan Elapsed)
{
    public bool IsMatch => Status == WaitStatus.Matched;
}

public abstract class SerialConsole
{
    private sealed class Waiter(Regex pattern, int startAt, Regex? report = null)
    {
        public Regex Pattern { get; } = pattern;
        public int StartAt { get; } = startAt;

        /// <summary>When set, the match reported is this pattern's, at the index of Pattern's group "at".</summary>
        public Regex? Report { get; } = report;
        public TaskCompletionSource<WaitResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly object _gate = new();
    private readonly SerialText _serial = new();
    private readonly List<Waiter> _waiters = [];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _cleanCache;
    private int? _exitCode;

    /// <summary>Called (outside the lock) with every decoded chunk as received, escape sequences included.</summary>
    public event Action<string>? Received;

    /// <summary>When a wait times out, kill the guest (default). A timed-out guest is never left running.</summary>
    public bool KillOnTimeout { get; set; } = true;

    /// <summary>Time since the console was created (for a QemuSession: since just before QEMU started).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The text received so far without escape sequences or <c>\r</c>.</summary>
    public string Text
    {
        get { lock (_gate) { return _cleanCache ??= _serial.Clean; } }
    }

    /// <summary>The text received so far as sent (escape sequences, <c>\r\n</c>).</summary>
    public string RawText
    {
        get { lock (_gate) { return _serial.Raw; } }
    }

    /// <summary>Length of <see cref="Text"/>: a position to wait from.</summary>
    public int Length
    {
        get { lock (_gate) { return _serial.CleanLength; } }
    }

    public bool HasExited
    {
        get { lock (_gate) { return _exitCode.HasValue; } }
    }

    public int? ExitCode
    {
        get { lock (_gate) { return _exitCode; } }
    }

    public bool PanicSeen => Text.Contains(ShellPrompt.PanicMarker, StringComparison.Ordinal);

    /// <summary>Waits until <paramref name="pattern"/> matches the text from <paramref name="startAt"/>, the guest
    /// exits, or <paramref name="timeout"/> passes. A pattern anchored with <c>$</c> is checked after every chunk, so
    /// it matches when the text ended there at some moment (e.g. a prompt waiting for input).</summary>
    public Task<WaitResult> WaitForAsync(Regex pattern, TimeSpan timeout, int startAt = 0, CancellationToken cancellationToken = default) =>
        WaitAsync(new Waiter(pattern, startAt), timeout, cancellationToken);

    private async Task<WaitResult> WaitAsync(Waiter waiter, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var match = TryMatch(waiter);
            if (match is not null)
            {
                return new WaitResult(WaitStatus.Matched, match, _exitCode, _clock.Elapsed);
            }
            if (_exitCode.HasValue)
            {
                return new WaitResult(WaitStatus.Exited, null, _exitCode, _clock.Elapsed);
            }
            _waiters.Add(waiter);
        }
        WaitResult result;
        using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timer.CancelAfter(timeout);
            using (timer.Token.Register(() => waiter.Done.TrySetResult(new WaitResult(WaitStatus.TimedOut, null, null, _clock.Elapsed))))
            {
                result = await waiter.Done.Task.ConfigureAwait(false);
            }
        }
        lock (_gate)
        {
            _waiters.Remove(waiter);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (result.Status == WaitStatus.TimedOut && KillOnTimeout)
        {
            Kill();
        }
        return result;
    }

    /// <summary>Waits for the shell prompt as the last thing received after <paramref name="startAt"/>.</summary>
    public Task<WaitResult> WaitForPromptAsync(TimeSpan timeout, int startAt = 0, CancellationToken cancellationToken = default) =>
        WaitForAsync(ShellPrompt.AtEnd(), timeout, startAt, cancellationToken);

    /// <summary>
    /// Waits for the prompt that ends a command typed at <paramref name="startAt"/>: first the shell's echo of the
    /// command line, then the prompt as the last thing received after it. The shell draws its prompt again after a
    /// log line printed while it waits for input, so a prompt seen before the echo belongs to the previous command.
    /// A command with characters the shell does not echo as typed (control characters, escape sequences) cannot be
    /// recognized: then any prompt at the end counts.
    /// </summary>
    public Task<WaitResult> WaitForCommandPromptAsync(string command, Regex prompt, TimeSpan timeout, int startAt, CancellationToken cancellationToken = default)
    {
        if (command.Length == 0 || !command.All(c => c >= ' ' && c < '\u007f'))
        {
            return WaitForAsync(prompt, timeout, startAt, cancellationToken);
        }
        // One pattern, so the prompt counts the moment it is last (a log line arriving right after it cannot hide it):
        // the echo of the command's start (the start only: the shell stops echoing a line past its length limit),
        // then the prompt; the match reported is the prompt's own.
        // \G anchors at startAt: the echo must come after it (an earlier command with the same text does not count).
        string echoed = command.Length > 80 ? command[..80] : command;
        var afterEcho = new Regex($@"\G[\s\S]*?{Regex.Escape(echoed)}[\s\S]*?(?<at>(?:{prompt}))", prompt.Options);
        return WaitAsync(new Waiter(afterEcho, startAt, prompt), timeout, cancellationToken);
    }

    /// <summary>Waits for the guest to end; returns its exit code, or null on timeout (then the guest is killed
    /// when <see cref="KillOnTimeout"/>).</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var finished = await Task.WhenAny(_exited.Task, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (finished == _exited.Task)
        {
            return _exited.Task.Result;
        }
        if (KillOnTimeout)
        {
            Kill();
        }
        return null;
    }

    /// <summary>Types <paramref name="text"/> on the guest's serial input.</summary>
    public abstract Task SendAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Types a line and Enter (<c>\r</c>).</summary>
    public Task SendLineAsync(string line, CancellationToken cancellationToken = default) =>
        SendAsync(line + "\r", cancellationToken);

    /// <summary>Ends the guest now (no-op when it already ended).</summary>
    public abstract void Kill();

    /// <summary>For implementations: bytes arrived from the guest.</summary>
    protected void OnReceived(ReadOnlySpan<byte> bytes)
    {
        string chunk;
        lock (_gate)
        {
            chunk = _serial.Append(bytes);
            _cleanCache = null;
            CheckWaiters();
        }
        if (chunk.Length > 0)
        {
            Received?.Invoke(chunk);
        }
    }

    /// <summary>For implementations: text arrived from the guest (fakes).</summary>
    protected void OnReceived(string text) => OnReceived(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>For implementations: the guest ended with <paramref name="exitCode"/>. Call after the last output.</summary>
    protected void OnExited(int exitCode)
    {
        List<Waiter> pending;
        lock (_gate)
        {
            if (_exitCode.HasValue)
            {
                return;
            }
            _exitCode = exitCode;
            pending = [.. _waiters];
        }
        foreach (var waiter in pending)
        {
            waiter.Done.TrySetResult(new WaitResult(WaitStatus.Exited, null, exitCode, _clock.Elapsed));
        }
        _exited.TrySetResult(exitCode);
    }

    /// <summary>Restarts <see cref="Elapsed"/> (QemuSession: just before the process starts).</summary>
    protected void RestartClock() => _clock.Restart();

    private void CheckWaiters()
    {
        foreach (var waiter in _waiters)
        {
            if (waiter.Done.Task.IsCompleted)
            {
                continue;
            }
            var match = TryMatch(waiter);
            if (match is not null)
            {
                waiter.Done.TrySetResult(new WaitResult(WaitStatus.Matched, match, null, _clock.Elapsed));
            }
        }
    }

    // Caller holds _gate.
    private Match? TryMatch(Waiter waiter)
    {
        string text = _cleanCache ??= _serial.Clean;
        if (waiter.StartAt > text.Length)
        {
            return null;
        }
        var match = waiter.Pattern.Match(text, waiter.StartAt);
        if (match.Success && waiter.Report is { } report)
        {
            match = report.Match(text, match.Groups["at"].Index);
        }
        return match.Success ? match : null;
    }
}
