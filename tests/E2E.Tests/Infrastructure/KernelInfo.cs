// KernelInfo.cs -- parsers for what the kernel reports about itself (the boot log's memory line, `uptime`, `free`).
// Each one fails the test, with the text it was given, when the format is not the expected one: a figure a test
// cannot read must never turn into a stand-in value that lets a comparison pass.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Vmk.E2E.Tests.Infrastructure;

public static partial class KernelInfo
{
    [GeneratedRegex(@"Memory: Physical memory: (\d+) MiB usable, (\d+) MiB free")]
    private static partial Regex MemoryLine();

    // " 13:34:04 up 0 days, 00:00:00.090, 45 ticks"
    [GeneratedRegex(@"^ (\d\d):(\d\d):(\d\d) up (\d+) days?, (\d\d):(\d\d):(\d\d)\.(\d\d\d), (\d+) ticks\r?$", RegexOptions.Multiline)]
    private static partial Regex UptimeLine();

    [GeneratedRegex(@"^ +total +used +free\r?\nMem: +(\d+) +(\d+) +(\d+)\r?\nHeap: +(\d+) +(\d+) +(\d+)\r?\n"
        + @"Pages: reserved (\d+) KiB, page tables (\d+) KiB; heap objects live (\d+), allocations (\d+), frees (\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex FreeOutput();

    public readonly record struct Uptime(TimeSpan TimeOfDay, long UptimeMs, long Ticks);

    public readonly record struct Free(long MemTotalKb, long MemUsedKb, long MemFreeKb, long HeapTotalKb, long HeapUsedKb, long HeapFreeKb,
        long ReservedKb, long PageTablesKb, long LiveObjects, long Allocations, long Frees);

    /// <summary>N of the boot log's "Physical memory: N MiB usable".</summary>
    public static long UsableMib(Guest guest)
    {
        Match m = MemoryLine().Match(guest.Session.Text);
        guest.Check(m.Success, "no 'Memory: Physical memory: N MiB usable, N MiB free' line in the boot log");
        long usable = Number(m, 1);
        guest.Check(Number(m, 2) <= usable, $"more memory free than usable: {m.Value}");
        return usable;
    }

    public static Uptime ParseUptime(Guest guest, string output)
    {
        Match m = UptimeLine().Match(output);
        guest.Check(m.Success, $"uptime: expected ' HH:MM:SS up N days, HH:MM:SS.mmm, N ticks', got:\n{output}");
        int hour = (int)Number(m, 1), minute = (int)Number(m, 2), second = (int)Number(m, 3);
        long upHours = Number(m, 5), upMinutes = Number(m, 6), upSeconds = Number(m, 7);
        guest.Check(hour < 24 && minute < 60 && second < 60 && upHours < 24 && upMinutes < 60 && upSeconds < 60,
            $"uptime: a field out of range: {m.Value}");
        long ms = (((Number(m, 4) * 24 + upHours) * 60 + upMinutes) * 60 + upSeconds) * 1000 + Number(m, 8);
        return new Uptime(new TimeSpan(hour, minute, second), ms, Number(m, 9));
    }

    public static Free ParseFree(Guest guest, string output)
    {
        Match m = FreeOutput().Match(output);
        guest.Check(m.Success, $"free: expected the header, Mem:, Heap: and Pages: lines, got:\n{output}");
        return new Free(Number(m, 1), Number(m, 2), Number(m, 3), Number(m, 4), Number(m, 5), Number(m, 6),
            Number(m, 7), Number(m, 8), Number(m, 9), Number(m, 10), Number(m, 11));
    }

    private static long Number(Match m, int group) => long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
}
