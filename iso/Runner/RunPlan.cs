// RunPlan.cs -- decides mode, QEMU configuration and timeout from the options and the terminal (pure, unit-tested).
namespace Vmk.Iso.Runner;

public enum RunMode
{
    /// <summary>stdin is a terminal: QEMU inherits it with <c>-serial mon:stdio</c>.</summary>
    Interactive,

    /// <summary>stdin is not a terminal: serial goes to stdout, stdin is forwarded, panics are detected.</summary>
    Piped,

    /// <summary>--exec: scripted commands, transcript on stdout.</summary>
    Exec,

    /// <summary>--bench N: boot-time measurements.</summary>
    Bench,
}

/// <summary>The facts about where the runner runs that change its behaviour.</summary>
public sealed record RunnerEnvironment(bool StdinIsTerminal, bool HasDisplay)
{
    public static RunnerEnvironment Current => new(
        !Console.IsInputRedirected,
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY")));
}

public sealed record RunPlan(RunMode Mode, QemuConfig Config, TimeSpan? Timeout, IReadOnlyList<string> Notes)
{
    public const string PanicExitOption = "panic=exit";

    public static RunPlan Create(RunnerOptions options, RunnerEnvironment environment)
    {
        var notes = new List<string>();
        var mode = options.Bench > 0 ? RunMode.Bench
            : options.Exec.Count > 0 ? RunMode.Exec
            : environment.StdinIsTerminal ? RunMode.Interactive
            : RunMode.Piped;

        bool headless = options.Headless || mode == RunMode.Bench;
        if (!headless && !environment.HasDisplay)
        {
            headless = true;
            notes.Add("no $DISPLAY: running headless (-display none)");
        }

        // Nobody is at the keyboard to read a purple screen or to stop a reboot loop: end QEMU instead.
        bool unattended = mode != RunMode.Interactive;
        var kernelOptions = options.KernelOptions;
        if (unattended)
        {
            kernelOptions = KernelOptions.WithDefault(kernelOptions, PanicExitOption);
        }

        var config = new QemuConfig
        {
            Boot = options.Boot,
            KernelPath = options.KernelPath ?? RepoPaths.KernelElf,
            IsoPath = options.IsoPath ?? RepoPaths.IsoImage,
            Memory = options.Memory,
            Cpus = options.Cpus,
            KernelOptions = kernelOptions,
            Headless = headless,
            Serial = mode == RunMode.Interactive ? SerialMode.MonitorStdio : SerialMode.Stdio,
            NoReboot = unattended,
            Gdb = options.Gdb,
            ExtraArguments = options.QemuArguments,
            Disks = options.Disks,
            DiskBus = options.DiskBus,
            BootDisk = options.DiskImage,
            Rollback = options.Rollback,
            ExtraModules = options.Modules,
            StateFile = options.StateFile,
        };

        TimeSpan? timeout = options.Timeout;
        if (timeout is null && !options.Gdb && mode is RunMode.Exec or RunMode.Bench)
        {
            timeout = RunnerOptions.DefaultAutomatedTimeout;
        }
        return new RunPlan(mode, config, timeout, notes);
    }

    /// <summary>The file the boot needs: the disk image for --disk-image, the ELF for --direct or for a per-run ISO
    /// (extra modules), the ISO otherwise.</summary>
    public string BootFile => Config.BootDisk ?? (Config.Boot == BootKind.Direct || BootMedia.HasExtras(Config) ? Config.KernelPath : Config.IsoPath);
}
