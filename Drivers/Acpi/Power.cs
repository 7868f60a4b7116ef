// Power.cs -- power off and reboot. ACPI (S5 through PM1a/PM1b control, the FADT reset register) when the
// tables are found; otherwise the well-known fallbacks: QEMU/Bochs power-off ports, the PCI reset port 0xCF9,
// the keyboard controller's reset line, and finally a triple fault.
using Kernel.Arch;
using Kernel.Time;

namespace Drivers.Acpi
{
    public static class Power
    {
        public static void PowerOff()
        {
            Cpu.DisableInterrupts();
            AcpiTables.TryEnterS5();
            // QEMU (PIIX4 and ICH9 PM1a control at 0x604) and Bochs/older QEMU (0xB004): SLP_EN with type 0.
            Cpu.OutWord(0x604, 0x2000);
            Cpu.OutWord(0xB004, 0x2000);
            Clock.SpinMicroseconds(100000);
        }

        public static void Reboot()
        {
            Cpu.DisableInterrupts();
            AcpiTables.TryReset();
            Cpu.OutByte(0xCF9, 0x02);
            Cpu.OutByte(0xCF9, 0x06);                    // PCI reset control: full reset
            Clock.SpinMicroseconds(50000);
            for (int i = 0; i < 100000 && (Cpu.InByte(0x64) & 0x02) != 0; i++)
                Cpu.Pause();
            Cpu.OutByte(0x64, 0xFE);                     // keyboard controller: pulse the reset line
            Clock.SpinMicroseconds(50000);
            Cpu.TripleFault();
        }
    }
}
