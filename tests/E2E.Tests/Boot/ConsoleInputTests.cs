// ConsoleInputTests.cs -- what is typed or pasted on the serial console becomes exactly the commands typed: an
// overlong line is refused whole, escape sequences never leak into a line, and input pasted while a command runs is
// neither lost nor glued together (even far beyond the receive ring: the driver holds the sender back).
using System.Text;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class ConsoleInputTests
{
    private const int TestTimeoutMs = 240_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task OverlongLine_IsRefusedWhole_AndTheFileIsUntouched()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ConsoleInputTests));
        await guest.ExpectPromptAsync();
        string before = await guest.RunAsync("cat /etc/vmware/esx.conf");
        // Cut at the limit, this line would have become `echo xxx... > /etc/vmware/esx.conf`.
        string suffix = " > /etc/vmware/esx.conf.new";
        string line = "echo " + new string('x', 8192 - 5 - suffix.Length + 4) + suffix;
        string refused = await guest.RunAsync(line, TimeSpan.FromSeconds(60));
        guest.Check(refused.Contains("sh: line too long", StringComparison.Ordinal), $"no refusal: {refused[^Math.Min(200, refused.Length)..]}");
        string after = await guest.RunAsync("cat /etc/vmware/esx.conf");
        guest.Check(after == before, "esx.conf changed");
        string listing = await guest.RunAsync("ls /etc/vmware");
        guest.Check(!listing.Contains("esx.conf.new", StringComparison.Ordinal), $"the line ran: {listing}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task EscapeSequences_NeverLeakIntoTheLine()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ConsoleInputTests));
        await guest.ExpectPromptAsync();
        // Delete, Home, a function key, SS3 F1, and a bracketed paste around the rest.
        string echoed = await guest.RunAsync("echo a\u001b[3~b\u001b[Hc\u001b[15~d\u001bOPe\u001b[200~f\u001b[201~");
        // The transcript cannot strip the echo of a command typed with escapes: the shell echoes the clean line.
        string[] lines = echoed.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        guest.Check(lines is ["echo abcdef", "abcdef"], $"escape sequences leaked: {echoed}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task InputPastedWhileACommandRuns_IsNotLost()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ConsoleInputTests));
        await guest.ExpectPromptAsync();
        // 2,000 lines (about 30 KB, twice the receive ring) pasted while `sleep 2` holds the shell.
        const int Lines = 2000;
        var paste = new StringBuilder();
        for (int i = 0; i < Lines; i++)
            paste.Append("echo pasted-").Append(i.ToString("D4")).Append('\r');
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("sleep 2");
        await guest.Session.SendAsync(paste.ToString());
        await guest.ExpectAsync(new Regex($@"\npasted-{Lines - 1:D4}\r?\n"), TimeSpan.FromSeconds(180), start, "the last pasted line's output");
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(30), guest.Session.Length - 40);
        string text = guest.Session.Text[start..];
        var seen = Regex.Matches(text, @"\n(pasted-\d{4})\r?\n").Select(m => m.Groups[1].Value).ToList();
        var expected = Enumerable.Range(0, Lines).Select(i => $"pasted-{i:D4}").ToList();
        guest.Check(seen.SequenceEqual(expected), $"{seen.Count} of {Lines} pasted commands ran in order; first difference at {FirstDifference(seen, expected)}");
        guest.Check(!text.Contains("not found", StringComparison.Ordinal) && !text.Contains("input was lost", StringComparison.Ordinal), "a pasted line was damaged");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CtrlC_StopsALongSleep_AndTheNextCommandRuns()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(ConsoleInputTests));
        await guest.ExpectPromptAsync();
        int start = guest.Session.Length;
        await guest.Session.SendLineAsync("sleep 86400");
        await Task.Delay(500);
        await guest.Session.SendAsync("\u0003");
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(10), start + 1);
        guest.Check(guest.Session.Text[start..].Contains("^C", StringComparison.Ordinal), "no ^C echoed");
        string echoed = await guest.RunAsync("echo after-interrupt");
        guest.Check(echoed.Contains("after-interrupt", StringComparison.Ordinal), $"the next command: {echoed}");
        // A Ctrl-C at the prompt cancels the line only; it must not interrupt the next command.
        await guest.Session.SendAsync("\u0003");
        await guest.ExpectPromptAsync(TimeSpan.FromSeconds(10), guest.Session.Length);
        string slept = await guest.RunAsync("sleep 1");
        guest.Check(!slept.Contains("^C", StringComparison.Ordinal), $"a stale Ctrl-C interrupted sleep: {slept}");
        await guest.PowerOffAsync();
    }

    private static int FirstDifference(List<string> a, List<string> b)
    {
        int i = 0;
        while (i < a.Count && i < b.Count && a[i] == b[i])
            i++;
        return i;
    }
}
