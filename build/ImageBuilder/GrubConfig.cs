// GrubConfig.cs -- boot.cfg -> grub.cfg: GRUB reads no boot.cfg, so the menu entry is generated from it at image build time.
using System.Text;
using VisorFs;

namespace Vmk.ImageBuilder;

/// <summary>
/// Fills the placeholders of <c>iso/grub/grub.cfg.in</c> from a boot.cfg:
/// <code>
/// @TIMEOUT@   timeout=                          -> set timeout=N
/// @TITLE@     title= (GRUB-escaped for "...")   -> menuentry "TITLE" (empty title: "vmk")
/// @KERNEL@    kernel= + kernelopt=              -> multiboot2 /boot/KERNEL [kernel= options] [kernelopt words]
/// @MODULES@   modules=, one line per module     ->     module2 --nounzip /boot/FILE FILE [options]
/// </code>
/// Every file sits in <c>/boot/</c> on the ISO under its base name. <c>--nounzip</c> keeps GRUB from inflating gzip'd
/// modules itself: like ESXi's loader it hands them over compressed and the kernel inflates them. GRUB passes the
/// words after the file as the module's command line, so the kernel sees <c>FILE [options]</c>, the same as from
/// <c>qemu -initrd</c> once the path is reduced to its base name. Words GRUB would expand or split are single-quoted.
/// </summary>
public static class GrubConfig
{
    public const string BootDirectory = "/boot/";

    public static string Generate(BootConfig config, string template)
    {
        var kernel = new StringBuilder("multiboot2 ").Append(Quote(BootDirectory + Path.GetFileName(config.Kernel)));
        AppendWords(kernel, config.KernelLineOptions);
        AppendWords(kernel, config.KernelOptions);

        var modules = new StringBuilder();
        foreach (var module in config.Modules)
        {
            string name = Path.GetFileName(module.Path);
            modules.Append("    module2 --nounzip ").Append(Quote(BootDirectory + name)).Append(' ').Append(Quote(name));
            AppendWords(modules, module.Options);
            modules.Append('\n');
        }

        return template
            .Replace("@TIMEOUT@", config.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@TITLE@", EscapeDoubleQuoted(config.Title.Length > 0 ? config.Title : "vmk"), StringComparison.Ordinal)
            .Replace("@KERNEL@", kernel.ToString(), StringComparison.Ordinal)
            .Replace("@MODULES@\n", modules.ToString(), StringComparison.Ordinal)
            .Replace("@MODULES@", modules.ToString().TrimEnd('\n'), StringComparison.Ordinal);
    }

    /// <summary>One word for GRUB's script parser: bare when it holds only safe characters, else single-quoted.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%^~".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string EscapeDoubleQuoted(string text)
    {
        var sb = new StringBuilder();
        foreach (char c in text)
        {
            if (c is '"' or '\\' or '$')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static void AppendWords(StringBuilder line, string options)
    {
        foreach (string word in options.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            line.Append(' ').Append(Quote(word));
        }
    }
}
