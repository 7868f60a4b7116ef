// KernelMain.cs -- the rest of bring-up once memory works: interrupts and timers, kernel options, then the
// self-tests (with `selftest`) or the shell.
using Drivers.Acpi;
using Drivers.Platform;
using Drivers.Serial;
using Drivers.Timers;
using Kernel.Arch;
using Kernel.Boot;
using Kernel.Console;
using Kernel.Resources;
using Kernel.Worlds;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Panic;
using Kernel.Time;
using Kernel.VisorFs;

namespace Kernel.Init
{
    public static unsafe class KernelMain
    {
        public static KernelOptions Options { get; private set; }

        public static void Run()
        {
            Rtc.SetWallClockFromRtc();
            Log.Info("Init", string.Concat(KernelVersion.Product, " ", KernelVersion.Version, " [", KernelVersion.Build, "] x86_64 starting"));
            Log.Info("Init", string.Concat("Boot loader: ", BootInfo.BootLoaderName != 0 ? BootInfo.CString(BootInfo.BootLoaderName) : "unknown",
                BootInfo.IsMultiboot2 ? " (multiboot2)" : " (multiboot1)"));

            ulong tscHz = Pit.CalibrateTsc();
            if (tscHz == 0)
            {
                tscHz = Kernel.Arch.CpuInfo.TscHzFromCpuid();
                if (tscHz == 0)
                {
                    // Without a calibrated TSC every timestamp, sleep and timeout would be wrong (`uptime` used to
                    // hang on such machines); and the periodic tick needs the PIT too. Say so instead.
                    PanicScreen.Show("Timer: no working PIT (8254) to calibrate the TSC against and the CPU states no TSC frequency (CPUID 0x15/0x16); this kernel needs a PIT until it drives the local APIC timer");
                }
                Log.Warning("Timer", "The PIT does not count: TSC frequency taken from CPUID");
            }
            Clock.SetTscFrequency(tscHz);
            Rtc.SetWallClockFromRtc();   // again, now that uptime is exact

            string commandLine = KernelOptions.StripImagePath(BootInfo.CommandLine != 0 ? BootInfo.CString(BootInfo.CommandLine) : "");
            string extra = FwCfg.ReadFileText(FwCfgOptionsFile);
            if (extra != null && extra.Length > 0)
                commandLine = commandLine.Length > 0 ? string.Concat(commandLine, " ", extra) : extra;
            Log.Info("Init", string.Concat("Kernel command line: '", commandLine, "'"));
            Options = KernelOptions.Parse(commandLine);
            Log.ConsoleThreshold = ParseLevel(Options.Get("loglevel"));
            ulong.TryParse(Options.Get("gcstress"), out ulong gcStress);
            KernelHeap.ApplyCollectorOptions(Options.Has("gcverify"), gcStress, Options.Get("gcscan") != "conservative");
            if (Options.Has("gcverify") || gcStress != 0)
                Log.Info("Memory", string.Concat("Collector check mode:", Options.Has("gcverify") ? " gcverify" : "",
                    gcStress != 0 ? string.Concat(" gcstress=", gcStress.ToString()) : ""));
            if (Options.Get("gcscan") == "conservative")
                Log.Info("Memory", "Collector: stacks scanned conservatively (gcscan=conservative)");
            if (Options.Get("panic") == "exit")
                PanicScreen.SetExitAction(&ExitAfterPanic);

            uint hz = 1000;
            if (uint.TryParse(Options.Get("timerhz"), out uint requested))
                hz = requested;
            Drivers.Apic.InterruptControllers.Initialize(Options.Has("noapic"), hz);
            Drivers.Apic.ApStartup.StartAll(Drivers.Apic.InterruptControllers.Madt);
            Uart16550.EnableReceiveInterrupt();
            Drivers.Apic.IsaIrqs.Unmask(Uart16550.COM1_IRQ);
            Drivers.Input.Ps2Keyboard.Initialize();
            Cpu.EnableInterrupts();

            Log.Info("Memory", string.Concat("Physical memory: ", (PhysicalMemory.ManagedBytes >> 20).ToString(), " MiB usable, ",
                (PhysicalMemory.FreePageCount * 4 / 1024).ToString(), " MiB free; page tables: NX ", Paging.NoExecuteEnabled ? "on" : "off"));
            Log.Info("Console", Screen.Describe());
            Power.Initialize();
            Drivers.Pci.PciSystem.Initialize();
            Drivers.Virtio.VirtioBlk.ProbeAll(Drivers.Pci.PciSystem.Config, Drivers.Pci.PciSystem.Functions);
            Drivers.Ahci.AhciController.ProbeAll(Drivers.Pci.PciSystem.Config, Drivers.Pci.PciSystem.Functions);
            Drivers.Nvme.NvmeDisk.ProbeAll(Drivers.Pci.PciSystem.Config, Drivers.Pci.PciSystem.Functions);
            Storage.PartitionProbe.ProbeAll();
            Log.Info("Timer", string.Concat("TSC ", (tscHz / 1000000).ToString(), " MHz; tick ", hz.ToString(), " Hz (", Drivers.Apic.InterruptControllers.TickSource, ")"));

            StartScheduler();
            Drivers.Block.DiskInterrupt.StartAll();   // disks probed above by polling now complete by interrupt
            User.UserCpuSetup.Initialize();
            SmpScheduling.Start(Options.Get("smp") == "all");
            VisorFsRoot.Instance = ModuleIntake.Run(Scheduler.Groups, (long)PhysicalMemory.ManagedBytes);
            Storage.VolumeProbe.MountAll(VisorFsRoot.Instance);
            Storage.BootBankLink.Attach(VisorFsRoot.Instance, Options.Get("bootbank"));

            if (Options.Has("selftest"))
            {
                bool passed = SelfTest.SelfTestRunner.RunAll();
                DebugExit.Exit(passed ? DebugExit.SelfTestsPassed : DebugExit.SelfTestsFailed);
                Cpu.HaltForever();
            }

            StartHelperWorlds();
            Storage.BankUpdate.ConfirmBoot(VisorFsRoot.Instance);   // an update on trial came up: bootstate VALID
            Log.Info("Init", string.Concat("Boot complete in ", Clock.UptimeMilliseconds.ToString(), " ms (TSC ", Cpu.ReadTimestampCounter().ToString(), ")"));
            Scheduler.MoveCurrent(Scheduler.Groups.Find("host/vim/vmvisor/shell"), "shell");
            var shell = new Shell.Shell(Options.Get("hostname"));
            shell.Run();
        }

        // The helper worlds the product runs: the log writer (ring -> /var/log/vmkernel.log) and cron (root crontab).
        private static void StartHelperWorlds()
        {
            if (VisorFsRoot.Instance == null)
                return;
            long.TryParse(Options.Get("logsize"), out long logKiB);
            Services.LogWriter.Start(logKiB * 1024);
            ulong.TryParse(Options.Get("cronperiod"), out ulong cronPeriod);
            Services.CronHelper.Start(Options.Get("hostname"), cronPeriod);
        }

        // The resource group tree (ESXi's standard groups plus the shell's, with the kernel's reservations), then
        // worlds: the boot context becomes world `init` in host/system and this CPU gets its idle world. The tree
        // shares out the memory that is really there to charge: the free pages plus the heap's (charged next);
        // what boot already took for good (image, bitmap, block map, mark stack) no group can have.
        private static void StartScheduler()
        {
            long chargeable = (long)(PhysicalMemory.FreePageCount * PhysicalMemory.PageSize + Internal.Runtime.Allocator.Heap.BytesFromPages);
            var groups = ResourceGroupTree.CreateStandard(chargeable);
            GroupError reserved = KernelReservations.Apply(groups);
            if (reserved != GroupError.None)
                Panic.PanicScreen.Show(string.Concat("cannot reserve the kernel's memory: ", ResourceGroupTree.Describe(reserved)));
            Scheduler.Initialize(groups, groups.Find("host/system"), "init");
            AllocationFailurePolicy.Install();
            KernelInput.Initialize();
            LoadAverage.Start();
            Uart16550.StartDriverWorld();
            Drivers.Input.Ps2Keyboard.StartDriverWorld();
            Log.Info("World", string.Concat("Scheduler started: ", Scheduler.WorldCount.ToString(), " worlds, ",
                groups.Count.ToString(), " resource groups, slice ", Scheduler.SliceTicks.ToString(), " ticks"));
        }

        private static LogLevel ParseLevel(string name) => name switch
        {
            "debug" => LogLevel.Debug,
            "warning" => LogLevel.Warning,
            "alert" => LogLevel.Alert,
            _ => LogLevel.Info,
        };

        /// <summary>The fw_cfg file through which the QEMU runner passes extra kernel options.</summary>
        public const string FwCfgOptionsFile = "opt/vmk/kernelopt";

        internal static void ExitAfterPanic() => DebugExit.Exit(DebugExit.Panicked);
    }
}
