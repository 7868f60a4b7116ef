// RepoPaths.cs -- where the repository, its artifacts and the host tools script live, wherever the runner runs from.
using System.Reflection;

namespace Vmk.Iso.Runner;

public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding Kernel.sln), with a trailing separator.</summary>
    public static string Root => s_root.Value;

    public static string Artifacts => Path.Combine(Root, "artifacts");
    public static string KernelElf => Path.Combine(Artifacts, "kernel", "kernel.elf");
    public static string KernelMap => Path.Combine(Artifacts, "kernel", "kernel.map");
    public static string IsoImage => Path.Combine(Artifacts, "iso", "vmk.iso");
    public static string DiskImage => Path.Combine(Artifacts, "disk", "vmk.img");
    public static string RunDir => Path.Combine(Artifacts, "run");
    public static string BootBank => Path.Combine(Artifacts, "bootbank");
    public static string GrubTemplate => Path.Combine(Root, "iso", "grub", "grub.cfg.in");
    public static string TestLogs => Path.Combine(Artifacts, "test-logs");
    public static string HostToolsScript => Path.Combine(Root, "tools", "ensure-host-tools.sh");

    public const string OvmfCode = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    public const string OvmfVars = "/usr/share/OVMF/OVMF_VARS_4M.fd";

    // Order: $VMK_REPO_ROOT, the root baked in at build time, then upwards from the working and the app folder.
    private static string FindRoot()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable("VMK_REPO_ROOT"),
            typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepoRoot")?.Value,
        };
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                candidates.Add(dir.FullName);
            }
        }
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(Path.Combine(candidate, "Kernel.sln")))
            {
                return Path.TrimEndingDirectorySeparator(Path.GetFullPath(candidate)) + Path.DirectorySeparatorChar;
            }
        }
        return Path.TrimEndingDirectorySeparator(Directory.GetCurrentDirectory()) + Path.DirectorySeparatorChar;
    }
}
