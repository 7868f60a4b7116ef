// ProcFormatTests.cs -- the /proc texts (Kernel/User/Proc/ProcFormat.cs) against proc(5) and, where this host runs
// Linux, against the host's own /proc files: the same columns, field counts and keys (values differ, layout not).
using System.Text;
using System.Text.RegularExpressions;
using Kernel.User.Proc;
using Xunit;

namespace Kernel.Tests;

public sealed class ProcFormatTests
{
    private static ProcessFacts Sample => new()
    {
        Pid = 42, ParentPid = 7, ProcessGroup = 40, Session = 30, State = 'S', Name = "busybox",
        Arguments = ["busybox", "ps", "-o", "pid"], UserTicks = 250, StartTicks = 1234, VirtualBytes = 2416640,
        ResidentPages = 590, TerminalDevice = 0x501, SignalsBlocked = 1UL << 16, SignalsIgnored = 1UL << 2,
        SignalsCaught = (1UL << 1) | (1UL << 16), Umask = 0x12,
    };

    [Fact]
    public void Meminfo_HasLinuxColumnsAndKeys()
    {
        string text = ProcFormat.Meminfo(524160, 513124, 510000, 0, 0, 0, 0);
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal("MemTotal:         524160 kB", lines[0]);
        Assert.Equal("MemAvailable:     510000 kB", lines[2]);
        foreach (string line in lines)
        {
            Assert.Matches(@"^\w+:\s+\d+ kB$", line);
            Assert.Equal(24, line.IndexOf(" kB", StringComparison.Ordinal));
        }
        foreach (string key in new[] { "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree" })
            Assert.Contains(lines, l => l.StartsWith(key + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void Meminfo_ColumnsMatchTheHost()
    {
        if (!File.Exists("/proc/meminfo"))
            return;   // not Linux: the proc(5) layout above still holds
        string ours = ProcFormat.Meminfo(1, 1, 1, 1, 1, 1, 1);
        var widths = ours.TrimEnd('\n').Split('\n').ToDictionary(l => l.Split(':')[0], l => l.IndexOf(" kB", StringComparison.Ordinal));
        foreach (string line in File.ReadAllLines("/proc/meminfo"))
        {
            string key = line.Split(':')[0];
            if (widths.TryGetValue(key, out int at) && Regex.IsMatch(line, @":\s+\d{1,8} kB$"))
                Assert.Equal(line.IndexOf(" kB", StringComparison.Ordinal), at);
        }
    }

    [Theory]
    [InlineData(123456UL, 7UL, "123.45 0.00\n")]
    [InlineData(0UL, 0UL, "0.00 0.00\n")]
    [InlineData(90061_000UL, 180_000UL, "90061.00 180.00\n")]
    public void Uptime_IsSecondsWithTwoDecimals(ulong uptimeMs, ulong idleMs, string expected) =>
        Assert.Equal(expected, ProcFormat.Uptime(uptimeMs, idleMs));

    [Fact]
    public void Loadavg_HasFiveFields()
    {
        Assert.Equal("0.00 0.00 0.00 1/6 11\n", ProcFormat.Loadavg(0, 0, 0, 1, 6, 11));
        Assert.Equal("1.50 0.05 12.00 2/9 100\n", ProcFormat.Loadavg(150, 5, 1200, 2, 9, 100));
        if (File.Exists("/proc/loadavg"))
            Assert.Matches(@"^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+$", File.ReadAllText("/proc/loadavg").TrimEnd('\n'));
    }

    [Fact]
    public void ThreadCount_IsNumThreadsAndTheThreadsLine()
    {
        ProcessFacts p = Sample;
        p.Threads = 9;
        Assert.Equal("9", ProcFormat.Stat(p).Split(' ')[19]);
        Assert.Contains("\nThreads:\t9\n", ProcFormat.Status(p));
    }

    [Fact]
    public void Stat_Has52FieldsWhereProc5PutsThem()
    {
        string line = ProcFormat.Stat(Sample);
        Assert.EndsWith("\n", line);
        string[] f = line.TrimEnd('\n').Split(' ');
        Assert.Equal(52, f.Length);
        Assert.Equal("42", f[0]);
        Assert.Equal("(busybox)", f[1]);
        Assert.Equal("S", f[2]);
        Assert.Equal(("7", "40", "30", "1281"), (f[3], f[4], f[5], f[6]));
        Assert.Equal("250", f[13]);          // utime
        Assert.Equal("1", f[19]);            // num_threads
        Assert.Equal("1234", f[21]);         // starttime
        Assert.Equal("2416640", f[22]);      // vsize
        Assert.Equal("590", f[23]);          // rss
        Assert.Equal((1UL << 16).ToString(), f[31]);   // blocked
        Assert.Equal("17", f[37]);           // exit_signal
        if (File.Exists("/proc/self/stat"))
        {
            string host = File.ReadAllText("/proc/self/stat").TrimEnd('\n');
            int hostFields = 2 + host[(host.LastIndexOf(')') + 2)..].Split(' ').Length;
            Assert.Equal(hostFields, f.Length);
        }
    }

    [Fact]
    public void Stat_CutsCommAt15CharactersAndKeepsSpaces()
    {
        ProcessFacts p = Sample;
        p.Name = "a very long program name";
        string line = ProcFormat.Stat(p);
        Assert.StartsWith("42 (a very long pro) S 7 ", line);
        // Parsed the way busybox ps and procps do: after the last ')'.
        Assert.Equal(50, line[(line.LastIndexOf(')') + 2)..].TrimEnd('\n').Split(' ').Length);
    }

    [Fact]
    public void Status_HasLinuxKeysAndLayout()
    {
        string[] lines = ProcFormat.Status(Sample).TrimEnd('\n').Split('\n');
        Assert.Contains("Name:\tbusybox", lines);
        Assert.Contains("Umask:\t0022", lines);
        Assert.Contains("State:\tS (sleeping)", lines);
        Assert.Contains("Pid:\t42", lines);
        Assert.Contains("PPid:\t7", lines);
        Assert.Contains("Uid:\t0\t0\t0\t0", lines);
        Assert.Contains("VmRSS:\t    2360 kB", lines);
        Assert.Contains("SigBlk:\t0000000000010000", lines);
        Assert.Contains("SigCgt:\t0000000000010002", lines);
        if (!File.Exists("/proc/self/status"))
            return;
        string[] host = File.ReadAllLines("/proc/self/status");
        foreach (string line in lines)
        {
            string key = line.Split(':')[0];
            string hostLine = Assert.Single(host, h => h.StartsWith(key + ":", StringComparison.Ordinal));
            if (hostLine.EndsWith(" kB", StringComparison.Ordinal))
                Assert.Equal(hostLine.Length - hostLine.IndexOf('\t'), line.Length - line.IndexOf('\t'));   // %8lu kB
        }
    }

    [Fact]
    public void Cmdline_IsNulTerminatedArguments()
    {
        Assert.Equal("busybox\0ps\0-o\0pid\0", ProcFormat.Cmdline(Sample.Arguments));
        Assert.Equal("", ProcFormat.Cmdline([]));
    }

    [Fact]
    public void MapsLine_PutsTheNameInColumn74()
    {
        var text = new StringBuilder();
        ProcFormat.MapsLine(text, 0x400000, 0x585000, false, true, "/bin/busybox");
        ProcFormat.MapsLine(text, 0x7ffffffb0000, 0x7fffffff0000, true, false, "[stack]");
        ProcFormat.MapsLine(text, 0x7f0000000000, 0x7f0000001000, true, false, null);
        string[] lines = text.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal("00400000-00585000 r-xp 00000000 00:00 0                                  /bin/busybox", lines[0]);
        Assert.Equal(73, lines[1].IndexOf("[stack]", StringComparison.Ordinal));
        Assert.Equal("7f0000000000-7f0000001000 rw-p 00000000 00:00 0", lines[2]);
        if (File.Exists("/proc/self/maps"))
        {
            string host = File.ReadAllLines("/proc/self/maps").First(l => l.EndsWith("[stack]", StringComparison.Ordinal));
            Assert.Equal(host.IndexOf("[stack]", StringComparison.Ordinal), lines[1].IndexOf("[stack]", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CpuinfoBlock_HasX86Keys()
    {
        var text = new StringBuilder();
        ProcFormat.CpuinfoBlock(text, 1, "AuthenticAMD", 15, 107, "QEMU Virtual CPU", 1, 2097, 2, 3, "fpu tsc");
        string block = text.ToString();
        Assert.StartsWith("processor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 15\nmodel\t\t: 107\n", block);
        Assert.Contains("cpu MHz\t\t: 2097.000\n", block);
        Assert.Contains("apicid\t\t: 3\n", block);
        Assert.EndsWith("flags\t\t: fpu tsc\n\n", block);
        if (File.Exists("/proc/cpuinfo"))
        {
            string[] hostKeys = File.ReadAllLines("/proc/cpuinfo").Where(l => l.Contains(':')).Select(l => l[..(l.IndexOf(':') + 1)]).ToArray();
            foreach (string line in block.TrimEnd('\n').Split('\n'))
                Assert.Contains(line[..(line.IndexOf(':') + 1)], hostKeys);
        }
    }

    [Fact]
    public void MountLine_IsFstabLike()
    {
        var text = new StringBuilder();
        ProcFormat.MountLine(text, "tmp", "/tmp", "ramdisk", false);
        ProcFormat.MountLine(text, "proc", "/proc", "proc", true);
        Assert.Equal("tmp /tmp ramdisk rw 0 0\nproc /proc proc ro 0 0\n", text.ToString());
    }

    [Theory]
    [InlineData("/proc", "")]
    [InlineData("/proc/", "")]
    [InlineData("/proc/12/stat", "12|stat")]
    [InlineData("/proc/./12//stat/", "12|stat")]
    [InlineData("/proc/12/../self", "self")]
    [InlineData("/tmp/../proc/meminfo", "meminfo")]
    public void ProcPath_CanonicalParts(string path, string expected) =>
        Assert.Equal(expected, string.Join('|', ProcPath.Parts(path)!));

    [Theory]
    [InlineData("/procfs")]
    [InlineData("/proc/../etc")]
    [InlineData("/")]
    [InlineData("proc/meminfo")]
    public void ProcPath_OtherPathsAreNotProc(string path) => Assert.Null(ProcPath.Parts(path));

    [Theory]
    [InlineData("12", 12)]
    [InlineData("1", 1)]
    [InlineData("012", -1)]
    [InlineData("12a", -1)]
    [InlineData("-1", -1)]
    [InlineData("self", -1)]
    public void ProcPath_Pid(string part, int expected) => Assert.Equal(expected, ProcPath.Pid(part));

    [Fact]
    public void Hex_PadsToTheMinimumDigits()
    {
        Assert.Equal("0000001f", ProcFormat.Hex(0x1f, 8));
        Assert.Equal("7ffffffb0000", ProcFormat.Hex(0x7ffffffb0000, 8));
        Assert.Equal("0000000000000000", ProcFormat.Hex(0, 16));
    }
}
