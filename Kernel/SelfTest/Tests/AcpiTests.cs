// AcpiTests.cs -- the ACPI tables were found and parsed: RSDP, FADT with a PM1a control port, and \_S5 (QEMU's
// firmware always provides all three, on BIOS and UEFI).
using System.Collections.Generic;
using Drivers.Acpi;

namespace Kernel.SelfTest.Tests
{
    internal static class AcpiTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new PowerTablesTest());
            tests.Add(new SleepStateScanTest());
            tests.Add(new TableChecksumTest());
        }

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

        // The \_S5 byte scan on hand-made AML: the encodings firmware uses, and truncated or misleading input.
        private sealed class SleepStateScanTest : SelfTest
        {
            public override string Name => "acpi: \\_S5 scan on crafted AML";

            public override void Run(SelfTestContext t)
            {
                // Name (\_S5, Package (4) { 0x05, 0x07, Zero, Zero }) with a BytePrefix and a 1-byte PkgLength.
                byte[] bytes = { 0x10, 0x08, 0x5C, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x0A, 0x04, 0x0A, 0x05, 0x0A, 0x07, 0x00, 0x00 };
                t.Check(SleepState.TryFind(bytes, '5', out byte a, out byte b) && a == 5 && b == 7, "BytePrefix values 5 and 7");
                // Name (_S5, Package (2) { One, Zero }) with a 2-byte PkgLength.
                byte[] small = { 0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x40, 0x00, 0x02, 0x01, 0x00 };
                t.Check(SleepState.TryFind(small, '5', out a, out b) && a == 1 && b == 0, "OneOp/ZeroOp values with a 2-byte PkgLength");
                // Truncated after the first value, an _S5_ not preceded by NameOp, and an empty stream.
                byte[] truncated = { 0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x06, 0x04, 0x0A };
                t.Check(!SleepState.TryFind(truncated, '5', out a, out b), "truncated package is not found");
                byte[] notNamed = { 0x70, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x06, 0x04, 0x00, 0x00 };
                t.Check(!SleepState.TryFind(notNamed, '5', out a, out b), "_S5_ without NameOp is not found");
                t.Check(!SleepState.TryFind(new byte[0], '5', out a, out b), "empty AML");
            }
        }

        // A table is accepted only with a sane length and a zero byte sum; anything else reads as absent.
        private sealed class TableChecksumTest : SelfTest
        {
            public override string Name => "acpi: table length and checksum checks";

            public override unsafe void Run(SelfTestContext t)
            {
                byte[] table = new byte[64];
                table[0] = (byte)'T';
                table[1] = (byte)'E';
                table[2] = (byte)'S';
                table[3] = (byte)'T';
                table[4] = 64;
                table[40] = 0x5A;
                fixed (byte* p = table)
                {
                    ulong address = Kernel.Memory.DirectMap.ToPhysical(p);   // tables are named by physical address
                    table[9] = (byte)(0 - AcpiTables.Checksum(p, 64));
                    t.Equal(64, AcpiTables.MapTable(address, "test table"), "well-formed table is accepted");
                    table[40] ^= 1;
                    t.Equal(0, AcpiTables.MapTable(address, "test table (corrupted on purpose)"), "one flipped bit fails the checksum");
                    table[40] ^= 1;
                    table[4] = 20;
                    t.Equal(0, AcpiTables.MapTable(address, "test table (short on purpose)"), "length below the header is rejected");
                    table[4] = 0;
                    table[7] = 0x10;
                    t.Equal(0, AcpiTables.MapTable(address, "test table (huge on purpose)"), "256 MiB length is rejected");
                }
            }
        }
    }
}
