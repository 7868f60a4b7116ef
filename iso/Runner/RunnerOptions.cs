// RunnerOptions.cs -- what the user asked the runner for, after parsing; turned into QemuConfig by Runner.
namespace Vmk.Iso.Runner;

public sealed record RunnerOptions
{
    public BootKind Boot { get; init; } = BootKind.Bios;
    public bool Headless { get; init; }
    public IReadOnlyList<string> Exec { get; init; } = [];
    public MemorySize Memory { get; init; } = MemorySize.Default;
    public int Cpus { get; init; } = 1;
    public IReadOnlyList<string> KernelOptions { get; init; } = [];
    public bool Gdb { get; init; }

    /// <summary>Null: the default for the mode (none interactive, 120 s with --exec or --bench).</summary>
    public TimeSpan? Timeout { get; init; }

    public string? IsoPath { get; init; }
    public string? KernelPath { get; init; }
    public int Bench { get; init; }
    public IReadOnlyList<string> QemuArguments { get; init; } = [];

    /// <summary>--module FILE...: extra boot modules after the boot bank's, before state.tgz.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>--disk FILE...: raw disk images attached on <see cref="DiskBus"/>, written in place.</summary>
    public IReadOnlyList<string> Disks { get; init; } = [];

    /// <summary>--disk-bus: the controller the disks (and the boot disk) hang on: virtio, sata or nvme.</summary>
    public string DiskBus { get; init; } = "virtio";

    /// <summary>--disk-image FILE: boot from this disk (made from artifacts/disk/vmk.img when it does not exist).</summary>
    public string? DiskImage { get; init; }

    /// <summary>--rollback: with --disk-image, boot the other bank (GRUB's second entry).</summary>
    public bool Rollback { get; init; }

    /// <summary>--state FILE: loaded last as state.tgz.</summary>
    public string? StateFile { get; init; }
    public bool Verbose { get; init; }
    public string? LogFile { get; init; }

    public static readonly TimeSpan DefaultAutomatedTimeout = TimeSpan.FromSeconds(120);
}
