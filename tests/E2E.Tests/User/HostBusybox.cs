// HostBusybox.cs -- the reference side of the userworld differential tests: the host's own Debian busybox runs the
// same command lines the guest runs, and both transcripts are normalized the same way before they are compared.
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vmk.E2E.Tests.User;

internal static class HostBusybox
{
    /// <summary>
    /// Runs each line with the host's `busybox sh -c`, in order, in one fresh directory (later lines see the files
    /// earlier ones made), with PATH=/bin:/sbin as in the guest; the normalized output and exit status of each.
    /// </summary>
    public static List<(string Output, int Status)> ShLines(IEnumerable<string> lines)
    {
        string dir = Directory.CreateTempSubdirectory("vmk-busybox-").FullName;
        try
        {
            var results = new List<(string, int)>();
            foreach (string line in lines)
            {
                var start = new ProcessStartInfo("/bin/busybox") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                start.ArgumentList.Add("sh");
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(line);
                start.Environment["PATH"] = "/bin:/sbin";
                using var process = Process.Start(start)!;
                Task<string> error = process.StandardError.ReadToEndAsync();
                string output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                results.Add((Normalize(output + error.Result), process.ExitCode));
            }
            return results;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>Line ends as LF, no kernel log lines, no trailing blank lines or spaces.</summary>
    public static string Normalize(string text)
    {
        var lines = text.Replace("\r", "").Split('\n').Where(l => !Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")).ToList();
        return string.Join('\n', lines).TrimEnd('\n', ' ');
    }
}
