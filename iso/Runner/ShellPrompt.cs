// ShellPrompt.cs -- the patterns the runner and the tests wait for on the serial console.
using System.Text.RegularExpressions;

namespace Vmk.Iso.Runner;

public static partial class ShellPrompt
{
    /// <summary>The prompt text, e.g. <c>[root@localhost:~] </c>.</summary>
    public const string Example = "[root@localhost:~] ";

    private const string PromptAtEndPattern = @"\[root@[^:\]\n]+:[^\]\n]*\] \z";
    private const string HaltedPanicPattern = @"^@BlueScreen: No core dump.*\n";

    /// <summary>The prompt, only when it is the last thing received (the shell is waiting for input).</summary>
    [GeneratedRegex(PromptAtEndPattern)]
    public static partial Regex AtEnd();

    /// <summary>The last line of a panic screen after which the kernel halts (<c>panic=halt</c>): QEMU will not end by
    /// itself, so whoever waits must stop waiting there.</summary>
    [GeneratedRegex(HaltedPanicPattern, RegexOptions.Multiline)]
    public static partial Regex HaltedPanic();

    /// <summary>Either the prompt at the end of the text, or a panic screen that ended in a halt.</summary>
    [GeneratedRegex(PromptAtEndPattern + "|" + HaltedPanicPattern, RegexOptions.Multiline)]
    public static partial Regex PromptOrHaltedPanic();

    /// <summary>Marks every line of the panic screen on serial.</summary>
    public const string PanicMarker = "@BlueScreen:";

    [GeneratedRegex(@"^@BlueScreen:.*(?=\n)", RegexOptions.Multiline)]
    public static partial Regex PanicLine();

    /// <summary>The self-test summary line (<c>N passed, N failed</c>).</summary>
    [GeneratedRegex(@"(\d+) passed, (\d+) failed")]
    public static partial Regex SelfTestSummary();

    /// <summary>The kernel's end-of-boot log line, once complete (up to its newline: patterns are matched while the
    /// text streams in); the TSC is the number after <c>tsc</c>/<c>TSC</c> (or the last number).</summary>
    [GeneratedRegex(@"^.*Boot complete.*\n", RegexOptions.Multiline)]
    public static partial Regex BootComplete();

    [GeneratedRegex(@"tsc\s*[=:]?\s*(?:0x(?<hex>[0-9a-f]+)|(?<dec>\d+))", RegexOptions.IgnoreCase)]
    private static partial Regex TscField();

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    /// <summary>Reads the TSC value out of a <c>Boot complete</c> line.</summary>
    public static bool TryParseBootTsc(string line, out ulong tsc)
    {
        var m = TscField().Match(line);
        if (m.Success)
        {
            return m.Groups["hex"].Success
                ? ulong.TryParse(m.Groups["hex"].Value, System.Globalization.NumberStyles.HexNumber, null, out tsc)
                : ulong.TryParse(m.Groups["dec"].Value, out tsc);
        }
        var numbers = Number().Matches(line);
        tsc = 0;
        return numbers.Count > 0 && ulong.TryParse(numbers[^1].Value, out tsc);
    }
}
