// MemorySize.cs -- parses and validates QEMU memory sizes (`512M`, `4G`; a bare number is MiB, as in QEMU's -m).
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vmk.Iso.Runner;

/// <summary>A guest RAM size, normalized to QEMU's <c>-m</c> syntax.</summary>
public readonly partial record struct MemorySize(long Bytes)
{
    public const long MinBytes = 32L << 20;
    public const long MaxBytes = 1L << 40;

    public static MemorySize Default => new(512L << 20);

    /// <summary>The size in QEMU syntax, with the largest unit that divides it exactly (e.g. <c>4G</c>, <c>1536M</c>).</summary>
    public string QemuText
    {
        get
        {
            if (Bytes % (1L << 40) == 0) { return (Bytes >> 40).ToString(CultureInfo.InvariantCulture) + "T"; }
            if (Bytes % (1L << 30) == 0) { return (Bytes >> 30).ToString(CultureInfo.InvariantCulture) + "G"; }
            if (Bytes % (1L << 20) == 0) { return (Bytes >> 20).ToString(CultureInfo.InvariantCulture) + "M"; }
            return (Bytes >> 10).ToString(CultureInfo.InvariantCulture) + "K";
        }
    }

    public override string ToString() => QemuText;

    /// <summary>Parses <c>&lt;digits&gt;[K|M|G|T]</c> (case-insensitive, optional trailing B).</summary>
    public static bool TryParse(string? text, out MemorySize size, out string error)
    {
        size = default;
        var match = SizePattern().Match(text?.Trim() ?? "");
        if (!match.Success)
        {
            error = $"invalid memory size '{text}': expected a number with an optional K, M, G or T suffix, e.g. 512M or 4G";
            return false;
        }
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            error = $"invalid memory size '{text}': number too large";
            return false;
        }
        int shift = match.Groups[2].Value.ToUpperInvariant() switch
        {
            "K" => 10,
            "G" => 30,
            "T" => 40,
            _ => 20, // "M" or none: QEMU reads a bare -m number as MiB
        };
        if (value > (MaxBytes >> shift))
        {
            error = $"memory size '{text}' is larger than the maximum of {new MemorySize(MaxBytes)}";
            return false;
        }
        long bytes = value << shift;
        if (bytes < MinBytes)
        {
            error = $"memory size '{text}' is smaller than the minimum of {new MemorySize(MinBytes)}";
            return false;
        }
        if (bytes % 4096 != 0)
        {
            error = $"memory size '{text}' is not a multiple of 4K";
            return false;
        }
        size = new MemorySize(bytes);
        error = "";
        return true;
    }

    [GeneratedRegex(@"^(\d{1,15})([KMGT])?i?B?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
