// AcpiTables.cs -- finds the ACPI tables (RSDP from the boot loader or the BIOS area, then RSDT/XSDT and FADT)
// for power control. Placeholder: ACPI parsing lands next; until then callers use the fallbacks in Power.
namespace Drivers.Acpi
{
    public static class AcpiTables
    {
        public static bool TryEnterS5() => false;
        public static bool TryReset() => false;
    }
}
