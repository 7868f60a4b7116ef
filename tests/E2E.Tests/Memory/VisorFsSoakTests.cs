// VisorFsSoakTests.cs -- issue 9's soak of 100,000 VisorFS operations: rounds of copying a 500-file tardisk directory
// into a ramdisk (a resolve, a create and a write per file), listing the copy and removing it (a resolve and a remove
// per file) must leave the live heap within 1% of where it started and give back every ramdisk page.
using System.Globalization;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Memory;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed partial class VisorFsSoakTests
{
    private const int TestTimeoutMs = 600_000;
    private const int Files = 500;
    private const int OperationsPerFile = 6;   // copy: resolve, create, write; ls: list; rm -r: resolve, remove
    private const int Operations = 100_000;

    [GeneratedRegex(@"^tmp\s+\d+\s+(\d+)\s", RegexOptions.Multiline)]
    private static partial Regex TmpUsed();

    [Fact(Timeout = TestTimeoutMs)]
    public async Task OneHundredThousandVisorFsOperations_LeaveTheLiveHeapAndTheRamdiskWhereTheyStarted()
    {
        using var modules = new TestModules();
        string module = modules.Tgz("many.tgz", ManyFiles());
        var config = Guest.Config(BootKind.Direct) with { ExtraModules = [module] };
        await using var guest = await Guest.StartAsync(config, nameof(VisorFsSoakTests));
        await guest.ExpectPromptAsync();

        async Task Round()
        {
            string copied = await guest.RunAsync("cp -r /many /tmp/copy", TimeSpan.FromSeconds(60));
            guest.Check(copied.Trim().Length == 0, $"cp -r: {copied}");
            await guest.RunAsync("ls -l /tmp/copy > /tmp/listing", TimeSpan.FromSeconds(60));
            string removed = await guest.RunAsync("rm -r /tmp/copy /tmp/listing", TimeSpan.FromSeconds(60));
            guest.Check(removed.Trim().Length == 0, $"rm -r: {removed}");
        }

        // Warm-up: the shell's history (64 lines: 22 rounds of 3 commands fill it), the slabs and the ramdisk's tables
        // reach their working size.
        for (int i = 0; i < 22; i++)
            await Round();
        (long objects, long bytes) start = Live(guest, await guest.RunAsync("gc"));
        long tmpStart = TmpUsedKb(guest, await guest.RunAsync("vdf"));
        int rounds = Operations / (Files * OperationsPerFile) + 1;
        for (int i = 0; i < rounds; i++)
            await Round();
        (long objects, long bytes) end = Live(guest, await guest.RunAsync("gc"));
        long tmpEnd = TmpUsedKb(guest, await guest.RunAsync("vdf"));
        double drift = Math.Abs(end.bytes - start.bytes) / (double)start.bytes;
        guest.Check(drift <= 0.01, $"after {rounds * Files * OperationsPerFile} VisorFS operations the live heap moved from {start.bytes} to {end.bytes} bytes ({drift:P2}); objects {start.objects} -> {end.objects}");
        guest.Check(tmpEnd == tmpStart, $"/tmp used {tmpStart} KB before the rounds and {tmpEnd} KB after");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    private static (long, long) Live(Guest guest, string gcOutput)
    {
        GarbageCollectorTests.Report? report = GarbageCollectorTests.Parse(gcOutput);
        guest.Check(report != null, $"no gc report: {gcOutput}");
        return (report!.ObjectsAfter, report.BytesAfter);
    }

    private static long TmpUsedKb(Guest guest, string vdfOutput)
    {
        Match m = TmpUsed().Match(vdfOutput);
        guest.Check(m.Success, $"no tmp line in vdf: {vdfOutput}");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // many/ with 500 files of 100 bytes each (a page each once copied into a ramdisk).
    private static IEnumerable<(string, byte[]?)> ManyFiles()
    {
        yield return ("many/", null);
        for (int i = 0; i < Files; i++)
            yield return ($"many/file{i:D3}", Enumerable.Repeat((byte)('a' + i % 26), 100).ToArray());
    }
}
