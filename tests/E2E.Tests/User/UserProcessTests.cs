// UserProcessTests.cs -- issue 11's second milestone, processes: fork, wait4, exit statuses, signals' default
// actions, pipes and execve, from a C program (UserPrograms/procs.c, written against Linux and passing there); then
// Debian's busybox sh runs command lines with pipes, command substitution and exit statuses, and prints what the
// host's busybox prints for the same lines (differential, not hard-coded).
using System.Diagnostics;
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
        string module = modules.Add("user.v00", BootModules.Gzip(BootModules.VisorTar([BootModules.File("bin/procs", UserPrograms.Read("procs"), 0x1ED)])));
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { ExtraModules = [module] }, nameof(UserProcessTests));
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
        byte[] busybox = File.ReadAllBytes("/bin/busybox");
        using var modules = new BootModules();
        string module = modules.Add("busybox.v00", BootModules.Gzip(BootModules.VisorTar([BootModules.File("bin/busybox", busybox, 0x1ED)])));
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { ExtraModules = [module] }, nameof(UserProcessTests));
        await guest.ExpectPromptAsync();
        foreach (string line in s_shellLines)
        {
            (string expected, int expectedStatus) = RunOnHost(line);
            string got = await guest.RunAsync($"/bin/busybox sh -c \"{line}\"", TimeSpan.FromSeconds(120));
            string report = expectedStatus == 0 ? "" : $"/bin/busybox: exit status {expectedStatus}";
            string want = string.Join('\n', new[] { expected, report }.Where(s => s.Length > 0));
            guest.Check(Normalize(got) == want, $"sh -c {line}:\n--- guest ---\n{Normalize(got)}\n--- host ---\n{want}");
        }
        // The brief's line: `ls /bin | wc -l` counts what this guest's /bin holds (the host's differs), so it is
        // compared with busybox ls itself; the rest of the line with the host.
        string count = Normalize(await guest.RunAsync("/bin/busybox sh -c \"echo a | cat; ls /bin | wc -l; x=$(echo hi); echo $x\"", TimeSpan.FromSeconds(120)));
        string listing = Normalize(await guest.RunAsync("/bin/busybox ls -1 /bin"));
        int entries = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        guest.Check(count == $"a\n{entries}\nhi", $"the brief's line:\n{count}\n(/bin has {entries} entries)");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    private static (string Output, int Status) RunOnHost(string line)
    {
        string dir = Directory.CreateTempSubdirectory("vmk-sh-").FullName;
        try
        {
            var start = new ProcessStartInfo("/bin/busybox") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("sh");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(line);
            start.Environment["PATH"] = "/bin:/sbin";
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (Normalize(output), process.ExitCode);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string Normalize(string text)
    {
        var lines = text.Replace("\r", "").Split('\n').Where(l => !Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")).ToList();
        return string.Join('\n', lines).TrimEnd('\n', ' ');
    }
}
