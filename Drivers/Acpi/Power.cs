// Power.cs -- power off and reboot. ACPI first (S5 through PM1a/PM1b control, the FADT reset register) when the
// tables are found at boot; otherwise the well-known fallbacks: QEMU/Bochs power-off ports, the PCI reset port
// 0xCF9, the keyboard controller's reset line, and finally a triple fault.
//
// PM1 control register (ACPI 6.x, 4.8.3.2.1): SCI_EN bit 0 (set = ACPI mode, clear = legacy/SMM mode),
// SLP_TYP bits 10-12, SLP_EN bit 13. Entering S5 is one write of SLP_TYP|SLP_EN to PM1a and to PM1b (each with
// its own SLP_TYP). Firmware that boots in legacy mode must first be switched by writing ACPI_ENABLE to SMI_CMD.
// Everything the power paths need is read at boot by Initialize, so PowerOff and Reboot neither parse nor
// allocate (they may run with a broken heap, from the shell of a sick kernel).
using Kernel.Arch;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Time;

namespace Drivers.Acpi
{
    public static unsafe class Power
    {
        private const ushort SCI_EN = 1 << 0, SLP_EN = 1 << 13;
        private const int SLP_TYP_SHIFT = 10;

        public static bool HasAcpiS5 { get; private set; }
        public static byte S5TypeA { get; private set; }
        public static byte S5TypeB { get; private set; }

        /// <summary>Finds the FADT and `\_S5` and logs what power control will use. Needs heap and paging.</summary>
        public static void Initialize()
        {
            if (!AcpiTables.Initialize())
                return;
            ulong facp = AcpiTables.Find("FACP");
            if (facp == 0 || !Fadt.Parse(AcpiTables.Pointer(facp), AcpiTables.Length(facp)))
            {
                Log.Warning("ACPI", "No valid FADT: power off and reset use the fallbacks");
                LogSummary();
                return;
            }
            // A memory-mapped reset register is device memory: mapped uncached now, so Reboot needs no page
            // tables. One that claims to be mapped already (RAM, the kernel image) is firmware garbage: remapping
            // it uncached and writing to it would corrupt the kernel, so it is ignored.
            if (Fadt.HasResetRegister && Fadt.ResetSpace == Fadt.SpaceMemory)
            {
                if (Fadt.ResetAddress < 0x1000 || Fadt.ResetAddress >= DirectMap.Size || Paging.Query(DirectMap.ToVirtual(Fadt.ResetAddress)) != 0)
                {
                    Log.Warning("ACPI", string.Concat("FADT reset register at memory 0x", Fadt.ResetAddress.ToString("X"), " overlaps mapped memory; ignored"));
                    Fadt.IgnoreResetRegister();
                }
                else
                {
                    Paging.MapDevice(Fadt.ResetAddress, 1);
                }
            }

            // \_S5 normally lives in the DSDT; some firmware declares it in an SSDT.
            if (Fadt.Dsdt != 0 && AcpiTables.MapTable(Fadt.Dsdt, "DSDT") != 0)
                HasAcpiS5 = FindS5(Fadt.Dsdt);
            for (int i = 0; !HasAcpiS5 && i < 64; i++)
            {
                ulong ssdt = AcpiTables.Find("SSDT", i);
                if (ssdt == 0)
                    break;
                HasAcpiS5 = FindS5(ssdt);
            }
            LogSummary();
        }

        // Interrupts off is the point here, not a lock: this CPU's last act is the power-off or reset write, and no
        // handler may run on it in between. Other CPUs may go on running worlds until the machine goes down.
        public static void PowerOff()
        {
            Cpu.DisableInterrupts();
            TryEnterS5();
            // QEMU (PIIX4 and ICH9 PM1a control at 0x604) and Bochs/older QEMU (0xB004): SLP_EN with type 0.
            Cpu.OutWord(0x604, 0x2000);
            Cpu.OutWord(0xB004, 0x2000);
            Clock.SpinMicroseconds(100000);
        }

        public static void Reboot()
        {
            Cpu.DisableInterrupts();
            TryAcpiReset();
            Cpu.OutByte(0xCF9, 0x02);
            Cpu.OutByte(0xCF9, 0x06);                    // PCI reset control: full reset
            Clock.SpinMicroseconds(50000);
            for (int i = 0; i < 100000 && (Cpu.InByte(0x64) & 0x02) != 0; i++)
                Cpu.Pause();
            Cpu.OutByte(0x64, 0xFE);                     // keyboard controller: pulse the reset line
            Clock.SpinMicroseconds(50000);
            Cpu.TripleFault();
        }

        private static bool FindS5(ulong table)
        {
            uint length = AcpiTables.Length(table);
            var aml = new System.ReadOnlySpan<byte>(AcpiTables.Pointer(table) + AcpiTables.HeaderLength, (int)(length - AcpiTables.HeaderLength));
            if (!SleepState.TryFind(aml, '5', out byte a, out byte b))
                return false;
            S5TypeA = a;
            S5TypeB = b;
            return true;
        }

        private static void TryEnterS5()
        {
            if (!HasAcpiS5 || Fadt.Pm1aControl == 0)
                return;
            EnableAcpiMode();
            // Preserve the other bits (SCI_EN above all) and replace SLP_TYP.
            ushort a = (ushort)(Cpu.InWord(Fadt.Pm1aControl) & ~(7 << SLP_TYP_SHIFT));
            if (Fadt.Pm1bControl != 0)
            {
                ushort b = (ushort)(Cpu.InWord(Fadt.Pm1bControl) & ~(7 << SLP_TYP_SHIFT));
                Cpu.OutWord(Fadt.Pm1bControl, (ushort)(b | S5TypeB << SLP_TYP_SHIFT | SLP_EN));
            }
            Cpu.OutWord(Fadt.Pm1aControl, (ushort)(a | S5TypeA << SLP_TYP_SHIFT | SLP_EN));
            Clock.SpinMicroseconds(100000);
        }

        private static void EnableAcpiMode()
        {
            if ((Cpu.InWord(Fadt.Pm1aControl) & SCI_EN) != 0 || Fadt.SmiCommand == 0 || Fadt.AcpiEnable == 0)
                return;
            Cpu.OutByte(Fadt.SmiCommand, Fadt.AcpiEnable);
            // The firmware's SMI handler flips SCI_EN; give it up to a second, as other kernels do.
            for (int i = 0; i < 1000 && (Cpu.InWord(Fadt.Pm1aControl) & SCI_EN) == 0; i++)
                Clock.SpinMicroseconds(1000);
        }

        private static void TryAcpiReset()
        {
            if (!Fadt.HasResetRegister)
                return;
            if (Fadt.ResetSpace == Fadt.SpaceSystemIO)
                Cpu.OutByte((ushort)Fadt.ResetAddress, Fadt.ResetValue);
            else
                *(byte*)DirectMap.Pointer(Fadt.ResetAddress) = Fadt.ResetValue;
            Clock.SpinMicroseconds(50000);
        }

        private static void LogSummary()
        {
            string root = AcpiTables.UsesXsdt ? "XSDT" : "RSDT";
            Log.Info("ACPI", string.Concat(string.Concat("RSDP revision ", ((uint)AcpiTables.RsdpRevision).ToString(), " at 0x",
                AcpiTables.RsdpAddress.ToString("X")), string.Concat(", OEM '", AcpiTables.OemId, "', ", root)));
            if (!Fadt.IsPresent)
                return;
            Log.Info("ACPI", string.Concat(string.Concat("FADT revision ", ((uint)Fadt.Revision).ToString(),
                ": PM1a_CNT 0x", ((uint)Fadt.Pm1aControl).ToString("X"), Fadt.Pm1bControl != 0 ? string.Concat(", PM1b_CNT 0x", ((uint)Fadt.Pm1bControl).ToString("X")) : ""),
                string.Concat(", SMI_CMD 0x", ((uint)Fadt.SmiCommand).ToString("X"), ", ACPI_ENABLE 0x", ((uint)Fadt.AcpiEnable).ToString("X")),
                Fadt.HasResetRegister
                    ? string.Concat(Fadt.ResetSpace == Fadt.SpaceSystemIO ? ", reset I/O 0x" : ", reset memory 0x", Fadt.ResetAddress.ToString("X"), "=0x", ((uint)Fadt.ResetValue).ToString("X"))
                    : ", no reset register"));
            Log.Info("ACPI", HasAcpiS5
                ? string.Concat("\\_S5 SLP_TYPa ", ((uint)S5TypeA).ToString(), ", SLP_TYPb ", ((uint)S5TypeB).ToString())
                : "\\_S5 not found: power off uses the fallbacks");
        }
    }
}
