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

    // A panic raised on an application processor (`crash cpu N`: an NMI asks cpuN, which panics from its handler):
    // the screen comes from that CPU (*PCPUN), every other CPU was stopped by the panic's NMI and is listed with
    // what it ran (cpu0 the shell world), and QEMU leaves with the panic exit code.
    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(4, 3)]
    public async Task PanicOnAnApplicationProcessor_NamesThatCpu_AndStopsTheOthers(int cpus, int panicking)
    {
        var config = Guest.Config(BootKind.Direct) with { Cpus = cpus };
        await using var guest = await Guest.StartAsync(config, nameof(SmpTests), $"panic_{cpus}_{panicking}");
        await guest.ExpectPromptAsync();
        await guest.Session.SendLineAsync($"crash cpu {panicking}");
        int code = await guest.ExpectExitAsync();
        guest.Check(code == ExitCodes.QemuPanicExit, $"expected QEMU exit {ExitCodes.QemuPanicExit} (panic=exit), got {code}");
        string text = guest.Session.Text;
        guest.Check(Regex.IsMatch(text, $@"@BlueScreen: \*PCPU{panicking}: application processor", RegexOptions.Multiline), $"the screen must come from cpu{panicking}:\n{text}");
        guest.Check(Regex.IsMatch(text, @"@BlueScreen:  PCPU0:1/shell, stopped at 0x", RegexOptions.Multiline), $"cpu0 stopped in the shell world:\n{text}");
        for (int cpu = 1; cpu < cpus; cpu++)
            if (cpu != panicking)
                guest.Check(text.Contains($"@BlueScreen:  PCPU{cpu}: parked, stopped at 0x", StringComparison.Ordinal), $"cpu{cpu} not listed as stopped:\n{text}");
        guest.Check(text.Contains($"Other CPUs stopped: {cpus - 1} of {cpus - 1}", StringComparison.Ordinal), $"not every other CPU stopped:\n{text}");
        guest.Check(text.Contains("CpuStop__OnNmi", StringComparison.Ordinal), $"the backtrace shows the NMI path on that CPU:\n{text}");
    }

    // A panic on cpu0 stops the application processors too, and the screen names cpu0 and the world.
    [Fact(Timeout = TestTimeoutMs)]
    public async Task PanicOnCpu0_StopsTheApplicationProcessors()
    {
        var config = Guest.Config(BootKind.Direct) with { Cpus = 4 };
        await using var guest = await Guest.StartAsync(config, nameof(SmpTests), "panic_cpu0");
        await guest.ExpectPromptAsync();
        await guest.Session.SendLineAsync("crash");
        int code = await guest.ExpectExitAsync();
        guest.Check(code == ExitCodes.QemuPanicExit, $"expected QEMU exit {ExitCodes.QemuPanicExit}, got {code}");
        string text = guest.Session.Text;
        guest.Check(text.Contains("@BlueScreen: *PCPU0:1/shell", StringComparison.Ordinal), $"the screen names cpu0 and the shell:\n{text}");
        guest.Check(text.Contains("Other CPUs stopped: 3 of 3", StringComparison.Ordinal), $"the APs were not stopped:\n{text}");
    }

    // The lock checks (KernelLock ranks, docs/Smp.md): after a boot and commands that take the scheduler, heap,
    // groups, log, console and VisorFS paths, no lock was taken out of order and no world was switched out holding a
    // spinlock other than the scheduler's; the scheduler, heap and groups locks were really used.
    [Fact(Timeout = TestTimeoutMs)]
    public async Task LockChecks_StayClean_AcrossWorldsFilesAndGroups()
    {
        var config = Guest.Config(BootKind.Direct) with { Cpus = 2 };
        await using var guest = await Guest.StartAsync(config, nameof(SmpTests), "locks");
        await guest.ExpectPromptAsync();
        await guest.RunAsync("group add locktest --max 64");
        await guest.RunAsync("run ++group=locktest,max=16 memhog 8");
        await guest.RunAsync("run ++group=locktest sleeper");
        await guest.RunAsync("cp /etc/vmware/esx.conf /tmp/f");
        await guest.RunAsync("cat /tmp/f");
        await guest.RunAsync("rm /tmp/f");
        await guest.RunAsync("sleep 100ms");
        await guest.RunAsync("ps");
        string locks = await guest.RunAsync("locks");
        guest.Check(locks.Contains("order violations: 0", StringComparison.Ordinal), $"lock order:\n{locks}");
        guest.Check(locks.Contains("held across a switch: 0", StringComparison.Ordinal), $"held across a switch:\n{locks}");
        foreach (string name in new[] { "scheduler", "heap", "groups" })
        {
            var m = Regex.Match(locks, $@"^{name} +(\d+) +(\d+)\r?$", RegexOptions.Multiline);
            guest.Check(m.Success && long.Parse(m.Groups[1].Value) > 0, $"the {name} lock was never taken:\n{locks}");
        }
        await guest.PowerOffAsync();
    }

    // Every CPU at once (the APs through the call-function IPI, cpu0 in the shell): a counter under one KernelLock,
    // page allocation, group charges and a world heap. The counter is exact, the group ends at 0 bytes charged, the
    // heap's bytes in use end where they started, and no lock was taken out of order.
    [Theory(Timeout = TestTimeoutMs)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Stress_FromEveryCpu_LeavesEveryCounterBalanced(int cpus)
    {
        var config = Guest.Config(BootKind.Direct) with { Cpus = cpus };
        await using var guest = await Guest.StartAsync(config, nameof(SmpTests), $"stress_{cpus}");
        await guest.ExpectPromptAsync();
        const int rounds = 400;
        string output = await guest.RunAsync($"smp-stress {rounds}", TimeSpan.FromSeconds(120));
        guest.Check(output.Contains($"smp-stress: {cpus} CPUs x {rounds} rounds", StringComparison.Ordinal), $"not every CPU took part:\n{output}");
        guest.Check(output.Contains($"counter: {cpus * rounds} of {cpus * rounds} (exact)", StringComparison.Ordinal), $"lost updates under the lock:\n{output}");
        guest.Check(output.Contains($"pages: {cpus * rounds} taken and freed; group charges: {cpus * rounds}, left charged 0 bytes", StringComparison.Ordinal), $"pages/charges:\n{output}");
        var heap = Regex.Match(output, @"heap: (\d+) blocks, (\d+) refused; bytes in use (\d+) -> (\d+)");
        guest.Check(heap.Success && heap.Groups[3].Value == heap.Groups[4].Value && long.Parse(heap.Groups[1].Value) > 0, $"heap:\n{output}");
        guest.Check(output.Contains("smp-stress: balanced", StringComparison.Ordinal), $"unbalanced:\n{output}");
        string locks = await guest.RunAsync("locks");
        guest.Check(locks.Contains("order violations: 0", StringComparison.Ordinal) && locks.Contains("held across a switch: 0", StringComparison.Ordinal), $"lock checks:\n{locks}");
        // The machine is still whole afterwards.
        await guest.RunAsync("echo after > /tmp/after");
        string cat = await guest.RunAsync("cat /tmp/after");
        guest.Check(cat.Contains("after", StringComparison.Ordinal), $"cat: {cat}");
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
