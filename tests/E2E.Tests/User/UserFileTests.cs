// UserFileTests.cs -- issue 11's second milestone, files: a userworld's descriptor table over VisorFS. A C program
// (UserPrograms/userfiles.c, also correct on Linux: it was written against it) checks every file system call and
// its errors; then Debian's busybox-static applets work on files in the guest and on the host (the host's busybox,
// the same binary) and print the same: differential, not hard-coded.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserFileTests
{
    private const int TestTimeoutMs = 300_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FileSystemCalls_BehaveAsOnLinux_BadInputIsTheRightErrno()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.Config(modules, "user.v00", UserImage.Programs("userfiles")), nameof(UserFileTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("/bin/userfiles", TimeSpan.FromSeconds(120));
        guest.Check(!output.Contains("FAIL", StringComparison.Ordinal), $"userfiles:\n{output}");
        guest.Check(output.Contains("userfiles: all passed", StringComparison.Ordinal) && !output.Contains("exit status", StringComparison.Ordinal), $"userfiles:\n{output}");
        // Its files are closed and gone: /tmp/uf was removed, and a second run starts from nothing again.
        string again = await guest.RunAsync("/bin/userfiles", TimeSpan.FromSeconds(120));
        guest.Check(again.Contains("userfiles: all passed", StringComparison.Ordinal), $"a second run:\n{again}");
        // A program's working directory is the shell's.
        await guest.RunAsync("mkdir /tmp/wd");
        await guest.RunAsync("cd /tmp/wd");
        string inWd = await guest.RunAsync("/bin/userfiles", TimeSpan.FromSeconds(120));
        guest.Check(inWd.Contains("userfiles: all passed", StringComparison.Ordinal), $"run from /tmp/wd:\n{inWd}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // Applet command lines run in /tmp/bb in the guest and in a fresh directory on the host, in this order (the
    // later ones see what the earlier made). `>` is the kernel shell's redirection in the guest, a file on the host.
    private static readonly string[] s_busyboxSteps =
    [
        "seq 1 30 > a.txt",
        "echo hello world > b.txt",
        "wc a.txt b.txt",
        "cat b.txt a.txt",
        "head -n 3 a.txt",
        "tail -n 2 a.txt",
        "sort -r a.txt",
        "md5sum a.txt b.txt",
        "cp a.txt c.txt",
        "mv c.txt d.txt",
        "cmp a.txt d.txt",
        "mkdir sub",
        "ln -s a.txt link",
        "ls -1 -p",
        "readlink link",
        "stat -c \"%s %F\" a.txt link sub",
        "head -c 1000 /dev/zero > z",
        "wc -c z",
        "rm d.txt link z",
        "rmdir sub",
        "ls -1 -a",
    ];

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DebianBusyboxFileApplets_PrintWhatTheyPrintOnTheHost()
    {
        byte[] busybox = File.ReadAllBytes("/bin/busybox");
        List<string> expected = RunOnHost(s_busyboxSteps);
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.WithBusybox(modules), nameof(UserFileTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("mkdir /tmp/bb");
        await guest.RunAsync("cd /tmp/bb");
        for (int i = 0; i < s_busyboxSteps.Length; i++)
        {
            string got = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox " + s_busyboxSteps[i], TimeSpan.FromSeconds(60)));
            guest.Check(got == expected[i], $"busybox {s_busyboxSteps[i]}:\n--- guest ---\n{got}\n--- host ---\n{expected[i]}");
        }
        string pwd = HostBusybox.Normalize(await guest.RunAsync("/bin/busybox pwd"));
        guest.Check(pwd == "/tmp/bb", $"busybox pwd: {pwd}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // The same steps with the host's busybox, each in a shell (for the quoting and the redirections).
    private static List<string> RunOnHost(string[] steps)
    {
        string dir = Directory.CreateTempSubdirectory("vmk-busybox-").FullName;
        try
        {
            var outputs = new List<string>();
            foreach (string step in steps)
            {
                var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("umask 022; /bin/busybox " + step + " 2>&1");
                using var process = Process.Start(start)!;
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                outputs.Add(HostBusybox.Normalize(output));
            }
            return outputs;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // Line ends as LF, no kernel log lines, no trailing blank lines.
}
