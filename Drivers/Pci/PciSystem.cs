// PciSystem.cs -- brings up PCI at boot: ECAM from the ACPI MCFG when the machine has it (q35, every modern PC),
// else the legacy ports (i440fx); enumerates the hierarchy once and keeps the list for drivers and `lspci`.
using System.Collections.Generic;
using Drivers.Acpi;
using Kernel.Logging;

namespace Drivers.Pci
{
    public static unsafe class PciSystem
    {
        private const ulong MaxPhysical = Kernel.Memory.DirectMap.Size;   // what the direct map can show

        public static List<PciFunction> Functions { get; private set; } = new List<PciFunction>();

        /// <summary>"ECAM at 0x...", "legacy ports" or "none".</summary>
        public static string Mechanism { get; private set; } = "none";

        public static IPciConfigSpace Config { get; private set; }

        public static void Initialize()
        {
            Config = ChooseMechanism();
            if (Config == null)
            {
                Log.Warning("PCI", "No configuration mechanism (no MCFG, no 0xCF8 ports): no PCI devices");
                return;
            }
            Functions = PciEnumerator.Scan(Config);
            int buses = 0;
            var seen = new bool[256];
            for (int i = 0; i < Functions.Count; i++)
            {
                if (!seen[Functions[i].Bus])
                {
                    seen[Functions[i].Bus] = true;
                    buses++;
                }
                Log.Info("PCI", Describe(Functions[i]));
            }
            Log.Info("PCI", string.Concat(Functions.Count.ToString(), " functions on ", buses.ToString(), " buses (", Mechanism, ")"));
        }

        private static IPciConfigSpace ChooseMechanism()
        {
            ulong mcfg = AcpiTables.IsAvailable ? AcpiTables.Find("MCFG") : 0;
            if (mcfg != 0)
            {
                var table = new System.ReadOnlySpan<byte>(AcpiTables.Pointer(mcfg), (int)AcpiTables.Length(mcfg));
                if (Mcfg.TryFindSegmentZero(table, MaxPhysical, out EcamWindow window))
                {
                    Mechanism = string.Concat("ECAM at 0x", window.Base.ToString("X"), ", buses ", window.StartBus.ToString(), "-", window.EndBus.ToString());
                    return new EcamPciConfig(window);
                }
                Log.Warning("PCI", "MCFG has no usable entry for segment 0; using the legacy ports");
            }
            if (LegacyPciConfig.Probe())
            {
                Mechanism = "legacy ports 0xCF8/0xCFC";
                return new LegacyPciConfig();
            }
            return null;
        }

        /// <summary>`0000:00:1f.2`: segment, bus, device, function.</summary>
        public static string Address(PciFunction f) =>
            string.Concat(string.Concat("0000:", Hex((ulong)f.Bus, 2), ":", Hex((ulong)f.Device, 2)), ".", f.Function.ToString());

        /// <summary>`0000:00:1f.2 SATA controller [0106]: 8086:2922 (MSI) [ahci]`, as lspci prints it.</summary>
        public static string Describe(PciFunction f)
        {
            string name = PciClassNames.Describe(f.ClassCode, f.Subclass);
            string classId = string.Concat(Hex(f.ClassCode, 2), Hex(f.Subclass, 2));
            string text = string.Concat(
                Address(f),
                string.Concat(" ", name ?? string.Concat("Class ", classId)),
                string.Concat(" [", classId, "]: ", Hex(f.VendorId, 4)),
                string.Concat(":", Hex(f.DeviceId, 4)));
            if (f.IsBridge)
                text = string.Concat(text, string.Concat(" (bus ", f.SecondaryBus.ToString(), "-", f.SubordinateBus.ToString(), ")"));
            if (f.HasMsiX || f.HasMsi)
                text = string.Concat(text, f.HasMsiX ? " (MSI-X)" : " (MSI)");
            return string.Concat(text, " [", f.Driver ?? "-", "]");
        }

        private static string Hex(ulong value, int digits) => value.ToString(digits == 2 ? "x2" : "x4");
    }
}
