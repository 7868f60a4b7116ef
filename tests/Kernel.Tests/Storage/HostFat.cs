// HostFat.cs -- the host's independent FAT implementation, for differential tests: volumes made by dosfstools'
// mkfs.fat, checked by `fsck.fat -n` (read-only: it reports and changes nothing), and read back or seeded with
// mtools (mcopy, mdir, mmd). The image lives in a temporary file; the kernel's code sees it as a MemoryBlockDevice.
using System.Diagnostics;

namespace Kernel.Tests.Storage;

public sealed class HostFat : IDisposable
{
    public string ImagePath { get; }

    private HostFat(string path) => ImagePath = path;

    /// <summary>A new volume of <paramref name="kib"/> KiB: FAT 12, 16 or 32, label, and optional sectors per cluster.</summary>
    public static HostFat Make(int fatBits, int kib, string label = "TESTVOL", int sectorsPerCluster = 0)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vmk-fat-{Guid.NewGuid():N}.img");
        string cluster = sectorsPerCluster > 0 ? $"-s {sectorsPerCluster} " : "";
        Run("mkfs.fat", $"-F {fatBits} {cluster}-n {label} -i 1234ABCD -C {path} {kib}");
        return new HostFat(path);
    }

    public byte[] Bytes
    {
        get => File.ReadAllBytes(ImagePath);
        set => File.WriteAllBytes(ImagePath, value);
    }

    /// <summary>`fsck.fat -n`: its output, and whether it found nothing to fix (exit code 0).</summary>
    public (bool Clean, string Output) Check()
    {
        var (code, output) = Exec("fsck.fat", $"-n {ImagePath}");
        return (code == 0 && !output.Contains("will be") && !output.Contains("Free cluster summary"), output);
    }

    public void AssertClean()
    {
        var (clean, output) = Check();
        Assert.True(clean, "fsck.fat -n found problems:\n" + output);
    }

    /// <summary>A file's content as mcopy reads it.</summary>
    public byte[] ReadFile(string path)
    {
        string target = Path.GetTempFileName();
        try
        {
            Run("mcopy", $"-n -i {ImagePath} \"::/{path}\" {target}");
            return File.ReadAllBytes(target);
        }
        finally
        {
            File.Delete(target);
        }
    }

    public void PutFile(string path, byte[] content)
    {
        string source = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(source, content);
            Run("mcopy", $"-i {ImagePath} {source} \"::/{path}\"");
        }
        finally
        {
            File.Delete(source);
        }
    }

    public void MakeDirectory(string path) => Run("mmd", $"-i {ImagePath} \"::/{path}\"");

    /// <summary>Every path on the volume, recursively, as mdir lists them (directories end with '/').</summary>
    public SortedSet<string> Tree()
    {
        var (_, output) = Exec("mdir", $"-/ -b -a -i {ImagePath} ::/");
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string p = line.Trim();
            if (p.StartsWith("::/"))
                paths.Add(p.Substring(3));
        }
        return paths;
    }

    public void Dispose() => File.Delete(ImagePath);

    private static void Run(string tool, string arguments)
    {
        var (code, output) = Exec(tool, arguments);
        Assert.True(code == 0, $"{tool} {arguments} failed ({code}):\n{output}");
    }

    private static (int Code, string Output) Exec(string tool, string arguments)
    {
        var info = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["MTOOLS_SKIP_CHECK"] = "1";
        using var process = Process.Start(info);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            return (-1, tool + " timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
