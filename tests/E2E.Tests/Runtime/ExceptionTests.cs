// ExceptionTests.cs -- exceptions end to end: an exception nobody catches in the shell world is a panic screen with
// its type, message, world and the methods it came through; a null dereference and a stack overflow end there
// too; a CPU fault that is no .NET exception keeps its register dump; in a workload world an unhandled exception
// ends only that world. (Catching, filters, finally and the rest are in-kernel self-tests: ExceptionTests.cs.)
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Runtime;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class ExceptionTests
{
    private const int TestTimeoutMs = 180_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CrashThrow_PanicScreenNamesTheExceptionAndTheMethodsItCameThrough()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ExceptionTests));
        var lines = await CrashAsync(guest, "crash throw");
        guest.Check(lines.Contains("@BlueScreen: Unhandled exception System.InvalidOperationException in world 1:shell"),
            "the first panic line names the exception's type and the world");
        guest.Check(lines.Contains("@BlueScreen: Exception: System.InvalidOperationException: crash: deliberately unhandled"),
            "the panic screen shows the exception's message");
        // The backtrace runs from the throw site outward, one line per method, in call order.
        string[] expected =
        [
            "CrashCommand__CrashByThrowInner", "CrashCommand__CrashByThrowMiddle", "CrashCommand__CrashByThrowOuter",
            "CrashCommand__Run", "Shell__Execute", "Shell__Run",
        ];
        int at = lines.FindIndex(l => l.EndsWith("Backtrace:", StringComparison.Ordinal));
        guest.Check(at >= 0, "the panic screen has a backtrace");
        var frames = lines.Skip(at + 1).Where(l => l.Contains("@vmkernel#nover+0x", StringComparison.Ordinal)).ToList();
        for (int i = 0; i < expected.Length; i++)
        {
            guest.Check(i < frames.Count && frames[i].Contains(expected[i], StringComparison.Ordinal),
                $"backtrace frame {i} should be {expected[i]}:\n{string.Join('\n', frames)}");
        }
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CrashNull_NullDereferenceIsAnUnhandledNullReferenceException()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ExceptionTests));
        var lines = await CrashAsync(guest, "crash null");
        guest.Check(lines.Contains("@BlueScreen: Unhandled exception System.NullReferenceException in world 1:shell"),
            "a null dereference in managed code is a NullReferenceException");
        guest.Check(lines.Any(l => l.Contains("]Kernel_Kernel_Shell_Commands_CrashCommand__CrashByNullDereference@vmkernel#nover+0x", StringComparison.Ordinal)),
            "the first frame is the faulting method");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CrashOverflow_StackOverflowPanicNamesTheWorld()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ExceptionTests));
        var lines = await CrashAsync(guest, "crash overflow");
        guest.Check(lines.Any(l => l.StartsWith("@BlueScreen: Stack overflow in world 1:shell: guard page hit at 0x", StringComparison.Ordinal)),
            "the panic screen says the shell world's stack overflowed");
        guest.Check(lines.Any(l => l.Contains("#DF Double Fault", StringComparison.Ordinal)), "it arrived as a double fault on its own stack");
        guest.Check(lines.Any(l => l.Contains("CrashCommand__CrashByRecursion", StringComparison.Ordinal)), "the backtrace shows the recursion");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task RunOverflow_StackOverflowInAWorkloadWorldPanicsNamingThatWorld()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ExceptionTests));
        await CrashAsync(guest, "run overflow");
        // (The world panics while the shell's prompt is on the line: the first panic line follows it.)
        var line = Regex.Match(guest.Session.Text, @"@BlueScreen: Stack overflow in world (\d+):overflow: guard page hit at 0x");
        guest.Check(line.Success && line.Groups[1].Value != "1", "the panic screen names the workload world (not the shell) whose guard page was hit");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CrashFault_CpuExceptionWithoutDotNetMeaningKeepsTheRegisterDump()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ExceptionTests));
        var lines = await CrashAsync(guest, "crash fault");
        guest.Check(lines.Any(l => l.StartsWith("@BlueScreen: #BP Breakpoint Exception 3 in world 1:shell", StringComparison.Ordinal)),
            "a breakpoint trap is not turned into an exception");
        guest.Check(lines.Any(l => l.StartsWith("@BlueScreen: rax=", StringComparison.Ordinal)), "the register dump is there");
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task RunThrow_UnhandledExceptionEndsOnlyTheWorkloadWorld()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ExceptionTests));
        await guest.ExpectPromptAsync();
        string started = await guest.RunAsync("run throw");
        var id = Regex.Match(started, @"started world (\d+) \(throw\)");
        guest.Check(id.Success, $"the workload did not start:\n{started}");
        await guest.ExpectAsync(new Regex($@"WARNING: World: Unhandled exception in world {id.Groups[1].Value} \(throw\): System\.InvalidOperationException: workload 'throw': deliberately unhandled; ending the world"),
            Guest.CommandTimeout, what: "the warning that ends the world");
        await guest.ExpectAsync(new Regex(@"WARNING: World:   at Kernel_Kernel_Workloads_Workloads__ThrowFromWorkload\+0x"), Guest.CommandTimeout,
            what: "the backtrace in the log");
        // The warning is logged on the way out of the world, which may still be switched out before it ends: wait
        // (bounded) for it to be gone rather than racing it.
        string ps = await guest.RunAsync("ps");
        for (int attempt = 0; attempt < 20 && ps.Contains(" throw", StringComparison.Ordinal); attempt++)
        {
            await guest.RunAsync("sleep 100ms");
            ps = await guest.RunAsync("ps");
        }
        guest.Check(!ps.Contains(" throw", StringComparison.Ordinal), $"the world is gone:\n{ps}");
        guest.Check(ps.Contains("shell", StringComparison.Ordinal) && ps.Contains("vmklogger", StringComparison.Ordinal), $"the rest is still there:\n{ps}");
        string uname = await guest.RunAsync("uname -a");
        guest.Check(uname.StartsWith("VMkernel-CS", StringComparison.Ordinal), "the shell still works");
        await guest.PowerOffAsync();
    }

    // Types a crash command and waits for the panic exit; returns the @BlueScreen: lines.
    private static async Task<List<string>> CrashAsync(Guest guest, string command)
    {
        await guest.ExpectPromptAsync();
        await guest.Session.SendLineAsync(command);
        int code = await guest.ExpectExitAsync();
        guest.Check(code == ExitCodes.QemuPanicExit, $"expected QEMU exit {ExitCodes.QemuPanicExit} (panic=exit), got {code}");
        guest.Check(ExitCodes.FromQemuExit(code, guest.Session.PanicSeen) == ExitCodes.KernelPanic, "the runner would not report a panic");
        return ShellPrompt.PanicLine().Matches(guest.Session.Text).Select(m => m.Value.TrimEnd('\r', '\n')).ToList();
    }
}
