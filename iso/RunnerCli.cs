// RunnerCli.cs -- the command line of `dotnet run --project iso -- [options]` (System.CommandLine), mapped to RunnerOptions.
using System.CommandLine;
using System.CommandLine.Parsing;
using Vmk.Iso.Runner;

namespace Vmk.Iso;

public static class RunnerCli
{
    private const string Summary =
        "Boots the vmk kernel in QEMU (TCG) with the serial console on this terminal.\n"
        + "Default: the hybrid ISO (artifacts/iso/vmk.iso) under SeaBIOS + GRUB. Kernel options reach the kernel through\n"
        + "fw_cfg (opt/vmk/kernelopt) for every boot kind. With --exec, or when stdin is not a terminal, the kernel gets\n"
        + "panic=exit and QEMU -no-reboot, so a panic or reset ends the run.\n"
        + "Examples:\n"
        + "  dotnet run --project iso                                 interactive (Ctrl-A X quits)\n"
        + "  dotnet run --project iso -- --direct --exec 'uname -a'   scripted, transcript on stdout\n"
        + "  dotnet run --project iso -- --uefi --kernelopt selftest  UEFI boot running the self-tests\n"
        + "  dotnet run --project iso -- --bench 5                    boot-time medians\n"
        + "  dotnet run --project iso -- --direct --module extra.v00 --state saved.tgz   extra boot modules\n"
        + "  dotnet run --project iso -- --disk-image my.img           boot a persistent copy of artifacts/disk/vmk.img\n"
        + "Modules: the kernel gets the boot bank's modules (artifacts/bootbank/boot.cfg: s.v00, then its bundles), then each\n"
        + "--module FILE in order, then --state FILE as state.tgz; each module's command line is its name (the file name).\n"
        + "Direct boots pass them with qemu -initrd; ISO boots get a per-run ISO in artifacts/run/ (boot.cfg and GRUB menu\n"
        + "regenerated, ~2 s more).\n";

    public static RootCommand Build(Func<RunnerOptions, CancellationToken, Task<int>> run)
    {
        var headless = new Option<bool>("--headless") { Description = "No QEMU window (-display none); automatic when $DISPLAY is unset" };
        var exec = new Option<string[]>("--exec", "-e")
        {
            Description = "Wait for the shell prompt, type CMD, wait for the prompt again (repeatable, in order); print the transcript, then poweroff",
            HelpName = "CMD",
            Arity = ArgumentArity.OneOrMore,
        };
        var uefi = new Option<bool>("--uefi") { Description = "Boot the ISO with OVMF (UEFI) on q35 instead of SeaBIOS" };
        var direct = new Option<bool>("--direct") { Description = "Boot the ELF with qemu -kernel (multiboot1): the fastest path" };
        var memory = new Option<MemorySize>("--memory", "-m")
        {
            Description = "Guest RAM in QEMU syntax (512M, 4G; a bare number is MiB)",
            HelpName = "SIZE",
            DefaultValueFactory = _ => MemorySize.Default,
            CustomParser = ParseMemory,
        };
        var cpus = new Option<int>("--cpus")
        {
            Description = "Number of virtual CPUs (1-64)",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        cpus.Validators.Add(r =>
        {
            if (TryGetInt(r, out int n) && n is < 1 or > 64)
            {
                r.AddError($"--cpus must be between 1 and 64 (got {n})");
            }
        });
        var kernelopt = new Option<string[]>("--kernelopt", "-k")
        {
            Description = "Kernel options (space-separated key or key=value words), repeatable; appended to the boot command line",
            HelpName = "OPTS",
            Arity = ArgumentArity.OneOrMore,
        };
        var gdb = new Option<bool>("--gdb") { Description = "Start QEMU stopped with a gdb stub on :1234 (-s -S) and print the gdb command" };
        var timeout = new Option<double?>("--timeout", "-t")
        {
            Description = "Kill QEMU after this many seconds (exit code 3). Default: none interactively, 120 with --exec/--bench",
            HelpName = "SECONDS",
        };
        timeout.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out double s)
                && !(s > 0 && s < 1e6))
            {
                r.AddError($"--timeout must be a positive number of seconds (got {s})");
            }
        });
        var iso = new Option<string?>("--iso") { Description = "ISO to boot instead of artifacts/iso/vmk.iso", HelpName = "PATH" };
        var kernel = new Option<string?>("--kernel") { Description = "ELF for --direct instead of artifacts/kernel/kernel.elf", HelpName = "PATH" };
        var bench = new Option<int>("--bench")
        {
            Description = "Measure QEMU start -> prompt N times for direct, BIOS and UEFI (median), plus instructions to 'Boot complete' under -icount",
            HelpName = "N",
        };
        bench.Validators.Add(r =>
        {
            if (TryGetInt(r, out int n) && n is < 1 or > 100)
            {
                r.AddError("--bench must be between 1 and 100");
            }
        });
        var qemuArg = new Option<string[]>("--qemu-arg")
        {
            Description = "Extra QEMU argument, passed verbatim (repeatable; write --qemu-arg=-cpu --qemu-arg=max for dashes)",
            HelpName = "ARG",
        };
        var module = new Option<string[]>("--module")
        {
            Description = "Extra boot module FILE (repeatable, in order): tar, tgz, visor-tar, gz, any file; loaded after the boot bank's "
                + "modules and before state.tgz, named by its file name",
            HelpName = "FILE",
        };
        var state = new Option<string?>("--state")
        {
            Description = "Load FILE as the last module, named state.tgz whatever the file is called (the saved configuration)",
            HelpName = "FILE",
        };
        var disk = new Option<string[]>("--disk")
        {
            Description = "Attach raw disk image FILE (repeatable) on --disk-bus; the guest reads and writes it in place",
            HelpName = "FILE",
        };
        disk.Validators.Add(r =>
        {
            foreach (var token in r.Tokens)
            {
                if (!File.Exists(token.Value))
                {
                    r.AddError($"--disk {token.Value}: no such file");
                }
            }
        });
        var diskBus = new Option<string>("--disk-bus")
        {
            Description = "Controller for --disk and --disk-image: virtio (virtio-blk PCI), sata (an ICH9 AHCI controller, ide-hd disks) or nvme",
            HelpName = "BUS",
            DefaultValueFactory = _ => "virtio",
        };
        diskBus.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && r.Tokens[0].Value is not ("virtio" or "sata" or "nvme"))
            {
                r.AddError($"--disk-bus {r.Tokens[0].Value}: one of virtio, sata, nvme");
            }
        });
        var diskImage = new Option<string?>("--disk-image")
        {
            Description = "Boot from disk image FILE (no ISO, no -kernel): SeaBIOS, or OVMF with --uefi. A FILE that does not exist is "
                + "made from artifacts/disk/vmk.img; the guest writes it in place, so its saved state persists from run to run",
            HelpName = "FILE",
        };
        var rollback = new Option<bool>("--rollback") { Description = "With --disk-image: boot the other boot bank (GRUB's second menu entry, ESXi's Shift+R)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "With --exec: also stream the serial log and the QEMU command to stderr" };
        var log = new Option<string?>("--log") { Description = "Write the QEMU command, serial log and exit status to FILE (--exec and piped runs)", HelpName = "FILE" };

        var root = new RootCommand(Summary + "\n" + ExitCodes.Describe())
        {
            headless, exec, uefi, direct, memory, cpus, kernelopt, gdb, timeout, iso, kernel, bench, qemuArg, module, state, verbose, log,
            disk, diskBus, diskImage, rollback,
        };
        root.Validators.Add(r =>
        {
            if (r.GetValue(uefi) && r.GetValue(direct))
            {
                r.AddError("--uefi and --direct exclude each other");
            }
            if (r.GetResult(diskImage) is not null && (r.GetValue(direct) || r.GetResult(iso) is not null
                || r.GetResult(module) is not null || r.GetResult(state) is not null || r.GetValue(bench) > 0))
            {
                r.AddError("--disk-image boots what the disk holds: no --direct, --iso, --module, --state or --bench with it");
            }
            if (r.GetValue(rollback) && r.GetResult(diskImage) is null)
            {
                r.AddError("--rollback needs --disk-image");
            }
            if (r.GetValue(bench) > 0 && (r.GetValue(exec)?.Length ?? 0) > 0)
            {
                r.AddError("--bench and --exec exclude each other");
            }
            // GetResult, not GetValue: a validator runs even when a value did not convert (e.g. --state given twice).
            bool modules = r.GetResult(module) is not null || r.GetResult(state) is not null;
            if (modules && r.GetValue(bench) > 0)
            {
                r.AddError("--bench measures the built image: no --module or --state with it");
            }
            if (modules && r.GetResult(iso) is not null && !r.GetValue(direct))
            {
                r.AddError("--module/--state build a per-run ISO from artifacts/ (the kernel and the boot bank), not from --iso PATH");
            }
        });
        root.SetAction((parse, cancellationToken) =>
        {
            double? seconds = parse.GetValue(timeout);
            var options = new RunnerOptions
            {
                Boot = parse.GetValue(uefi) ? BootKind.Uefi : parse.GetValue(direct) ? BootKind.Direct : BootKind.Bios,
                Headless = parse.GetValue(headless),
                Exec = parse.GetValue(exec) ?? [],
                Memory = parse.GetValue(memory),
                Cpus = parse.GetValue(cpus),
                KernelOptions = parse.GetValue(kernelopt) ?? [],
                Gdb = parse.GetValue(gdb),
                Timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                IsoPath = FullPathOrNull(parse.GetValue(iso)),
                KernelPath = FullPathOrNull(parse.GetValue(kernel)),
                Bench = parse.GetValue(bench),
                QemuArguments = parse.GetValue(qemuArg) ?? [],
                Modules = (parse.GetValue(module) ?? []).Select(Path.GetFullPath).ToArray(),
                StateFile = FullPathOrNull(parse.GetValue(state)),
                Disks = (parse.GetValue(disk) ?? []).Select(Path.GetFullPath).ToArray(),
                DiskBus = parse.GetValue(diskBus) ?? "virtio",
                DiskImage = FullPathOrNull(parse.GetValue(diskImage)),
                Rollback = parse.GetValue(rollback),
                Verbose = parse.GetValue(verbose),
                LogFile = parse.GetValue(log),
            };
            return run(options, cancellationToken);
        });
        return root;
    }

    private static MemorySize ParseMemory(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (MemorySize.TryParse(text, out var size, out string error))
        {
            return size;
        }
        result.AddError("--memory: " + error);
        return MemorySize.Default;
    }

    // A validator runs even when the value did not convert; the conversion error is reported on its own.
    private static bool TryGetInt(OptionResult result, out int value)
    {
        value = 0;
        return result.Tokens.Count == 1
            && int.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static string? FullPathOrNull(string? path) => path is null ? null : Path.GetFullPath(path);
}
