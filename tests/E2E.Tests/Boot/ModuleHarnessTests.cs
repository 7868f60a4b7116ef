// ModuleHarnessTests.cs -- what reaches a kernel as boot modules, seen by the fake kernel (it prints each module's
// command line, size and first bytes): qemu -initrd for direct boots, GRUB module2 lines for the per-run ISO.
using System.Globalization;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Boot;

[Collection(Collections.Harness)]
[Trait("Category", "QEMU")]
public sealed partial class ModuleHarnessTests(FakeKernelFixture fake) : IDisposable
{
    private readonly TestModules _files = new();

    public void Dispose() => _files.Dispose();

    [GeneratedRegex(@"module: '([^']*)' size=0x([0-9A-F]{8}) head=0x([0-9A-F]{8})")]
    private static partial Regex ModuleLine();

    private sealed record Seen(string CommandLine, long Size, string Head);

    // A boot bank like the built one (boot.cfg + s.v00), plus a module with options, an extra module and a state file.
    private QemuConfig Config(BootKind boot)
    {
        string bank = Path.Combine(_files.Directory, "bank");
        Directory.CreateDirectory(bank);
        File.WriteAllText(Path.Combine(bank, "boot.cfg"), "title=fake\ntimeout=0\nkernel=kernel.elf\nmodules=s.v00 --- opt.v00 a=1 b=2\n");
        File.Copy(_files.VisorTgz("s.v00", ("etc/motd", "base\n")), Path.Combine(bank, "s.v00"));
        File.WriteAllText(Path.Combine(bank, "opt.v00"), "PLAIN");
        return new QemuConfig
        {
            Boot = boot,
            KernelPath = fake.KernelPath,
            BootBankDir = bank,
            ExtraModules = [_files.Tar("extra.tar", gzip: false, ("opt/x", "x"))],
            StateFile = _files.State("saved-on-tuesday.bin", ("/etc/vmware/esx.conf", 0x3A4, "saved\n")),
        };
    }

    private static async Task<List<Seen>> ModulesAsync(Guest guest)
    {
        await guest.ExpectPromptAsync();
        var seen = ModuleLine().Matches(guest.Session.Text)
            .Select(m => new Seen(m.Groups[1].Value, long.Parse(m.Groups[2].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), m.Groups[3].Value))
            .ToList();
        await guest.PowerOffAsync();
        return seen;
    }

    private void CheckSizesAndHeads(Guest guest, List<Seen> seen, QemuConfig config)
    {
        string bank = config.BootBankDir!;
        long[] sizes = [new FileInfo(Path.Combine(bank, "s.v00")).Length, 5, new FileInfo(config.ExtraModules[0]).Length, new FileInfo(config.StateFile!).Length];
        guest.Check(seen.Select(s => s.Size).SequenceEqual(sizes), $"sizes {string.Join(",", seen.Select(s => s.Size))}, expected {string.Join(",", sizes)}");
        // Gzip'd modules arrive compressed (GRUB's module2 --nounzip; QEMU never inflates).
        guest.Check(seen[0].Head.StartsWith("1F8B08", StringComparison.Ordinal), $"s.v00 head {seen[0].Head}: not gzip");
        guest.Check(seen[3].Head.StartsWith("1F8B08", StringComparison.Ordinal), $"state.tgz head {seen[3].Head}: not gzip");
        guest.Check(seen[1].Head == "504C4149", $"opt.v00 head {seen[1].Head}");
    }

    [Fact(Timeout = 90_000)]
    public async Task Direct_Initrd_GivesPathThenOptions_InBootCfgOrder_StateLast()
    {
        var config = Config(BootKind.Direct);
        await using var guest = await Guest.StartAsync(config, nameof(ModuleHarnessTests));
        var seen = await ModulesAsync(guest);
        guest.Check(seen.Count == 4, $"expected 4 modules, saw {seen.Count}");
        // QEMU's multiboot1 loader: the command line is the whole -initrd item, "PATH [options]"; the kernel names the
        // module by the base name of the first word.
        var names = seen.Select(s => Path.GetFileName(s.CommandLine.Split(' ')[0])).ToList();
        guest.Check(names.SequenceEqual(["s.v00", "opt.v00", "extra.tar", "state.tgz"]), $"names: {string.Join(", ", names)}");
        guest.Check(seen[0].CommandLine == Path.Combine(config.BootBankDir!, "s.v00"), seen[0].CommandLine);
        guest.Check(seen[1].CommandLine == Path.Combine(config.BootBankDir!, "opt.v00") + " a=1 b=2", seen[1].CommandLine);
        guest.Check(seen[3].CommandLine.StartsWith(RepoPaths.RunDir, StringComparison.Ordinal), $"state.tgz not linked from artifacts/run: {seen[3].CommandLine}");
        CheckSizesAndHeads(guest, seen, config);
    }

    [Fact(Timeout = 120_000)]
    public async Task PerRunIso_Grub_GivesNameThenOptions_InBootCfgOrder_StateLast()
    {
        var config = Config(BootKind.Bios);
        await using var guest = await Guest.StartAsync(config, nameof(ModuleHarnessTests));
        var seen = await ModulesAsync(guest);
        guest.Check(seen.Select(s => s.CommandLine).SequenceEqual(["s.v00", "opt.v00 a=1 b=2", "extra.tar", "state.tgz"]),
            $"command lines: {string.Join(" | ", seen.Select(s => s.CommandLine))}");
        CheckSizesAndHeads(guest, seen, config);
        guest.Check(guest.Session.CommandLine.Arguments.Any(a => a.StartsWith(RepoPaths.RunDir, StringComparison.Ordinal) && a.EndsWith(".iso", StringComparison.Ordinal)),
            "expected a per-run ISO under artifacts/run/");
    }
}
