// QemuCommandLine.cs -- turns a QemuConfig into QEMU's argument list (pure: no files, no processes).
namespace Vmk.Iso.Runner;

public sealed class QemuCommandLine
{
    /// <summary>isa-debug-exit: the kernel writes 0x10 (tests passed), 0x11 (failed), 0x12 (panic with panic=exit).</summary>
    public const string DebugExitDevice = "isa-debug-exit,iobase=0xf4,iosize=0x04";

    public QemuCommandLine(QemuConfig config)
    {
        Config = config;
        Arguments = Build(config);
    }

    public QemuConfig Config { get; }
    public string FileName => Config.QemuBinary;
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The command as one shell-quoted line, for logs and error messages.</summary>
    public override string ToString() => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(ShellQuote));

    public static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>
    /// QEMU's multiboot <c>-initrd</c>: items separated by ',', each <c>PATH [options]</c>. The guest gets the whole item
    /// as the module's command line and QEMU loads the file named before the first space; ",," stands for a comma.
    /// Each file's base name must be its module name (the kernel names a module by the base name of its first word).
    /// </summary>
    public static string InitrdArgument(IReadOnlyList<Vmk.ImageBuilder.ModuleFile> modules)
    {
        var items = new List<string>();
        foreach (var module in modules)
        {
            if (Path.GetFileName(module.SourcePath) != module.Name || module.SourcePath.Any(char.IsWhiteSpace))
            {
                throw new InvalidOperationException($"-initrd: {module.SourcePath} must be reached through a file named {module.Name} "
                    + "without white space in its path (BootMedia.Prepare makes one)");
            }
            string item = module.Options.Length > 0 ? module.SourcePath + " " + module.Options : module.SourcePath;
            items.Add(item.Replace(",", ",,", StringComparison.Ordinal));
        }
        return string.Join(',', items);
    }

    private static List<string> Build(QemuConfig c)
    {
        if (c.Cpus < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(c), c.Cpus, "at least one CPU");
        }
        if (c.BootDisk is not null && (c.Boot == BootKind.Direct || c.InitrdModules.Count > 0))
        {
            throw new InvalidOperationException("a disk image boot has no -kernel and no -initrd: the disk carries GRUB, the kernel and its modules");
        }
        if (c.Boot != BootKind.Direct && c.InitrdModules.Count > 0)
        {
            throw new InvalidOperationException("-initrd modules are for direct boots; an ISO carries its modules");
        }
        var args = new List<string> { "-name", "vmk", "-accel", "tcg" };
        if (c.InstructionCount)
        {
            if (c.InstructionCountShift is < 0 or > 10)
            {
                throw new ArgumentOutOfRangeException(nameof(c), c.InstructionCountShift, "-icount shift must be 0..10");
            }
            args.AddRange(["-icount", $"shift={c.InstructionCountShift}"]);
        }
        if (c.Boot == BootKind.Uefi)
        {
            args.AddRange(["-machine", "q35"]);
        }
        args.AddRange(["-m", c.Memory.QemuText, "-smp", c.Cpus.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        args.AddRange(["-device", DebugExitDevice]);
        args.AddRange(["-serial", c.Serial == SerialMode.MonitorStdio ? "mon:stdio" : "stdio"]);
        if (c.Headless)
        {
            args.AddRange(["-display", "none"]);
        }
        if (c.Serial == SerialMode.Stdio)
        {
            // stdout belongs to the serial port alone; QEMU's monitor must not print there.
            args.AddRange(["-monitor", "none"]);
        }
        if (c.NoReboot)
        {
            args.Add("-no-reboot");
        }
        string options = KernelOptions.Join(c.KernelOptions);
        if (options.Length > 0)
        {
            args.AddRange(["-fw_cfg", KernelOptions.FwCfgArgument(options)]);
        }
        switch (c.Boot)
        {
            case BootKind.Direct:
                args.AddRange(["-kernel", c.KernelPath]);
                if (c.InitrdModules.Count > 0)
                {
                    args.AddRange(["-initrd", InitrdArgument(c.InitrdModules)]);
                }
                break;
            case BootKind.Bios when c.BootDisk is not null:
                break;
            case BootKind.Bios:
                args.AddRange(["-cdrom", c.IsoPath, "-boot", "d"]);
                break;
            case BootKind.Uefi:
                string vars = c.OvmfVarsPath ?? throw new InvalidOperationException("UEFI boot needs a per-run OVMF_VARS copy");
                args.AddRange(["-drive", $"if=pflash,format=raw,readonly=on,file={c.OvmfCodePath}"]);
                args.AddRange(["-drive", $"if=pflash,format=raw,file={vars}"]);
                if (c.BootDisk is null)
                {
                    args.AddRange(["-cdrom", c.IsoPath]);
                }
                break;
        }
        if (c.Gdb)
        {
            args.AddRange(["-s", "-S"]);
        }
        if (c.DiskBus == "sata" && (c.BootDisk is not null || c.Disks.Count > 0))
        {
            // Our own ICH9 AHCI controller (the one q35 has built in), on either machine: ports 0-5 for the disks.
            args.AddRange(["-device", "ahci,id=vmkahci"]);
        }
        int port = 0;
        if (c.BootDisk is not null)
        {
            // The firmware boots it whatever else is attached; the guest writes it in place like any --disk.
            args.AddRange(["-drive", $"file={c.BootDisk},if=none,id=bootdisk,format=raw,cache=writethrough"]);
            args.AddRange(["-device", DiskDevice(c.DiskBus, "bootdisk", port++) + ",bootindex=0"]);
        }
        for (int i = 0; i < c.Disks.Count; i++)
        {
            // Raw, written through: a power-off leaves on the host file exactly what the guest wrote.
            args.AddRange(["-drive", $"file={c.Disks[i]},if=none,id=disk{i},format=raw,cache=writethrough"]);
            args.AddRange(["-device", DiskDevice(c.DiskBus, $"disk{i}", port++)]);
        }
        args.AddRange(c.ExtraArguments);
        return args;
    }

    // One disk's -device: the drive on the bus --disk-bus named. The device id is the drive's, so the QEMU monitor
    // can device_del it (the boot-device-loss test). NVMe needs a serial number; the drive id serves.
    private static string DiskDevice(string bus, string drive, int port) => bus switch
    {
        "sata" => $"ide-hd,drive={drive},bus=vmkahci.{port},id=dev-{drive}",
        "nvme" => $"nvme,drive={drive},serial={drive},id=dev-{drive}",
        _ => $"virtio-blk-pci,drive={drive},id=dev-{drive}",
    };
}
