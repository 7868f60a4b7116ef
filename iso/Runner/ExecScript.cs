// ExecScript.cs -- the --exec mode: wait for the prompt, type each command, wait for the prompt again, power off.
namespace Vmk.Iso.Runner;

public enum ExecOutcome
{
    Success,
    Timeout,
    Panic,
    PromptNotReached,
    CommandDidNotReturn,
    EarlyExit,
    SelfTestsFailed,
}

public sealed record ExecResult(ExecOutcome Outcome, Transcript Transcript, int? QemuExitCode, string Detail)
{
    public int ExitCode => Outcome switch
    {
        ExecOutcome.Success => ExitCodes.Success,
        ExecOutcome.Timeout => ExitCodes.Timeout,
        ExecOutcome.Panic => ExitCodes.KernelPanic,
        ExecOutcome.SelfTestsFailed => ExitCodes.SelfTestsFailed,
        _ => ExitCodes.NoPromptOrEarlyExit,
    };
}

public sealed class ExecScript(IEnumerable<string> commands)
{
    public IReadOnlyList<string> Commands { get; } = [.. commands];

    /// <summary>For the whole script, boot included; on expiry the guest is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Type <c>poweroff</c> after the last command and wait for the guest to end (QEMU exit 0).</summary>
    public bool PowerOffAtEnd { get; init; } = true;

    public const string PowerOffCommand = "poweroff";

    public async Task<ExecResult> RunAsync(SerialConsole console, CancellationToken cancellationToken = default)
    {
        var transcript = new Transcript();
        var deadline = DateTime.UtcNow + Timeout;
        TimeSpan Remaining() => Max(deadline - DateTime.UtcNow, TimeSpan.Zero);

        // A panic screen that ends in a halt (panic=halt) ends the wait too: QEMU would never exit by itself.
        var wait = await console.WaitForAsync(ShellPrompt.PromptOrHaltedPanic(), Remaining(), 0, cancellationToken).ConfigureAwait(false);
        if (wait.IsMatch && IsHaltedPanic(wait))
        {
            console.Kill();
            return new ExecResult(ExecOutcome.Panic, transcript, null, "kernel panic before the prompt (halted; QEMU killed)");
        }
        if (!wait.IsMatch)
        {
            return Ended(console, transcript, wait, ExecOutcome.PromptNotReached, "the shell prompt was not reached");
        }
        string prompt = wait.Match!.Value;

        for (int i = 0; i < Commands.Count; i++)
        {
            string command = Commands[i];
            int start = console.Length;
            // Wait first, then type: the waiter is registered before the guest can answer, so a log line arriving
            // right after the next prompt cannot hide it.
            var next = console.WaitForCommandPromptAsync(command, ShellPrompt.PromptOrHaltedPanic(), Remaining(), start, cancellationToken);
            await console.SendLineAsync(command, cancellationToken).ConfigureAwait(false);
            wait = await next.ConfigureAwait(false);
            string text = console.Text;
            bool halted = wait.IsMatch && IsHaltedPanic(wait);
            int end = wait.IsMatch && !halted ? wait.Match!.Index : text.Length;
            string output = Transcript.ExtractOutput(text[Math.Min(start, end)..end], command);
            transcript.Add(new TranscriptEntry(prompt, command, output, wait.IsMatch && !halted));
            if (halted)
            {
                console.Kill();
                return new ExecResult(ExecOutcome.Panic, transcript, null, $"kernel panic during '{command}' (halted; QEMU killed)");
            }
            if (!wait.IsMatch)
            {
                // `poweroff` and `reboot` end the guest on purpose (the runner boots with -no-reboot): success when
                // QEMU says so and nothing was left to run.
                if (EndsTheGuest(command) && wait.Status == WaitStatus.Exited
                    && ExitCodes.FromQemuExit(wait.ExitCode ?? -1, console.PanicSeen) == ExitCodes.Success)
                {
                    return i == Commands.Count - 1
                        ? new ExecResult(ExecOutcome.Success, transcript, wait.ExitCode, $"the guest ended after '{command}'")
                        : new ExecResult(ExecOutcome.EarlyExit, transcript, wait.ExitCode,
                            $"the guest ended after '{command}'; {Commands.Count - 1 - i} command(s) not run");
                }
                return Ended(console, transcript, wait, ExecOutcome.CommandDidNotReturn,
                    $"'{command}' did not return to the prompt");
            }
            prompt = wait.Match!.Value;
            if (console.PanicSeen)
            {
                return new ExecResult(ExecOutcome.Panic, transcript, console.ExitCode, $"kernel panic during '{command}'");
            }
        }

        if (!PowerOffAtEnd)
        {
            return new ExecResult(ExecOutcome.Success, transcript, console.ExitCode, "all commands returned to the prompt");
        }

        int offStart = console.Length;
        await console.SendLineAsync(PowerOffCommand, cancellationToken).ConfigureAwait(false);
        int? exit = await console.WaitForExitAsync(Remaining(), cancellationToken).ConfigureAwait(false);
        string rest = console.Text;
        transcript.Add(new TranscriptEntry(prompt, PowerOffCommand,
            Transcript.ExtractOutput(rest[Math.Min(offStart, rest.Length)..], PowerOffCommand), Completed: exit.HasValue));
        if (exit is null)
        {
            return new ExecResult(ExecOutcome.Timeout, transcript, null, $"QEMU did not exit within {Timeout.TotalSeconds:F0} s of starting ('{PowerOffCommand}' hung)");
        }
        int code = ExitCodes.FromQemuExit(exit.Value, console.PanicSeen);
        var outcome = code switch
        {
            ExitCodes.Success => ExecOutcome.Success,
            ExitCodes.KernelPanic => ExecOutcome.Panic,
            ExitCodes.SelfTestsFailed => ExecOutcome.SelfTestsFailed,
            _ => ExecOutcome.EarlyExit,
        };
        return new ExecResult(outcome, transcript, exit, outcome == ExecOutcome.Success
            ? "all commands returned to the prompt; powered off"
            : $"QEMU exited with {exit} after '{PowerOffCommand}'");
    }

    private static bool IsHaltedPanic(WaitResult wait) => wait.Match!.Value.StartsWith(ShellPrompt.PanicMarker, StringComparison.Ordinal);

    private static bool EndsTheGuest(string command)
    {
        string first = command.Trim().Split(' ', 2)[0];
        return first is PowerOffCommand or "reboot";
    }

    // The guest ended or the time ran out before a prompt: decide which failure it was.
    private ExecResult Ended(SerialConsole console, Transcript transcript, WaitResult wait, ExecOutcome otherwise, string what)
    {
        if (wait.Status == WaitStatus.TimedOut)
        {
            return new ExecResult(ExecOutcome.Timeout, transcript, null, $"{what} within {Timeout.TotalSeconds:F0} s (timeout)");
        }
        int code = ExitCodes.FromQemuExit(wait.ExitCode ?? -1, console.PanicSeen);
        var outcome = code switch
        {
            ExitCodes.KernelPanic => ExecOutcome.Panic,
            ExitCodes.SelfTestsFailed => ExecOutcome.SelfTestsFailed,
            _ => otherwise,
        };
        return new ExecResult(outcome, transcript, wait.ExitCode, $"{what}: QEMU exited with {wait.ExitCode}");
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
