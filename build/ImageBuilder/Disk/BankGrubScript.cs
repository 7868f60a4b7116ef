// BankGrubScript.cs -- boot.cfg -> boot.grub: GRUB cannot parse ESXi's boot.cfg, so each bank also carries the same
// facts as a GRUB script, which the ESP's grub.cfg sources to choose a bank and to boot it.
using System.Globalization;
using System.Text;
using VisorFs;

namespace Vmk.ImageBuilder.Disk;

/// <summary>
/// <code>
/// vmk_bootstate=0                      boot.cfg's bootstate= (0 valid, 1 upgrading, 2 dirty, 3 invalid)
/// vmk_updated=2                        boot.cfg's updated=
/// function vmk_load {                  $1: the bank's device "(hd0,gpt3)", $2: its FAT serial as GRUB prints it
///     multiboot2 $1/KERNEL [kernel= options] [kernelopt words] bootbank=$2
///     module2 --nounzip $1/FILE FILE [options]     one per module, in boot.cfg order
/// }
/// </code>
/// <c>bootbank=</c> tells the kernel which bank it came from (Kernel/Storage/BootBankLink.cs). Whoever rewrites a
/// bank's boot.cfg (the image tool today, a live install later) writes boot.grub from it in the same step.
/// </summary>
public static class BankGrubScript
{
    public const string FileName = "boot.grub";

    public static string Generate(BootConfig config)
    {
        var s = new StringBuilder();
        s.Append("# boot.grub -- this bank's boot.cfg for GRUB, generated from it by build/ImageBuilder (BankGrubScript.cs).\n");
        s.Append("# The ESP's /boot/grub/grub.cfg sources it from each bank to choose one, then calls vmk_load.\n");
        s.Append("vmk_bootstate=").Append(((int)config.BootState).ToString(CultureInfo.InvariantCulture)).Append('\n');
        s.Append("vmk_updated=").Append(config.Updated.ToString(CultureInfo.InvariantCulture)).Append('\n');
        s.Append("function vmk_load {\n");
        s.Append("    multiboot2 $1/").Append(GrubConfig.Quote(Path.GetFileName(config.Kernel)));
        AppendWords(s, config.KernelLineOptions);
        AppendWords(s, config.KernelOptions);
        s.Append(" bootbank=$2\n");
        foreach (var module in config.Modules)
        {
            string name = Path.GetFileName(module.Path);
            s.Append("    module2 --nounzip $1/").Append(GrubConfig.Quote(name)).Append(' ').Append(GrubConfig.Quote(name));
            AppendWords(s, module.Options);
            s.Append('\n');
        }
        s.Append("}\n");
        return s.ToString();
    }

    private static void AppendWords(StringBuilder line, string options)
    {
        foreach (string word in options.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            line.Append(' ').Append(GrubConfig.Quote(word));
        }
    }
}
