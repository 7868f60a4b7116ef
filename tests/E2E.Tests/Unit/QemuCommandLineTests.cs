// QemuCommandLineTests.cs -- the QEMU argument list for each boot kind and option.
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Unit;

public sealed class QemuCommandLineTests
{
    private static IReadOnlyList<string> Args(QemuConfig config) => new QemuCommandLine(config).Arguments;

    private static string? ValueOf(IReadOnlyList<string> args, string flag)
    {
        int i = args.ToList().IndexOf(flag);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    [Fact]
    public void Defaults_BootTheIsoUnderTcg_WithDebugExit()
    {
        var args = Args(new QemuConfig { IsoPath = "/x/vmk.iso" });
        Assert.Equal("tcg", ValueOf(args, "-accel"));
        Assert.Equal("512M", ValueOf(args, "-m"));
        Assert.Equal("1", ValueOf(args, "-smp"));
        Assert.Equal("isa-debug-exit,iobase=0xf4,iosize=0x04", ValueOf(args, "-device"));
        Assert.Equal("/x/vmk.iso", ValueOf(args, "-cdrom"));
        Assert.Equal("stdio", ValueOf(args, "-serial"));
        Assert.Equal("none", ValueOf(args, "-display"));
        Assert.DoesNotContain("-kernel", args);
        Assert.DoesNotContain("-fw_cfg", args);
        Assert.DoesNotContain("-no-reboot", args);
        Assert.DoesNotContain("-s", args);
    }

    [Theory]
    [InlineData(BootKind.Bios)]
    [InlineData(BootKind.Uefi)]
    public void BootDisk_IsTheFirstDiskWithBootIndex0_AndNoIsoOrKernel(BootKind firmware)
    {
        var args = Args(new QemuConfig { Boot = firmware, BootDisk = "/d/vmk.img", OvmfVarsPath = "/v.fd", Disks = ["/d/other.img"] });
        Assert.DoesNotContain("-cdrom", args);
        Assert.DoesNotContain("-kernel", args);
        var drives = args.Select((a, i) => (a, i)).Where(p => p.a == "-drive").Select(p => args[p.i + 1]).Where(d => !d.StartsWith("if=pflash", StringComparison.Ordinal)).ToList();
        Assert.Equal(["file=/d/vmk.img,if=none,id=bootdisk,format=raw,cache=writethrough", "file=/d/other.img,if=none,id=disk0,format=raw,cache=writethrough"], drives);
        Assert.Contains("virtio-blk-pci,drive=bootdisk,id=dev-bootdisk,bootindex=0", args);
        Assert.Contains("virtio-blk-pci,drive=disk0,id=dev-disk0", args);
    }

    [Theory]
    [InlineData("sata", "ide-hd,drive=bootdisk,bus=vmkahci.0,id=dev-bootdisk,bootindex=0", "ide-hd,drive=disk0,bus=vmkahci.1,id=dev-disk0")]
    [InlineData("nvme", "nvme,drive=bootdisk,serial=bootdisk,id=dev-bootdisk,bootindex=0", "nvme,drive=disk0,serial=disk0,id=dev-disk0")]
    public void DiskBus_PutsTheBootDiskAndTheDisksOnThatController(string bus, string bootDevice, string diskDevice)
    {
        var args = Args(new QemuConfig { Boot = BootKind.Bios, BootDisk = "/d/vmk.img", Disks = ["/d/other.img"], DiskBus = bus });
        Assert.Contains(bootDevice, args);
        Assert.Contains(diskDevice, args);
        Assert.Equal(bus == "sata" ? 1 : 0, args.Count(a => a == "ahci,id=vmkahci"));
        Assert.DoesNotContain(args, a => a.StartsWith("virtio-blk-pci", StringComparison.Ordinal));
    }

    [Fact]
    public void BootDisk_RefusesDirectBoot()
    {
        Assert.Throws<InvalidOperationException>(() => Args(new QemuConfig { Boot = BootKind.Direct, BootDisk = "/d/vmk.img" }));
    }

    [Fact]
    public void Direct_UsesKernelElf()
    {
        var args = Args(new QemuConfig { Boot = BootKind.Direct, KernelPath = "/k/kernel.elf" });
        Assert.Equal("/k/kernel.elf", ValueOf(args, "-kernel"));
        Assert.DoesNotContain("-cdrom", args);
    }

    [Fact]
    public void Uefi_UsesQ35_AndPflashCodeReadOnly_AndVarsCopy()
    {
        var args = Args(new QemuConfig { Boot = BootKind.Uefi, IsoPath = "/x.iso", OvmfVarsPath = "/run/vars.fd" });
        Assert.Equal("q35", ValueOf(args, "-machine"));
        var drives = args.Select((a, i) => (a, i)).Where(p => p.a == "-drive").Select(p => args[p.i + 1]).ToList();
        Assert.Equal(
            ["if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd", "if=pflash,format=raw,file=/run/vars.fd"],
            drives);
        Assert.Equal("/x.iso", ValueOf(args, "-cdrom"));
    }

    [Fact]
    public void Uefi_WithoutVarsCopy_IsRejected()
    {
        Assert.Throws<InvalidOperationException>(() => Args(new QemuConfig { Boot = BootKind.Uefi }));
    }

    [Fact]
    public void KernelOptions_GoThroughFwCfg_WithCommasEscaped()
    {
        var args = Args(new QemuConfig { KernelOptions = ["selftest  a=1", "b=x,y"] });
        Assert.Equal("name=opt/vmk/kernelopt,string=selftest a=1 b=x,,y", ValueOf(args, "-fw_cfg"));
    }

    [Fact]
    public void Interactive_Gdb_Window_NoReboot_Memory_Cpus_Extra()
    {
        var args = Args(new QemuConfig
        {
            Serial = SerialMode.MonitorStdio,
            Headless = false,
            Gdb = true,
            NoReboot = true,
            Memory = new MemorySize(4L << 30),
            Cpus = 4,
            ExtraArguments = ["-cpu", "max"],
        });
        Assert.Equal("mon:stdio", ValueOf(args, "-serial"));
        Assert.DoesNotContain("-display", args);
        Assert.DoesNotContain("-monitor", args);
        Assert.Contains("-no-reboot", args);
        Assert.Equal("4G", ValueOf(args, "-m"));
        Assert.Equal("4", ValueOf(args, "-smp"));
        int s = args.ToList().IndexOf("-s");
        Assert.True(s >= 0 && args[s + 1] == "-S");
        Assert.Equal(["-cpu", "max"], args.TakeLast(2));
    }

    [Fact]
    public void InstructionCount_AddsIcount()
    {
        Assert.Equal("shift=0", ValueOf(Args(new QemuConfig { InstructionCount = true }), "-icount"));
        Assert.Equal("shift=2", ValueOf(Args(new QemuConfig { InstructionCount = true, InstructionCountShift = 2 }), "-icount"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Args(new QemuConfig { InstructionCount = true, InstructionCountShift = 11 }));
    }

    [Fact]
    public void ToString_QuotesForTheShell()
    {
        var line = new QemuCommandLine(new QemuConfig { KernelOptions = ["a b"], IsoPath = "/it's.iso" }).ToString();
        Assert.StartsWith("qemu-system-x86_64 -name vmk", line);
        Assert.Contains("'name=opt/vmk/kernelopt,string=a b'", line);
        Assert.Contains("'/it'\\''s.iso'", line);
    }
}
