// BootMedia.cs -- turns a QemuConfig's boot bank, extra modules and state file into what QEMU boots: -initrd or a per-run ISO.
using Vmk.ImageBuilder;
using VisorFs;

namespace Vmk.Iso.Runner;

/// <summary>
/// The modules of a boot (<see cref="BootModules.Compose"/>: the boot bank's boot.cfg list, then
/// <see cref="QemuConfig.ExtraModules"/>, then <see cref="QemuConfig.StateFile"/> as <c>state.tgz</c>), made bootable:
/// <list type="bullet">
/// <item><b>Direct</b> (<c>qemu -kernel</c>, multiboot1): <see cref="QemuConfig.InitrdModules"/>, which become
/// <c>-initrd "PATH [options],PATH [options]"</c>. QEMU (checked on 7.2 with the fake kernel) gives each module the
/// whole item as its command line, <c>PATH [options]</c>, and loads the file named by the text before the first space;
/// <c>,,</c> stands for a comma. The kernel takes the base name of the first word as the module's name, so a file whose
/// base name is not the module name (<c>--state saved.tgz</c> must arrive as <c>state.tgz</c>) or whose path has
/// white space is reached through a symlink named after the module in a per-run folder under artifacts/run/.</item>
/// <item><b>BIOS/UEFI</b>: the built ISO when there are no extra modules and no state file; otherwise a per-run ISO
/// under artifacts/run/ with the same kernel, the composed modules, a boot.cfg listing them and grub.cfg generated
/// from it (<see cref="IsoImage"/>; grub-mkrescue takes a second or two).</item>
/// </list>
/// Everything made here is deleted when the <see cref="PreparedBoot"/> is disposed.
/// </summary>
public static class BootMedia
{
    /// <summary>The composed module list, or an <see cref="ImageBuildException"/> naming the bad input. No side effects.</summary>
    public static List<ModuleFile> ComposeModules(QemuConfig config)
    {
        BootConfig? bank = null;
        string bankDir = config.BootBankDir ?? "";
        if (config.BootBankDir is not null)
        {
            string bootCfg = Path.Combine(config.BootBankDir, BootModules.BootConfigName);
            if (File.Exists(bootCfg))
            {
                bank = BootBank.ReadConfig(bootCfg);
            }
            else if (config.Boot != BootKind.Direct && HasExtras(config))
            {
                throw new ImageBuildException($"{bootCfg} does not exist; build it with `dotnet build Kernel.sln`");
            }
        }
        return BootModules.Compose(bank, bankDir, config.ExtraModules, config.StateFile);
    }

    public static bool HasExtras(QemuConfig config) => config.ExtraModules.Count > 0 || config.StateFile is not null;

    /// <summary>Makes the boot media; the returned config is ready for <see cref="QemuCommandLine"/>.</summary>
    public static PreparedBoot Prepare(QemuConfig config, TextWriter? log = null)
    {
        if (config.BootDisk is not null)
        {
            if (HasExtras(config))
            {
                throw new ImageBuildException("a disk image boot takes its modules from the disk: no extra modules or state file");
            }
            return new PreparedBoot(config, null);
        }
        if (config.Boot == BootKind.Direct)
        {
            return PrepareDirect(config);
        }
        if (!HasExtras(config))
        {
            return new PreparedBoot(config, null);
        }
        var modules = ComposeModules(config);
        string runDir = NewRunDir("iso");
        try
        {
            var bank = BootBank.ReadConfig(Path.Combine(config.BootBankDir!, BootModules.BootConfigName));
            string iso = Path.Combine(runDir, "vmk.iso");
            IsoImage.Build(new IsoImage.Request(config.KernelPath, BootConfigWriter.From(bank), modules, RepoPaths.GrubTemplate,
                Path.Combine(runDir, "root"), iso), log ?? TextWriter.Null);
            return new PreparedBoot(config with { IsoPath = iso }, runDir);
        }
        catch
        {
            PreparedBoot.DeleteDirectory(runDir);
            throw;
        }
    }

    private static PreparedBoot PrepareDirect(QemuConfig config)
    {
        if (config.InitrdModules.Count > 0)
        {
            return new PreparedBoot(config, null); // prepared already
        }
        var modules = ComposeModules(config);
        string? runDir = null;
        var initrd = new List<ModuleFile>();
        foreach (var module in modules)
        {
            string path = module.SourcePath;
            if (Path.GetFileName(path) != module.Name || path.Any(char.IsWhiteSpace))
            {
                runDir ??= NewRunDir("modules");
                path = Path.Combine(runDir, module.Name);
                File.CreateSymbolicLink(path, module.SourcePath);
            }
            initrd.Add(module with { SourcePath = path });
        }
        return new PreparedBoot(config with { InitrdModules = initrd }, runDir);
    }

    private static string NewRunDir(string kind)
    {
        string dir = Path.Combine(RepoPaths.RunDir, $"{kind}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        if (dir.Any(char.IsWhiteSpace))
        {
            throw new ImageBuildException($"{dir}: QEMU's -initrd cannot name files whose path has white space; move the repository");
        }
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>A config whose boot media exist, and the per-run folder to delete afterwards (null: nothing was made).</summary>
public sealed class PreparedBoot(QemuConfig config, string? runDir) : IDisposable
{
    public QemuConfig Config { get; } = config;
    public string? RunDir { get; } = runDir;

    public void Dispose() => DeleteDirectory(RunDir);

    internal static void DeleteDirectory(string? dir)
    {
        try
        {
            if (dir is not null && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
