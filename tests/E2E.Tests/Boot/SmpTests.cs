// SmpTests.cs -- every CPU QEMU is given comes up: the MADT lists it, INIT-SIPI-SIPI through the trampoline brings
// it into long mode on the kernel's page tables, and it registers with its own APIC ID, which `cpuinfo` lists
// (QEMU numbers APIC IDs 0..N-1). On i440fx (direct boot) with 1, 2 and 4 CPUs, and on q35 with 4.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class SmpTests
{
    private const int TestTimeoutMs = 180_000;

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(1, "pc")]
    [InlineData(2, "pc")]
    [InlineData(4, "pc")]
    [InlineData(4, "q35")]
    public async Task EveryCpu_ComesUp_AndIsListedWithItsApicId(int cpus, string machine)
    {
        var config = Guest.Config(BootKind.Direct) with { Cpus = cpus, ExtraArguments = ["-machine", machine] };
        await using var guest = await Guest.StartAsync(config, nameof(SmpTests));
        await guest.ExpectPromptAsync();
        string info = await guest.RunAsync("cpuinfo");
        guest.Check(Regex.IsMatch(info, $@"^cpus +: {cpus} online\r?$", RegexOptions.Multiline), $"want {cpus} online:\n{info}");
        var listed = Regex.Matches(info, @"^cpu(\d+) +: APIC ID (\d+), (.*?)\r?$", RegexOptions.Multiline)
            .Select(m => (Cpu: int.Parse(m.Groups[1].Value), ApicId: int.Parse(m.Groups[2].Value), State: m.Groups[3].Value)).ToList();
        guest.Check(listed.Count == cpus, $"want {cpus} cpuN lines:\n{info}");
        guest.Check(listed.Select(c => c.Cpu).SequenceEqual(Enumerable.Range(0, cpus)), $"cpu numbers:\n{info}");
        guest.Check(listed.Select(c => c.ApicId).Order().SequenceEqual(Enumerable.Range(0, cpus)), $"APIC IDs (QEMU gives 0..{cpus - 1}):\n{info}");
        guest.Check(listed[0].State.StartsWith("bootstrap", StringComparison.Ordinal), $"cpu0 is the bootstrap CPU:\n{info}");
        string log = guest.Session.Text;
        for (int i = 1; i < cpus; i++)
            guest.Check(Regex.IsMatch(log, $@"\)SMP: cpu{i} online: APIC ID {listed[i].ApicId}\r?$", RegexOptions.Multiline), $"no boot log line for cpu{i}");
        if (cpus > 1)
            guest.Check(log.Contains($"SMP: {cpus} CPUs online ({cpus - 1} application processors started)", StringComparison.Ordinal), "no SMP summary line");
        guest.Check(!log.Contains("WARNING: SMP", StringComparison.Ordinal), "an SMP warning at boot");
        // The machine still works with the other CPUs up: a command that allocates, a file, the timer.
        await guest.RunAsync("echo smp > /tmp/smp");
        string echo = await guest.RunAsync("cat /tmp/smp");
        guest.Check(echo.Contains("smp", StringComparison.Ordinal), $"echo/cat: {echo}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task NoApic_KeepsOneCpu_OnTheLegacyControllers()
    {
        var config = Guest.Config(BootKind.Direct, "noapic") with { Cpus = 2 };
        await using var guest = await Guest.StartAsync(config, nameof(SmpTests));
        await guest.ExpectPromptAsync();
        string info = await guest.RunAsync("cpuinfo");
        guest.Check(Regex.IsMatch(info, @"^cpus +: 1 online\r?$", RegexOptions.Multiline), $"noapic starts no other CPU:\n{info}");
        await guest.PowerOffAsync();
    }
}
