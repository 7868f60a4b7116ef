// HostCommand.cs -- runs one host tool (grub-mkimage, mkfs.fat, mtools) and turns a failure into an ImageBuildException.
using System.Diagnostics;

namespace Vmk.ImageBuilder.Disk;

public static class HostCommand
{
    public static string Run(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // mtools checks that a volume's size is a whole number of "tracks"; mkfs.fat's geometry for an image file
        // need not be, and the check means nothing for an image.
        start.Environment["MTOOLS_SKIP_CHECK"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ImageBuildException($"{tool} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ImageBuildException($"{tool}: {e.Message} (run tools/ensure-host-tools.sh)");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new ImageBuildException($"{tool} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{stdout.Result}{stderr}");
            }
            return stdout.Result;
        }
    }
}
