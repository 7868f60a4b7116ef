// BootModules.cs -- the ordered module list of one boot: the boot bank's modules, extra modules, then state.tgz.
using System.Text.RegularExpressions;
using VisorFs;

namespace Vmk.ImageBuilder;

/// <summary>One multiboot module: the file to load, its name (the first word of its command line) and its options.</summary>
public sealed record ModuleFile(string SourcePath, string Name, string Options = "")
{
    /// <summary>The module's command line as GRUB hands it to the kernel: the name, then the options.</summary>
    public string CommandLine => Options.Length > 0 ? Name + " " + Options : Name;
}

public static partial class BootModules
{
    /// <summary>The module that carries the saved configuration; always loaded last.</summary>
    public const string StateName = "state.tgz";

    /// <summary>The base image; always the first module of the boot bank.</summary>
    public const string BaseImageName = "s.v00";

    public const string BootConfigName = "boot.cfg";

    /// <summary>
    /// The modules of a boot, in load order: every module of <paramref name="bank"/> (files in
    /// <paramref name="bankDir"/>) except its state.tgz, then <paramref name="extraModules"/> in order (name = file
    /// name, no options), then state.tgz: <paramref name="stateFile"/> (whatever its name) if given, else the bank's.
    /// Throws <see cref="ImageBuildException"/> for a missing file, an unusable name or two modules with one name.
    /// </summary>
    public static List<ModuleFile> Compose(BootConfig? bank, string bankDir, IReadOnlyList<string> extraModules, string? stateFile,
        string kernelName = "kernel.elf")
    {
        var result = new List<ModuleFile>();
        ModuleFile? state = null;
        var names = new HashSet<string>(StringComparer.Ordinal) { kernelName, BootConfigName };
        foreach (var module in bank?.Modules ?? [])
        {
            string name = Path.GetFileName(module.Path);
            CheckName(name, $"boot.cfg module '{module.Path}'");
            var file = new ModuleFile(Path.Combine(bankDir, name), name, module.Options);
            if (!names.Add(name))
            {
                throw new ImageBuildException($"boot.cfg lists {name} twice (or names the kernel or boot.cfg)");
            }
            if (name == StateName)
            {
                state = file;
            }
            else
            {
                result.Add(file);
            }
        }
        foreach (string extra in extraModules)
        {
            string path = Path.GetFullPath(extra);
            string name = Path.GetFileName(path);
            if (!File.Exists(path))
            {
                throw new ImageBuildException($"--module {extra}: no such file");
            }
            CheckName(name, $"--module {extra}");
            if (name == StateName)
            {
                throw new ImageBuildException($"--module {extra}: state.tgz is always the last module; pass it with --state");
            }
            if (!names.Add(name))
            {
                throw new ImageBuildException($"--module {extra}: a module named {name} is already loaded (rename the file)");
            }
            result.Add(new ModuleFile(path, name));
        }
        if (stateFile is not null)
        {
            string path = Path.GetFullPath(stateFile);
            if (!File.Exists(path))
            {
                throw new ImageBuildException($"--state {stateFile}: no such file");
            }
            state = new ModuleFile(path, StateName);
        }
        if (state is not null)
        {
            result.Add(state);
        }
        foreach (var module in result)
        {
            if (!File.Exists(module.SourcePath))
            {
                throw new ImageBuildException($"{module.SourcePath} does not exist (boot.cfg lists {module.Name}); rebuild with `dotnet build Kernel.sln`");
            }
        }
        return result;
    }

    /// <summary>A module name must survive boot.cfg (no white space, no '---'), GRUB's parser and the ISO's file names.</summary>
    public static void CheckName(string name, string what)
    {
        if (!SafeName().IsMatch(name) || name.Contains("---", StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ImageBuildException($"{what}: module file names may use only letters, digits and . _ + @ ~ - "
                + $"(not starting with '-', no '---'); got '{name}'");
        }
    }

    /// <summary>A boot.cfg for these modules: <paramref name="template"/>'s other keys, its modules= replaced.</summary>
    public static BootConfigWriter WithModules(BootConfigWriter template, IReadOnlyList<ModuleFile> modules)
    {
        var writer = new BootConfigWriter
        {
            Comment = template.Comment,
            BootState = template.BootState,
            Title = template.Title,
            Timeout = template.Timeout,
            Prefix = "",
            Kernel = template.Kernel,
            KernelLineOptions = template.KernelLineOptions,
            KernelOptions = template.KernelOptions,
            Build = template.Build,
            Updated = template.Updated,
        };
        foreach (var module in modules)
        {
            writer.Modules.Add(new BootModule { Path = module.Name, Options = module.Options });
        }
        return writer;
    }

    [GeneratedRegex("^[A-Za-z0-9._+@~][A-Za-z0-9._+@~-]*$")]
    private static partial Regex SafeName();
}
