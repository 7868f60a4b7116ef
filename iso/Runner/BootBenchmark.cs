// BootBenchmark.cs -- --bench N: QEMU start -> shell prompt wall time (median of N) for direct, BIOS and UEFI boots,
// and the guest instructions to the kernel's `Boot complete` line under -icount shift=0 (TSC = instructions there).
using System.Globalization;

namespace Vmk.Iso.Runner;

public sealed class BootBenchmark(TextWriter output, TextWriter error)
{
    public sealed record Row(BootKind Boot, IReadOnlyList<double> Seconds, ulong? Instructions, string? Problem);

    public async Task<int> RunAsync(RunPlan plan, int runs, CancellationToken cancellationToken)
    {
        var timeout = plan.Timeout ?? RunnerOptions.DefaultAutomatedTimeout;
        var rows = new List<Row>();
        foreach (var boot in new[] { BootKind.Direct, BootKind.Bios, BootKind.Uefi })
        {
            var config = plan.Config with { Boot = boot, Headless = true, Gdb = false };
            string file = boot == BootKind.Direct ? config.KernelPath : config.IsoPath;
            if (!File.Exists(file))
            {
                rows.Add(new Row(boot, [], null, $"{file} missing"));
                continue;
            }
            var seconds = new List<double>();
            string? problem = null;
            for (int i = 0; i < runs && problem is null; i++)
            {
                await using var session = QemuSession.Start(config);
                var wait = await session.WaitForPromptAsync(timeout, 0, cancellationToken).ConfigureAwait(false);
                if (wait.IsMatch)
                {
                    seconds.Add(wait.Elapsed.TotalSeconds);
                }
                else
                {
                    problem = $"no prompt ({wait.Status}, exit {wait.ExitCode})";
                }
            }
            ulong? instructions = null;
            if (problem is null)
            {
                await using var session = QemuSession.Start(config with { InstructionCount = true });
                var wait = await session.WaitForAsync(ShellPrompt.BootComplete(), timeout, 0, cancellationToken).ConfigureAwait(false);
                if (wait.IsMatch && ShellPrompt.TryParseBootTsc(wait.Match!.Value, out ulong tsc))
                {
                    instructions = tsc;
                }
            }
            rows.Add(new Row(boot, seconds, instructions, problem));
            error.WriteLine($"iso: bench {boot}: {Format(rows[^1])}");
        }
        output.WriteLine($"boot     runs  median-s  min-s    max-s    instructions-to-'Boot complete' (-icount shift=0)");
        foreach (var row in rows)
        {
            output.WriteLine(Format(row));
        }
        return rows.Any(r => r.Problem is not null && !r.Problem.EndsWith("missing", StringComparison.Ordinal))
            ? ExitCodes.NoPromptOrEarlyExit
            : ExitCodes.Success;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Format(Row row)
    {
        var inv = CultureInfo.InvariantCulture;
        string name = row.Boot.ToString().ToLowerInvariant().PadRight(8);
        if (row.Seconds.Count == 0)
        {
            return $"{name} {row.Problem}";
        }
        string instructions = row.Instructions?.ToString("N0", inv) ?? "(no 'Boot complete' line with a TSC)";
        return string.Format(inv, "{0} {1,-5} {2,-9:F3} {3,-8:F3} {4,-8:F3} {5}{6}", name, row.Seconds.Count,
            Median(row.Seconds), row.Seconds.Min(), row.Seconds.Max(), instructions,
            row.Problem is null ? "" : "  " + row.Problem);
    }
}
