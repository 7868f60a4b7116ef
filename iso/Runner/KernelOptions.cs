// KernelOptions.cs -- the kernel option string passed through fw_cfg (opt/vmk/kernelopt), built from words.
//
// Format (the kernel's side): space-separated words, each `key` or `key=value`. The kernel appends this string to the
// multiboot command line, so the same mechanism works for ISO (BIOS/UEFI) and direct boots without rebuilding the ISO.
namespace Vmk.Iso.Runner;

public static class KernelOptions
{
    public const string FwCfgName = "opt/vmk/kernelopt";

    /// <summary>Splits every argument on whitespace and joins the words with single spaces, dropping empty ones.</summary>
    public static string Join(IEnumerable<string> options)
    {
        var words = options.SelectMany(o => o.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return string.Join(' ', words);
    }

    /// <summary>Adds <paramref name="word"/> unless a word with the same key is already present.</summary>
    public static IReadOnlyList<string> WithDefault(IEnumerable<string> options, string word)
    {
        var list = options.ToList();
        string key = KeyOf(word);
        bool present = list.SelectMany(o => o.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Any(w => KeyOf(w) == key);
        if (!present)
        {
            list.Add(word);
        }
        return list;
    }

    /// <summary>The QEMU argument for <c>-fw_cfg</c>; commas in the value are doubled as QEMU's option syntax needs.</summary>
    public static string FwCfgArgument(string joined) => $"name={FwCfgName},string={joined.Replace(",", ",,")}";

    private static string KeyOf(string word)
    {
        int eq = word.IndexOf('=');
        return eq < 0 ? word : word[..eq];
    }
}
