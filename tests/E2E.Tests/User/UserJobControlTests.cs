// UserJobControlTests.cs -- issue 11's job control through an interactive Debian busybox sh typed over serial: the
// console is a job-control terminal (foreground group, TIOCSPGRP), `sleep 100 &` / `jobs` / `kill %1`, ^Z stops a
// foreground job (SIGTSTP to the foreground group, wait4 WUNTRACED) and `bg` continues it (SIGCONT), `fg` brings it
// back and ^C ends it, ^C ends a foreground `cat`; the shell survives all of it and its exit status reaches the
// kernel shell.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserJobControlTests
{
    private const int TestTimeoutMs = 300_000;
    private static readonly Regex s_shPrompt = new(@"[#$] $");
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Fact(Timeout = TestTimeoutMs)]
    public async Task BusyboxSh_BackgroundJobs_CtrlZ_Bg_Fg_CtrlC()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.WithBusybox(modules), nameof(UserJobControlTests));
        await guest.ExpectPromptAsync();
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("/bin/busybox sh");
        await guest.ExpectAsync(s_shPrompt, s_wait, start, "busybox sh's prompt");
        guest.Check(!guest.Session.Text[start..].Contains("job control turned off", StringComparison.Ordinal), $"job control is on:\n{guest.Session.Text[start..]}");

        // A background job, listed, then killed by its job number.
        // (The shapes below are what the host's busybox sh prints on a pty for the same lines.)
        start = await Line(guest, "/bin/busybox sleep 100 &", s_shPrompt, "a background job");
        start = await Line(guest, "jobs", new Regex(@"\[1\]\+\s+Running\s+/bin/busybox sleep 100"), "jobs lists it running");
        int killed = await Line(guest, "kill %1", s_shPrompt, "kill %1");
        start = await Line(guest, "jobs; echo listed", new Regex(@"^listed\r?$", RegexOptions.Multiline), "jobs after the kill");
        await guest.ExpectAsync(new Regex(@"Terminated\s+/bin/busybox sleep 100"), s_wait, killed, "the job reported terminated");

        // ^Z stops a foreground job; bg continues it in the background; fg brings it back; ^C ends it.
        start = guest.Session.Length;
        await guest.Session.SendLineAsync("/bin/busybox sleep 100");
        await Task.Delay(1500);
        await guest.Session.SendAsync("\u001a");
        await guest.ExpectAsync(new Regex(@"\[1\]\+\s+Stopped\s+/bin/busybox sleep 100"), s_wait, start, "^Z stops the job");
        await guest.ExpectAsync(s_shPrompt, s_wait, start, "the prompt after ^Z");
        start = await Line(guest, "bg", new Regex(@"\[1\]\s+/bin/busybox sleep 100"), "bg");
        start = await Line(guest, "jobs", new Regex(@"\[1\]\+\s+Running\s+/bin/busybox sleep 100"), "running again after bg");
        start = guest.Session.Length;
        await guest.Session.SendLineAsync("fg");
        await guest.ExpectAsync(new Regex(@"^/bin/busybox sleep 100\r?$", RegexOptions.Multiline), s_wait, start, "fg names the job");
        await Task.Delay(1000);
        await guest.Session.SendAsync("\u0003");
        await guest.ExpectAsync(s_shPrompt, s_wait, start, "the prompt after ^C in fg");
        start = await Line(guest, "echo status $?", new Regex(@"^status 130\r?$", RegexOptions.Multiline), "fg's job ended by SIGINT");

        // ^C ends a foreground cat reading the terminal.
        start = guest.Session.Length;
        await guest.Session.SendLineAsync("/bin/busybox cat");
        await Task.Delay(1000);
        await guest.Session.SendAsync("\u0003");
        await guest.ExpectAsync(s_shPrompt, s_wait, start, "the prompt after ^C in cat");
        start = await Line(guest, "echo cat $?", new Regex(@"^cat 130\r?$", RegexOptions.Multiline), "cat ended by SIGINT");
        start = await Line(guest, "jobs; echo none", new Regex(@"^none\r?$", RegexOptions.Multiline), "no jobs left");
        guest.Check(!Regex.IsMatch(guest.Session.Text[start..], @"\[\d\]"), $"no jobs left:\n{guest.Session.Text[start..]}");

        start = guest.Session.Length;
        await guest.Session.SendLineAsync("exit 4");
        await guest.ExpectAsync(new Regex("/bin/busybox: exit status 4"), s_wait, start, "the exit status in the kernel shell");
        await guest.ExpectPromptAsync(startAt: start);
        string ps = await guest.RunAsync("ps");
        guest.Check(!ps.Contains("busybox", StringComparison.Ordinal), $"leftover processes:\n{ps}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // Types a line, waits for the pattern and then the prompt; returns where the line's output starts.
    private static async Task<int> Line(Guest guest, string line, Regex expected, string what)
    {
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync(line);
        await guest.ExpectAsync(expected, s_wait, start, what);
        await guest.ExpectAsync(s_shPrompt, s_wait, start, what + ": the prompt");
        return start;
    }
}
