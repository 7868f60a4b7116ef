// UserProcFsTests.cs -- issue 11's /proc: Debian's busybox reads /proc in the guest (cat, free, uptime, ps, ls), and
// each output has the shape the host's busybox prints for the same applet on Linux (numbers differ, the layout and
// the fields must not): the kB column of meminfo, free's and ps's headers, uptime's line, stat's 52 fields.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserProcFsTests
{
    private const int TestTimeoutMs = 300_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Busybox_ReadsProc_InLinuxShapes()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.WithBusybox(modules), nameof(UserProcFsTests));
        await guest.ExpectPromptAsync();

        // meminfo: `Name:` padded to 16 columns, the number right-aligned to column 24, ` kB` -- as on the host.
        var meminfoLine = new Regex(@"^(\w+):\s+(\d+) kB$");
        string[] meminfo = Lines(await guest.RunAsync("/bin/busybox cat /proc/meminfo"));
        var values = new Dictionary<string, long>();
        foreach (string line in meminfo)
        {
            Match m = meminfoLine.Match(line);
            guest.Check(m.Success && line.IndexOf(" kB", StringComparison.Ordinal) == 24, $"meminfo line '{line}'");
            values[m.Groups[1].Value] = long.Parse(m.Groups[2].Value);
        }
        foreach (string key in new[] { "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree" })
            guest.Check(values.ContainsKey(key), $"meminfo has {key}:\n{string.Join('\n', meminfo)}");
        guest.Check(values["MemTotal"] > 16 * 1024 && values["MemFree"] > 0 && values["MemFree"] <= values["MemTotal"], "meminfo's numbers");
        foreach (string line in File.ReadAllLines("/proc/meminfo").Where(l => l.StartsWith("MemTotal:") || l.StartsWith("SwapFree:")))
            Assert.True(line.IndexOf(" kB", StringComparison.Ordinal) == 24, $"the host's meminfo layout: '{line}'");

        // free: the same header and row shapes as the host's busybox free.
        string free = await guest.RunAsync("/bin/busybox free");
        Assert.Equal(Shape(Host("free")), Shape(string.Join('\n', Lines(free))));

        // uptime: `HH:MM:SS up ..., load average: a, b, c` like the host's.
        string uptime = Lines(await guest.RunAsync("/bin/busybox uptime")).Single();
        var uptimeShape = new Regex(@"^\s*\d\d:\d\d:\d\d up .*load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d$");
        guest.Check(uptimeShape.IsMatch(uptime), $"uptime: '{uptime}'");
        Assert.Matches(uptimeShape, Host("uptime").Trim());
        guest.Check(Regex.IsMatch(Lines(await guest.RunAsync("/bin/busybox cat /proc/uptime")).Single(), @"^\d+\.\d\d \d+\.\d\d$"), "/proc/uptime");
        var loadavgShape = new Regex(@"^(\d+\.\d\d) (\d+\.\d\d) (\d+\.\d\d) \d+/\d+ \d+$");
        guest.Check(loadavgShape.IsMatch(Lines(await guest.RunAsync("/bin/busybox cat /proc/loadavg")).Single()), "/proc/loadavg");

        // A real load average: two worlds spinning for 16 s raise the 1-minute average to at least one 5-second
        // sample's worth, 2 * (1 - 1884/2048) = 0.16 (a loaded host can slow the guest's clock: one sample is all
        // this asks for), the slower averages less; busybox uptime reports it too.
        var started = new Regex(@"started world (\d+)");
        string spin1 = started.Match(await guest.RunAsync("run spin")).Groups[1].Value;
        string spin2 = started.Match(await guest.RunAsync("run spin")).Groups[1].Value;
        await Task.Delay(TimeSpan.FromSeconds(16));
        Match loads = loadavgShape.Match(Lines(await guest.RunAsync("/bin/busybox cat /proc/loadavg")).Single());
        string busyUptime = Lines(await guest.RunAsync("/bin/busybox uptime")).Single();
        await guest.RunAsync($"kill {spin1}");
        await guest.RunAsync($"kill {spin2}");
        guest.Check(loads.Success, "/proc/loadavg under load");
        double load1 = double.Parse(loads.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        double load5 = double.Parse(loads.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        double load15 = double.Parse(loads.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        guest.Check(load1 >= 0.15 && load1 <= 3 && load1 >= load5 && load5 >= load15, $"load averages with two spinners: {loads.Value}");
        guest.Check(uptimeShape.IsMatch(busyUptime) && !busyUptime.EndsWith("load average: 0.00, 0.00, 0.00"), $"uptime under load: '{busyUptime}'");

        // /proc/self/status: Linux's keys, this process's pid and name.
        string[] status = Lines(await guest.RunAsync("/bin/busybox cat /proc/self/status"));
        string? Field(string key) => status.FirstOrDefault(l => l.StartsWith(key + ":\t"))?.Substring(key.Length + 2);
        guest.Check(Field("Name") == "busybox" && Field("State") == "R (running)" && Regex.IsMatch(Field("Pid") ?? "", @"^\d+$")
            && Regex.IsMatch(Field("PPid") ?? "", @"^\d+$") && Regex.IsMatch(Field("VmRSS") ?? "", @"^\s+\d+ kB$") && Field("Uid") == "0\t0\t0\t0",
            $"status:\n{string.Join('\n', status)}");
        string[] hostKeys = File.ReadAllLines("/proc/self/status").Select(l => l.Split(':')[0]).ToArray();
        foreach (string line in status)
            guest.Check(hostKeys.Contains(line.Split(':')[0]), $"status key '{line}' is Linux's");

        // /proc/self/stat: 52 fields; pid, (comm), state, ppid, pgrp, session as status says.
        string stat = Lines(await guest.RunAsync("/bin/busybox cat /proc/self/stat")).Single();
        string[] fields = stat.Split(' ');
        guest.Check(fields.Length == 52 && fields[1] == "(busybox)" && fields[2] == "R" && fields.All(f => f.Length > 0), $"stat: '{stat}'");
        guest.Check(Regex.IsMatch(fields[0], @"^\d+$") && fields[4] == fields[0] || Regex.IsMatch(fields[4], @"^\d+$"), $"stat's pgrp: '{stat}'");

        // Read 5 bytes at a time (dd bs=5): the pieces come from the one text generated at open, so they join into one
        // well-formed line. Writing is refused: /proc is read-only.
        string pieces = Lines(await guest.RunAsync("/bin/busybox sh -c \"/bin/busybox dd if=/proc/self/stat bs=5 2>/dev/null\"")).Single();
        string[] pieceFields = pieces.Split(' ');
        guest.Check(pieceFields.Length == 52 && pieceFields[1] == "(busybox)", $"stat read in pieces: '{pieces}'");
        string refused = await guest.RunAsync("/bin/busybox sh -c \"echo x > /proc/meminfo\"");
        guest.Check(refused.Contains("/proc/meminfo: Permission denied"), $"writing /proc/meminfo:\n{refused}");

        // maps: the image, the heap and the stack, in Linux's columns.
        string[] maps = Lines(await guest.RunAsync("/bin/busybox cat /proc/self/maps"));
        var mapsLine = new Regex(@"^[0-9a-f]{8,}-[0-9a-f]{8,} [r-][w-][x-]p [0-9a-f]{8} 00:00 0(\s+(\S+))?$");
        guest.Check(maps.Length >= 3 && maps.All(l => mapsLine.IsMatch(l)), $"maps:\n{string.Join('\n', maps)}");
        guest.Check(maps.Any(l => l.Contains("r-xp") && l.EndsWith(" /bin/busybox")) && maps.Any(l => l.EndsWith(" [stack]")), $"maps:\n{string.Join('\n', maps)}");

        // ls -l: the kinds and modes of a read-only /proc (dr-xr-xr-x, -r--r--r--, links), exe naming the image.
        string longListing = await guest.RunAsync("/bin/busybox ls -l /proc/ /proc/self/");
        guest.Check(Regex.IsMatch(longListing, @"(?m)^dr-xr-xr-x .* \d+$") && Regex.IsMatch(longListing, @"(?m)^-r--r--r-- .* meminfo$")
            && Regex.IsMatch(longListing, @"(?m)^lrwxrwxrwx .* self -> \d+$") && Regex.IsMatch(longListing, @"(?m)^lrwxrwxrwx .* exe -> /bin/busybox$"), $"ls -l:\n{longListing}");
        // ls /proc: the system files, self, and the pids of the running processes (ls's own among them).
        string[] listing = Lines(await guest.RunAsync("/bin/busybox sh -c \"/bin/busybox ls /proc; echo self=$$\""));
        string self = listing.Last().Substring("self=".Length);
        string[] names = string.Join(' ', listing.Take(listing.Length - 1)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in new[] { "meminfo", "uptime", "loadavg", "mounts", "cpuinfo", "stat", "self", self })
            guest.Check(names.Contains(name), $"ls /proc has {name}:\n{string.Join('\n', listing)}");
        guest.Check(names.Count(n => Regex.IsMatch(n, @"^\d+$")) >= 2, $"ls /proc lists the sh and ls pids:\n{string.Join('\n', listing)}");

        string mounts = await guest.RunAsync("/bin/busybox cat /proc/mounts");
        guest.Check(mounts.Contains("proc /proc proc ro 0 0") && Regex.IsMatch(mounts, @"\S+ / tardisk ro 0 0"), $"mounts:\n{mounts}");
        string cpuinfo = await guest.RunAsync("/bin/busybox cat /proc/cpuinfo");
        guest.Check(cpuinfo.Contains("processor\t: 0") && cpuinfo.Contains("flags\t\t: "), $"cpuinfo:\n{cpuinfo}");

        // ps: the host's header; the shell pipeline's processes (sh, ps, cat) all listed, each with its pid.
        string[] ps = Lines(await guest.RunAsync("/bin/busybox sh -c \"/bin/busybox ps | /bin/busybox cat\"", TimeSpan.FromSeconds(120)));
        Assert.Equal(Host("ps").Split('\n')[0].TrimEnd(), ps[0].TrimEnd());
        bool hasTime = ps[0].Contains("TIME");   // Debian's build shows no TIME column; the host's header said which
        var psRow = new Regex(hasTime ? @"^\s*(\d+) (\S+)\s+\d+:\d\d (.*)$" : @"^\s*(\d+) (\S+)\s+(.*)$");
        var rows = ps.Skip(1).Select(l => psRow.Match(l)).ToList();
        guest.Check(rows.Count >= 3 && rows.All(r => r.Success), $"ps rows:\n{string.Join('\n', ps)}");
        string commands = string.Join('\n', rows.Select(r => r.Groups[3].Value));
        guest.Check(commands.Contains("busybox sh -c") && commands.Contains("busybox ps") && commands.Contains("busybox cat"), $"ps lists the pipeline:\n{string.Join('\n', ps)}");

        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    // The output's lines without the kernel log's timestamped lines.
    private static string[] Lines(string text) =>
        text.Replace("\r", "").Split('\n').Where(l => l.Length > 0 && !Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")).ToArray();

    // Numbers become N and runs of spaces one: what stays is the layout.
    private static string Shape(string text) => Regex.Replace(Regex.Replace(text.Trim(), @"\d+", "N"), @" +", " ");

    private static string Host(string applet)
    {
        var start = new ProcessStartInfo("/bin/busybox") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(applet);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Replace("\r", "").TrimEnd('\n');
    }
}
