// IsoImage.cs -- stages kernel, modules, boot.cfg and the generated grub.cfg under boot/, then runs grub-mkrescue.
using System.Diagnostics;
using VisorFs;

namespace Vmk.ImageBuilder;

/// <summary>
/// The hybrid (BIOS + UEFI) ISO: <c>/boot/KERNEL</c>, <c>/boot/MODULE</c> for each module, <c>/boot/boot.cfg</c>
/// (the list actually on the image) and <c>/boot/grub/grub.cfg</c> generated from it. grub-mkrescue with
/// <c>--compress=xz --fonts= --locales= --themes=</c> keeps the image at about 6 MB plus the modules. The image is
/// written to a temporary name and moved into place, so a failed run never leaves an up-to-date-looking image.
/// </summary>
public static class IsoImage
{
    public sealed record Request(string KernelPath, BootConfigWriter BootConfig, IReadOnlyList<ModuleFile> Modules,
        string GrubTemplatePath, string StageDir, string OutputPath);

    public static void Build(Request request, TextWriter log)
    {
        var writer = BootModules.WithModules(request.BootConfig, request.Modules);
        writer.Kernel = Path.GetFileName(request.KernelPath);
        if (!writer.TryWrite(out string bootCfg, out string error))
        {
            throw new ImageBuildException("boot.cfg: " + error);
        }
        if (!BootConfig.TryParse(bootCfg, out var parsed, out error))
        {
            throw new ImageBuildException("boot.cfg: " + error);
        }
        if (!File.Exists(request.KernelPath))
        {
            throw new ImageBuildException($"{request.KernelPath} does not exist");
        }
        string grubCfg = GrubConfig.Generate(parsed, File.ReadAllText(request.GrubTemplatePath));

        if (Directory.Exists(request.StageDir))
        {
            Directory.Delete(request.StageDir, recursive: true);
        }
        string boot = Path.Combine(request.StageDir, "boot");
        Directory.CreateDirectory(Path.Combine(boot, "grub"));
        File.Copy(request.KernelPath, Path.Combine(boot, writer.Kernel));
        foreach (var module in request.Modules)
        {
            File.Copy(module.SourcePath, Path.Combine(boot, module.Name));
        }
        File.WriteAllText(Path.Combine(boot, BootModules.BootConfigName), bootCfg);
        File.WriteAllText(Path.Combine(boot, "grub", "grub.cfg"), grubCfg);

        string output = Path.GetFullPath(request.OutputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        string tmp = output + ".tmp";
        File.Delete(tmp);
        RunGrubMkrescue(request.StageDir, tmp);
        File.Move(tmp, output, overwrite: true);
        log.WriteLine($"iso: {output} ({request.Modules.Count} modules: {string.Join(", ", request.Modules.Select(m => m.Name))})");
    }

    private static void RunGrubMkrescue(string stageDir, string output)
    {
        var start = new ProcessStartInfo("grub-mkrescue")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--compress=xz", "--fonts=", "--locales=", "--themes=", "-o", output, stageDir })
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ImageBuildException("grub-mkrescue did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImageBuildException($"grub-mkrescue: {e.Message} (run tools/ensure-host-tools.sh)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new ImageBuildException($"grub-mkrescue failed ({process.ExitCode}):\n{stdout.Result}{stderr}");
            }
        }
    }
}
