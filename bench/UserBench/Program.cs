// Program.cs -- issue 11's anchor benchmark: the same static program (bench/userbench/userbench.c) on Debian's Linux
// kernel and on this kernel, both in QEMU TCG with -icount shift=0,sleep=off, in one run, side by side. Under
// -icount the guest TSC counts instructions, so the figures are guest instructions per operation, deterministic up
// to the program's own batching spread (printed as min..max).
//
// Linux: the package linux-image-amd64 depends on is downloaded with apt-get (not installed: dpkg-deb -x into
// artifacts), and the program is /init of an initramfs that also holds busybox. This kernel: the program and busybox
// go into an extra tardisk, and the runner types /bin/userbench at the shell.
//
// Usage: dotnet run --project bench/UserBench   (needs gcc, qemu-system-x86, busybox-static: dotnet build installs
// them; the Linux package is fetched here, about 70 MB, once).
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Vmk.Bench.UserBench;

string root = FindRepoRoot();
string outDir = Path.Combine(root, "artifacts", "bench", "userbench");
Directory.CreateDirectory(outDir);
string program = Path.Combine(outDir, "userbench");
Run("gcc", "-O2", "-static", "-o", program, Path.Combine(root, "bench", "userbench", "userbench.c"));
const string Busybox = "/bin/busybox";
if (!File.Exists(Busybox))
    return Fail("no /bin/busybox: run `dotnet build` first (it installs busybox-static)");
string commit = Capture("git", "-C", root, "rev-parse", "--short", "HEAD").Trim();

string vmlinuz = FetchLinuxKernel(outDir);
string initramfs = Path.Combine(outDir, "initramfs.cpio.gz");
WriteInitramfs(initramfs, program);
Console.WriteLine($"Linux: {Path.GetFileName(vmlinuz)} with /init = userbench");
List<string> linux = RunGuest("qemu-system-x86_64", ["-M", "pc", "-m", "512M", "-smp", "1", "-icount", "shift=0,sleep=off",
    "-kernel", vmlinuz, "-initrd", initramfs, "-append", "console=ttyS0 quiet panic=-1", "-display", "none",
    "-serial", "stdio", "-monitor", "none", "-no-reboot"]);

string module = Path.Combine(outDir, "userbench.tgz");
WriteTardisk(module, program);
Console.WriteLine($"VMkernel-CS {commit}: userbench from an extra tardisk");
List<string> vmk = RunGuest("dotnet", ["run", "--project", Path.Combine(root, "iso"), "--", "--direct", "--headless",
    "--qemu-arg=-icount", "--qemu-arg=shift=0,sleep=off", "--module", module, "--exec", "/bin/userbench", "--timeout", "1200"]);

var linuxRows = Rows(linux);
var vmkRows = Rows(vmk);
if (linuxRows.Count == 0 || vmkRows.Count == 0)
    return Fail($"a guest printed no results (Linux {linuxRows.Count} rows, this kernel {vmkRows.Count} rows)");
var table = new List<string>
{
    $"guest instructions per operation, QEMU TCG -icount shift=0,sleep=off, median of 7 batches (min..max); commit {commit}",
    $"{"operation",-22} {"Linux " + LinuxVersion(vmlinuz),-34} {"VMkernel-CS",-34} ratio",
};
foreach ((string name, (long median, long min, long max) l) in linuxRows)
{
    string ours = vmkRows.TryGetValue(name, out var v) ? $"{v.median,10:N0} ({v.min:N0}..{v.max:N0})" : "missing";
    string ratio = vmkRows.ContainsKey(name) && l.median > 0 ? $"{(double)v.median / l.median:F2}" : "-";
    table.Add($"{name,-22} {$"{l.median,10:N0} ({l.min:N0}..{l.max:N0})",-34} {ours,-34} {ratio}");
}
File.WriteAllLines(Path.Combine(outDir, "results.txt"), table);
Console.WriteLine();
table.ForEach(Console.WriteLine);
return 0;

static Dictionary<string, (long median, long min, long max)> Rows(List<string> lines)
{
    var rows = new Dictionary<string, (long, long, long)>();
    foreach (string line in lines)
    {
        Match m = Regex.Match(line, @"^userbench (\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$");
        if (m.Success)
            rows[m.Groups[1].Value] = (long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value), long.Parse(m.Groups[4].Value));
    }
    return rows;
}

static string FetchLinuxKernel(string outDir)
{
    string unpacked = Path.Combine(outDir, "linux");
    string? existing = Directory.Exists(Path.Combine(unpacked, "boot")) ? Directory.GetFiles(Path.Combine(unpacked, "boot"), "vmlinuz-*").FirstOrDefault() : null;
    if (existing != null)
        return existing;
    string depends = Capture("apt-cache", "depends", "linux-image-amd64");
    string package = Regex.Match(depends, @"Depends: (linux-image-\S+)").Groups[1].Value;
    if (package.Length == 0)
        throw new InvalidOperationException($"apt-cache found no kernel package behind linux-image-amd64:\n{depends}");
    Run("sh", "-c", $"cd '{outDir}' && apt-get download {package}");
    string deb = Directory.GetFiles(outDir, package + "_*.deb").Single();
    Run("dpkg-deb", "-x", deb, unpacked);
    return Directory.GetFiles(Path.Combine(unpacked, "boot"), "vmlinuz-*").Single();
}

static string LinuxVersion(string vmlinuz) => Path.GetFileName(vmlinuz)["vmlinuz-".Length..];

static void WriteInitramfs(string path, string program)
{
    var cpio = new NewcArchive();
    cpio.AddFile("init", File.ReadAllBytes(program));
    cpio.AddDirectory("bin");
    cpio.AddFile("bin/busybox", File.ReadAllBytes(Busybox));
    cpio.AddDirectory("dev");
    using var file = File.Create(path);
    using var gzip = new GZipStream(file, CompressionLevel.Fastest);
    gzip.Write(cpio.Finish());
}

static void WriteTardisk(string path, string program)
{
    using var file = File.Create(path);
    using var gzip = new GZipStream(file, CompressionLevel.Fastest);
    using var tar = new TarWriter(gzip, TarEntryFormat.Ustar);
    foreach ((string name, string source) in new[] { ("bin/userbench", program), ("bin/busybox", Busybox) })
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = File.OpenRead(source),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
        };
        tar.WriteEntry(entry);
        entry.DataStream.Dispose();
    }
}

// Runs a guest to the end, echoing its output, and returns its lines.
static List<string> RunGuest(string fileName, string[] arguments)
{
    var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
    foreach (string argument in arguments)
        start.ArgumentList.Add(argument);
    var lines = new List<string>();
    using var process = Process.Start(start)!;
    process.StandardInput.Close();
    string? line;
    while ((line = process.StandardOutput.ReadLine()) != null)
    {
        lines.Add(line);
        if (line.StartsWith("userbench", StringComparison.Ordinal))
            Console.WriteLine("  " + line);
    }
    process.WaitForExit();
    return lines;
}

static void Run(string fileName, params string[] arguments)
{
    string output = Capture(fileName, arguments);
    _ = output;
}

static string Capture(string fileName, params string[] arguments)
{
    var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (string argument in arguments)
        start.ArgumentList.Add(argument);
    using var process = Process.Start(start)!;
    Task<string> error = process.StandardError.ReadToEndAsync();
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}{error.Result}");
    return output;
}

static string FindRepoRoot()
{
    for (string? dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
        if (File.Exists(Path.Combine(dir, "Kernel.sln")))
            return dir;
    throw new InvalidOperationException("run from inside the repository (no Kernel.sln above the program)");
}

static int Fail(string message)
{
    Console.Error.WriteLine("userbench: " + message);
    return 1;
}
