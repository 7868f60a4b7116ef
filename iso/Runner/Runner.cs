// Runner.cs -- carries out a RunPlan: checks files and host tools, then runs QEMU in the planned mode.
using System.Diagnostics;

namespace Vmk.Iso.Runner;

/// <param name="output">Where serial output goes (stdout).</param>
/// <param name="error">The runner's own messages (stderr).</param>
/// <param name="input">Piped mode's input (stdin when null): the lines typed into the guest's serial shell.</param>
public sealed class Runner(TextWriter output, TextWriter error, TextReader? input = null)
{
    public async Task<int> RunAsync(RunnerOptions options, RunnerEnvironment environment, CancellationToken cancellationToken)
    {
        var plan = RunPlan.Create(options, environment);
        foreach (var note in plan.Notes)
        {
            error.WriteLine($"iso: {note}");
        }
        if (plan.Config.BootDisk is { } bootDisk && !File.Exists(bootDisk) && File.Exists(RepoPaths.DiskImage))
        {
            // A persistent disk: made once from the built image, then booted and written in place run after run.
            File.Copy(RepoPaths.DiskImage, bootDisk);
            error.WriteLine($"iso: {bootDisk}: a new disk, copied from {RepoPaths.DiskImage}");
        }
        if (plan.Mode != RunMode.Bench && !File.Exists(plan.BootFile))
        {
            error.WriteLine($"iso: {plan.BootFile} does not exist; build it with `dotnet build Kernel.sln` "
                + "(`dotnet run --project iso` builds it too)");
            return ExitCodes.UsageOrBuildError;
        }
        if (HostTools.EnsureOnce() != ExitCodes.Success)
        {
            return ExitCodes.HostToolsMissing;
        }
        try
        {
            var modules = BootMedia.ComposeModules(plan.Config);
            if (BootMedia.HasExtras(plan.Config))
            {
                error.WriteLine($"iso: modules: {string.Join(" --- ", modules.Select(m => m.CommandLine))}"
                    + (plan.Config.Boot == BootKind.Direct ? "" : " (building a per-run ISO in artifacts/run/)"));
            }
            return await RunModeAsync(plan, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Vmk.ImageBuilder.ImageBuildException e)
        {
            error.WriteLine($"iso: {e.Message}");
            return ExitCodes.UsageOrBuildError;
        }
    }

    private async Task<int> RunModeAsync(RunPlan plan, RunnerOptions options, CancellationToken cancellationToken)
    {
        if (plan.Config.Gdb)
        {
            error.WriteLine($"iso: QEMU waits for gdb on :1234; run: gdb {RelativeToCwd(plan.Config.KernelPath)} -ex 'target remote :1234'"
                + (File.Exists(RepoPaths.KernelMap) ? $"  (symbol map: {RelativeToCwd(RepoPaths.KernelMap)})" : ""));
        }
        return plan.Mode switch
        {
            RunMode.Interactive => await RunInteractiveAsync(plan, cancellationToken).ConfigureAwait(false),
            RunMode.Piped => await RunPipedAsync(plan, options, cancellationToken).ConfigureAwait(false),
            RunMode.Exec => await RunExecAsync(plan, options, cancellationToken).ConfigureAwait(false),
            _ => await new BootBenchmark(output, error).RunAsync(plan, options.Bench, cancellationToken).ConfigureAwait(false),
        };
    }

    // QEMU owns the terminal (mon:stdio puts it in raw mode; Ctrl-A X quits). Only the exit status is known here.
    private async Task<int> RunInteractiveAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        string? vars = null;
        using var media = BootMedia.Prepare(plan.Config);
        var config = media.Config;
        if (config.Boot == BootKind.Uefi)
        {
            Directory.CreateDirectory(RepoPaths.RunDir);
            vars = Path.Combine(RepoPaths.RunDir, $"ovmf-vars-{Environment.ProcessId}.fd");
            File.Copy(RepoPaths.OvmfVars, vars, overwrite: true);
            config = config with { OvmfVarsPath = vars };
        }
        var commandLine = new QemuCommandLine(config);
        error.WriteLine($"iso: {commandLine}");
        error.WriteLine("iso: Ctrl-A X quits QEMU, Ctrl-A C toggles its monitor");
        var start = new ProcessStartInfo(commandLine.FileName) { UseShellExecute = false };
        foreach (var argument in commandLine.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("QEMU did not start");
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (plan.Timeout is { } timeout)
            {
                timer.CancelAfter(timeout);
            }
            try
            {
                await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                error.WriteLine(cancellationToken.IsCancellationRequested ? "iso: interrupted" : $"iso: timeout after {plan.Timeout!.Value.TotalSeconds:F0} s");
                return ExitCodes.Timeout;
            }
            return Report(process.ExitCode, panicSeen: false);
        }
        finally
        {
            if (vars is not null)
            {
                File.Delete(vars);
            }
        }
    }

    // Serial to our stdout, our stdin to the serial; a panic on serial is recognized.
    private async Task<int> RunPipedAsync(RunPlan plan, RunnerOptions options, CancellationToken cancellationToken)
    {
        await using var session = QemuSession.Start(plan.Config);
        error.WriteLine($"iso: {session.CommandLine}");
        session.Received += chunk =>
        {
            lock (output)
            {
                output.Write(chunk);
                output.Flush();
            }
        };
        _ = Task.Run(() => ForwardInputAsync(session, input ?? Console.In, cancellationToken), cancellationToken);
        // With panic=halt the guest never ends by itself: stop at the end of its panic screen.
        _ = Task.Run(async () =>
        {
            var halted = await session.WaitForAsync(ShellPrompt.HaltedPanic(), Timeout.InfiniteTimeSpan, 0, cancellationToken).ConfigureAwait(false);
            if (halted.IsMatch)
            {
                session.Kill();
            }
        }, cancellationToken);
        int? exit;
        try
        {
            exit = await session.WaitForExitAsync(plan.Timeout ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("iso: interrupted");
            return ExitCodes.Timeout;
        }
        WriteLog(options, session);
        if (exit is null)
        {
            error.WriteLine($"iso: timeout after {plan.Timeout!.Value.TotalSeconds:F0} s");
            return ExitCodes.Timeout;
        }
        return Report(exit.Value, session.PanicSeen);
    }

    /// <summary>
    /// Types piped input into the guest's shell the way a person at the console would: nothing before the first
    /// prompt, then one line at a time, each once the shell is back at its prompt. The serial port is read by the
    /// firmware and by GRUB before the kernel owns it (GRUB takes a byte to mean "stop the menu countdown"), and the
    /// kernel's receive ring is finite, so bytes sent ahead of the shell are lost or mangled (`printf 'uname -a' |`
    /// used to answer `sh: ame: not found` on the ISO paths). A command that never returns holds the rest of the
    /// input, as a terminal would; when the guest ends, the rest is dropped.
    /// </summary>
    private static async Task ForwardInputAsync(SerialConsole session, TextReader lines, CancellationToken cancellationToken)
    {
        var ready = await session.WaitForPromptAsync(Timeout.InfiniteTimeSpan, 0, cancellationToken).ConfigureAwait(false);
        if (!ready.IsMatch)
        {
            return;
        }
        string? line;
        while ((line = await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
        {
            int start = session.Length;
            await session.SendLineAsync(line, cancellationToken).ConfigureAwait(false);
            var back = await session.WaitForPromptAsync(Timeout.InfiniteTimeSpan, start, cancellationToken).ConfigureAwait(false);
            if (!back.IsMatch)
            {
                return;
            }
        }
    }

    private async Task<int> RunExecAsync(RunPlan plan, RunnerOptions options, CancellationToken cancellationToken)
    {
        await using var session = QemuSession.Start(plan.Config);
        if (options.Verbose)
        {
            error.WriteLine($"iso: {session.CommandLine}");
            session.Received += chunk =>
            {
                lock (error)
                {
                    error.Write(chunk);
                }
            };
        }
        var script = new ExecScript(options.Exec) { Timeout = plan.Timeout ?? Timeout.InfiniteTimeSpan };
        ExecResult result;
        try
        {
            result = await script.RunAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("iso: interrupted");
            return ExitCodes.Timeout;
        }
        output.Write(result.Transcript.ToString());
        output.Flush();
        WriteLog(options, session);
        if (result.Outcome != ExecOutcome.Success)
        {
            if (!options.Verbose)
            {
                error.WriteLine("iso: --- full serial log ---");
                error.WriteLine(session.DescribeForLog());
            }
            error.WriteLine($"iso: {result.Detail} -> exit code {result.ExitCode}");
        }
        return result.ExitCode;
    }

    private int Report(int qemuExitCode, bool panicSeen)
    {
        int code = ExitCodes.FromQemuExit(qemuExitCode, panicSeen);
        if (code != ExitCodes.Success)
        {
            error.WriteLine($"iso: QEMU exited with {qemuExitCode}{(panicSeen ? " after a kernel panic" : "")} -> exit code {code}");
        }
        return code;
    }

    private static void WriteLog(RunnerOptions options, QemuSession session)
    {
        if (options.LogFile is { } file)
        {
            File.WriteAllText(file, session.DescribeForLog());
        }
    }

    private static string RelativeToCwd(string path)
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
