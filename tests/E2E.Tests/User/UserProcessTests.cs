// UserProcessTests.cs -- issue 11's second milestone, processes: fork, wait4, exit statuses, signals' default
// actions, pipes and execve, from a C program (UserPrograms/procs.c, written against Linux and passing there); then
// Debian's busybox sh runs command lines with pipes, command substitution and exit statuses, and prints what the
// host's busybox prints for the same lines (differential, not hard-coded).
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserProcessTests
{
    private const int TestTimeoutMs = 300_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task ForkWaitPipesExecAndSignals_BehaveAsOnLinux()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.Config(modules, "user.v00", UserImage.Programs("procs")), nameof(UserProcessTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("/bin/procs", TimeSpan.FromSeconds(180));
        guest.Check(!output.Contains("FAIL", StringComparison.Ordinal), $"procs:\n{output}");
        guest.Check(output.Contains("procs: all passed", StringComparison.Ordinal) && !output.Contains("/bin/procs: exit status", StringComparison.Ordinal), $"procs:\n{output}");
        // Every process it started has ended and been reaped: none is left in the world list.
        string ps = await guest.RunAsync("ps");
        guest.Check(!ps.Contains("procs", StringComparison.Ordinal), $"leftover processes:\n{ps}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // Signals that interrupt (UserPrograms/sigint.c, passing on Linux too): EINTR vs SA_RESTART on a blocked pipe read
    // and wait4, poll and nanosleep (with the time left), a handler for a process spinning in user mode (delivered on
    // the return from a timer interrupt), SIGTERM/SIGKILL for spinners, the SSE registers and MXCSR across a handler
    // that overwrites them (fpstate in the ucontext), sigaltstack.
    [Fact(Timeout = TestTimeoutMs)]
    public async Task SignalsInterruptBlockingCallsAndSpinningCode_FpuStateSurvives()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.Config(modules, "user.v00", UserImage.Programs("sigint")), nameof(UserProcessTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("/bin/sigint", TimeSpan.FromSeconds(120));
        guest.Check(!output.Contains("FAIL", StringComparison.Ordinal), $"sigint:\n{output}");
        guest.Check(output.Contains("sigint: all passed", StringComparison.Ordinal) && !output.Contains("/bin/sigint: exit status", StringComparison.Ordinal), $"sigint:\n{output}");
        string ps = await guest.RunAsync("ps");
        guest.Check(!ps.Contains("sigint", StringComparison.Ordinal), $"leftover processes:\n{ps}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // Each is the argument of `busybox sh -c` (inside double quotes in the kernel shell, so no double quotes here).
    private static readonly string[] s_shellLines =
    [
        "echo a | cat",
        "x=$(echo hi); echo $x",
        "echo one two three | wc -w; echo done",
        "false; echo status $?",
        "sh -c 'exit 7'; echo nested $?",
        "seq 1 200 | sort -rn | head -n 3",
        "for i in 1 2 3; do echo n$i; done | tr n m",
        "echo abc > /tmp/sh-f; cat /tmp/sh-f; rm /tmp/sh-f; cat /tmp/sh-f 2>/dev/null || echo gone",
        "exit 3",
    ];

    [Fact(Timeout = TestTimeoutMs)]
    public async Task BusyboxSh_PipesSubstitutionAndStatuses_MatchTheHost()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.WithBusybox(modules), nameof(UserProcessTests));
        await guest.ExpectPromptAsync();
        foreach (string line in s_shellLines)
        {
            (string expected, int expectedStatus) = HostBusybox.ShLines([line])[0];
            string got = await guest.RunAsync($"/bin/busybox sh -c \"{line}\"", TimeSpan.FromSeconds(120));
            string report = expectedStatus == 0 ? "" : $"/bin/busybox: exit status {expectedStatus}";
            string want = string.Join('\n', new[] { expected, report }.Where(s => s.Length > 0));
            guest.Check(HostBusybox.Normalize(got) == want, $"sh -c {line}:\n--- guest ---\n{HostBusybox.Normalize(got)}\n--- host ---\n{want}");
        }
        // The brief's line: `ls /bin | wc -l` counts what this guest's /bin holds (the host's differs), so it is
        // compared with busybox ls itself; the rest of the line with the host.
        string count = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox sh -c \"echo a | cat; ls /bin | wc -l; x=$(echo hi); echo $x\"", TimeSpan.FromSeconds(120)));
        string listing = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox ls -1 /bin"));
        int entries = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        guest.Check(count == $"a\n{entries}\nhi", $"the brief's line:\n{count}\n(/bin has {entries} entries)");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task InteractiveBusyboxSh_ReadsTheConsole_CtrlCInterruptsTheLine_ExitStatusReturns()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.WithBusybox(modules), nameof(UserProcessTests));
        await guest.ExpectPromptAsync();
        var shPrompt = new Regex(@"[#$] $");
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("/bin/busybox sh");
        await guest.ExpectAsync(shPrompt, TimeSpan.FromSeconds(60), start, "busybox sh's prompt");
        start = guest.Session.Length;
        await guest.Session.SendLineAsync("echo $((6 * 7)) | cat");
        await guest.ExpectAsync(new Regex(@"^42\r?$", RegexOptions.Multiline), TimeSpan.FromSeconds(60), start, "arithmetic through a pipe");
        await guest.ExpectAsync(shPrompt, TimeSpan.FromSeconds(30), start, "the prompt again");
        // Ctrl-C on a half-typed line: SIGINT to the shell, whose handler drops the line; the shell goes on.
        start = guest.Session.Length;
        await guest.Session.SendAsync("echo never");
        await guest.Session.SendAsync("\u0003");
        await guest.ExpectAsync(shPrompt, TimeSpan.FromSeconds(30), start, "a prompt after Ctrl-C");
        start = guest.Session.Length;
        await guest.Session.SendLineAsync("echo still here");
        await guest.ExpectAsync(new Regex(@"^still here\r?$", RegexOptions.Multiline), TimeSpan.FromSeconds(30), start, "the shell after Ctrl-C");
        await guest.ExpectAsync(shPrompt, TimeSpan.FromSeconds(30), start, "the prompt");
        start = guest.Session.Length;
        await guest.Session.SendLineAsync("exit 4");
        await guest.ExpectAsync(new Regex("/bin/busybox: exit status 4"), TimeSpan.FromSeconds(30), start, "the exit status in the kernel shell");
        await guest.ExpectPromptAsync(startAt: start);
        string after = await guest.RunAsync("uname");
        guest.Check(after.Contains("VMkernel", StringComparison.Ordinal), $"the kernel shell after busybox sh:\n{after}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }


}
