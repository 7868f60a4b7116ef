// AcpiTests.cs -- the ACPI tables were found and parsed: RSDP, FADT with a PM1a control port, and \_S5 (QEMU's
// firmware always provides all three, on BIOS and UEFI).
using System.Collections.Generic;
using Drivers.Acpi;

namespace Kernel.SelfTest.Tests
{
    internal static class AcpiTests
    {
        public static void AddTo(List<SelfTest> tests) => tests.Add(new PowerTablesTest());

        private sealed class PowerTablesTest : SelfTest
        {
            public override string Name => "acpi: RSDP, FADT and \\_S5 found";

            public override void Run(SelfTestContext t)
            {
                t.Check(AcpiTables.IsAvailable, "RSDP and RSDT/XSDT found and checksum-verified");
                t.Check(AcpiTables.RsdpRevision < 2 || AcpiTables.UsesXsdt, "revision 2+ RSDP uses the XSDT");
                t.Check(Fadt.IsPresent, "FADT (FACP) found");
                t.Check(Fadt.Pm1aControl != 0, "FADT has a PM1a control port");
                t.Check(Fadt.Dsdt != 0, "FADT points to a DSDT");
                t.Check(Power.HasAcpiS5, "\\_S5 package found in the AML");
                // QEMU's PIIX4 and ICH9 power management both use SLP_TYP 0 for soft off.
                t.Equal(0, Power.S5TypeA, "\\_S5 SLP_TYPa");
            }
        }
    }
}
