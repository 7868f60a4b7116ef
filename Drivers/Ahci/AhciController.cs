// AhciController.cs -- an AHCI SATA controller (class 01:06:01; q35's built-in ICH9 at 00:1f.2, QEMU's `-device ahci`):
// the controller is adapter vmhbaN and every port with an ATA disk becomes a disk mpx.vmhbaN:C0:T<port>:L0 (AhciPort).
//
// Bring-up (AHCI 1.3.1, 10.4.3): memory decoding and bus mastering on, an HBA reset (GHC.HR: whatever the firmware
// left running stops), AHCI mode (GHC.AE), then each implemented port is started (AhciPort.Start) and asked IDENTIFY
// DEVICE; a port without a device, or with one that aborts IDENTIFY (an ATAPI drive), is left alone. Interrupts: one
// MSI vector for the whole controller (DiskInterrupt; ICH9 has MSI, not MSI-X), GHC.IE on; the port that waits
// checks its own command-issue bit, so sharing the vector costs nothing but a spurious check.
using Drivers.Block;
using Drivers.Pci;
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;

namespace Drivers.Ahci
{
    public sealed unsafe class AhciController
    {
        private const byte ClassStorage = 0x01, SubclassSata = 0x06, ProgIfAhci = 0x01;
        internal const int Cap = 0x00, Ghc = 0x04, InterruptStatus = 0x08, PortsImplemented = 0x0C;
        private const uint GhcReset = 1, GhcInterruptEnable = 2, GhcAhciEnable = 1u << 31;
        internal const uint Cap64Bit = 1u << 31;

        internal byte* Registers;
        internal DiskInterrupt Interrupt;
        internal string Adapter;

        /// <summary>Claims every AHCI controller, starts its ports, and registers a disk per ATA device.</summary>
        public static void ProbeAll(IPciConfigSpace config, System.Collections.Generic.List<PciFunction> functions)
        {
            for (int i = 0; i < functions.Count; i++)
            {
                PciFunction f = functions[i];
                if (f.ClassCode != ClassStorage || f.Subclass != SubclassSata || f.ProgIf != ProgIfAhci || f.Driver != null)
                    continue;
                string where = PciSystem.Address(f);
                var controller = new AhciController();
                string problem = controller.Start(config, f);
                if (problem != null)
                {
                    Log.Warning("ahci", string.Concat(where, ": ", problem, "; not claimed"));
                    continue;
                }
                f.Driver = "ahci";
            }
        }

        private string Start(IPciConfigSpace config, PciFunction f)
        {
            if (f.Bars.Length < 6 || f.Bars[5].IsIo || f.Bars[5].Size < 0x180)
                return "BAR5 (ABAR) is not a register window";
            Registers = (byte*)Paging.MapDevice(f.Bars[5].Address, f.Bars[5].Size);
            uint command = config.Read32(f.Bus, f.Device, f.Function, 0x04);
            config.Write32(f.Bus, f.Device, f.Function, 0x04, (command | 0x6) & 0xFFFF);

            Write32(Ghc, GhcAhciEnable);
            Write32(Ghc, GhcAhciEnable | GhcReset);
            ulong deadline = Cpu.ReadTimestampCounter() + Clock.TscHz;
            while ((Read32(Ghc) & GhcReset) != 0)
            {
                if (Cpu.ReadTimestampCounter() > deadline)
                    return "HBA reset did not complete in 1 s";
                Cpu.Pause();
            }
            Write32(Ghc, GhcAhciEnable);
            uint implemented = Read32(PortsImplemented);
            if ((Read32(Cap) & Cap64Bit) == 0 && PhysicalMemory.ManagedBytes > 0x1_0000_0000)
                Log.Info("ahci", string.Concat(PciSystem.Address(f), ": 32-bit DMA only; buffers come from below 4 GiB"));
            Interrupt = DiskInterrupt.Setup(config, f, 0);
            Write32(InterruptStatus, 0xFFFFFFFF);
            Write32(Ghc, GhcAhciEnable | GhcInterruptEnable);

            Adapter = null;
            int disks = 0;
            for (int port = 0; port < 32; port++)
            {
                if ((implemented & 1u << port) == 0)
                    continue;
                var disk = new AhciPort(this, port);
                string problem = disk.Start();
                if (problem == null)
                {
                    Adapter ??= BlockDevices.NextAdapterName();
                    disk.Register(Adapter);
                    BlockDevices.Add(disk);
                    disks++;
                    Log.Info("ahci", string.Concat(
                        string.Concat(PciSystem.Address(f), " port ", port.ToString(), " is ", disk.Name),
                        string.Concat(" '", disk.Model, "', ", disk.SectorCount.ToString()),
                        string.Concat(" sectors of ", disk.SectorSize.ToString(), " bytes (", (disk.SectorCount * (ulong)disk.SectorSize >> 20).ToString(), " MiB)"),
                        string.Concat(disk.CanFlush ? ", write cache" : "", ", completion by ", Interrupt.Describe())));
                }
                else if (problem.Length > 0)
                {
                    Log.Info("ahci", string.Concat(PciSystem.Address(f), " port ", port.ToString(), ": ", problem));
                }
            }
            if (Adapter == null)
                Adapter = BlockDevices.NextAdapterName();   // ESXi lists an empty controller as an adapter too
            Interrupt.Name = Adapter;
            Log.Info("ahci", string.Concat(PciSystem.Address(f), " is ", Adapter, ": AHCI, ", CountBits(implemented).ToString(), " ports, ", disks.ToString(), " disks"));
            return null;
        }

        /// <summary>Acknowledges a port's interrupt at the controller (GHC's IS is write-one-to-clear).</summary>
        internal void Acknowledge(int port) => Write32(InterruptStatus, 1u << port);

        private static int CountBits(uint v)
        {
            int n = 0;
            for (; v != 0; v &= v - 1)
                n++;
            return n;
        }

        internal uint Read32(int offset) => *(uint*)(Registers + offset);
        internal void Write32(int offset, uint value) => *(uint*)(Registers + offset) = value;
    }
}
