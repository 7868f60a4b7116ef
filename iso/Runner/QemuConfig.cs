// QemuConfig.cs -- everything that decides one QEMU invocation, as plain data.
namespace Vmk.Iso.Runner;

public enum SerialMode
{
    /// <summary><c>-serial stdio</c>: the runner owns QEMU's stdin/stdout (exec mode, tests, piped input).</summary>
    Stdio,

    /// <summary><c>-serial mon:stdio</c>: QEMU owns the terminal (interactive; Ctrl-A X quits, Ctrl-A C is the monitor).</summary>
    MonitorStdio,
}

public sealed record QemuConfig
{
    public string QemuBinary { get; init; } = "qemu-system-x86_64";
    public BootKind Boot { get; init; } = BootKind.Bios;
    public string KernelPath { get; init; } = RepoPaths.KernelElf;
    public string IsoPath { get; init; } = RepoPaths.IsoImage;
    public MemorySize Memory { get; init; } = MemorySize.Default;
    public int Cpus { get; init; } = 1;

    /// <summary>Kernel option words or strings; joined with spaces and passed through fw_cfg when not empty.</summary>
    public IReadOnlyList<string> KernelOptions { get; init; } = [];

    public bool Headless { get; init; } = true;
    public SerialMode Serial { get; init; } = SerialMode.Stdio;

    /// <summary><c>-no-reboot</c>: a guest reset (reboot, triple fault) ends QEMU instead of rebooting.</summary>
    public bool NoReboot { get; init; }

    /// <summary><c>-s -S</c>: gdb stub on :1234, CPU stopped until gdb continues.</summary>
    public bool Gdb { get; init; }

    /// <summary><c>-icount shift=N</c>: guest time follows the instructions executed, not the host's clock, so a busy
    /// host cannot change what the guest measures. With the default shift 0 one instruction is one virtual
    /// nanosecond and the TSC counts guest instructions.</summary>
    public bool InstructionCount { get; init; }

    /// <summary>The N of <c>-icount shift=N</c> (2^N virtual nanoseconds per instruction, 0..10).</summary>
    public int InstructionCountShift { get; init; }

    public string OvmfCodePath { get; init; } = RepoPaths.OvmfCode;

    /// <summary>The per-run writable copy of OVMF_VARS (UEFI only); <see cref="QemuSession"/> makes one when null.</summary>
    public string? OvmfVarsPath { get; init; }

    /// <summary>The boot bank (boot.cfg and the modules it lists, artifacts/bootbank/ by default). Direct boots load its
    /// modules with <c>-initrd</c>; the ISO carries them already. Null: no boot bank modules.</summary>
    public string? BootBankDir { get; init; } = RepoPaths.BootBank;

    /// <summary>Extra module files (<c>--module</c>), loaded after the boot bank's modules and before state.tgz; each
    /// module's name is its file name. ISO boots get a per-run ISO (<see cref="BootMedia"/>).</summary>
    public IReadOnlyList<string> ExtraModules { get; init; } = [];

    /// <summary>A file loaded as the last module under the name <c>state.tgz</c> (<c>--state</c>), replacing the boot
    /// bank's own state.tgz if it has one.</summary>
    public string? StateFile { get; init; }

    /// <summary>Direct boots: the modules for <c>-initrd</c>, in order, each file's base name equal to its module name
    /// (<see cref="BootMedia.Prepare"/> fills this from the three properties above).</summary>
    public IReadOnlyList<Vmk.ImageBuilder.ModuleFile> InitrdModules { get; init; } = [];

    /// <summary>The controller the disks and the boot disk hang on (<c>--disk-bus</c>): <c>virtio</c> (a virtio-blk PCI
    /// device each), <c>sata</c> (one ICH9 AHCI controller, an <c>ide-hd</c> per port) or <c>nvme</c> (an NVMe
    /// controller each, one namespace).</summary>
    public string DiskBus { get; init; } = "virtio";

    /// <summary>Raw disk images (<c>--disk</c>), each on <see cref="DiskBus"/>; the guest writes them in place.</summary>
    public IReadOnlyList<string> Disks { get; init; } = [];

    /// <summary>A disk image to boot from (<c>--disk-image</c>, artifacts/disk/vmk.img's layout): attached first, as a
    /// virtio-blk disk with bootindex 0; the firmware (SeaBIOS or OVMF, per <see cref="Boot"/>) starts its GRUB. No ISO,
    /// no <c>-kernel</c>. Null: boot the ISO or the ELF.</summary>
    public string? BootDisk { get; init; }

    /// <summary>With <see cref="BootDisk"/>: pick GRUB's second menu entry, the other boot bank (ESXi's Shift+R), by
    /// typing <c>v</c> and Enter on the serial console once the menu is there (<see cref="QemuSession"/>).</summary>
    public bool Rollback { get; init; }

    /// <summary>Extra QEMU arguments appended verbatim.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
