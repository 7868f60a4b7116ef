// LspciCommand.cs -- `lspci [-v]`: the PCI functions found at boot, one line each (domain:bus:device.function,
// class name and code, vendor:device, bridge bus range, MSI/MSI-X, the claiming driver or `-`); -v adds the BARs.
using Drivers.Pci;

namespace Kernel.Shell.Commands
{
    internal sealed class LspciCommand : ShellCommand
    {
        public override string Name => "lspci";
        public override string Summary => "lspci [-v]  list PCI devices (-v: with their BARs)";

        public override int Run(Shell shell, string[] args)
        {
            bool verbose = args.Length == 2 && args[1] == "-v";
            if (args.Length > 2 || (args.Length == 2 && !verbose))
            {
                shell.WriteError(string.Concat("usage: ", Summary));
                return 1;
            }
            var functions = PciSystem.Functions;
            if (functions.Count == 0)
                shell.WriteLine(string.Concat("lspci: no PCI devices (", PciSystem.Mechanism, ")"));
            for (int i = 0; i < functions.Count; i++)
            {
                shell.WriteLine(PciSystem.Describe(functions[i]));
                if (!verbose)
                    continue;
                PciBar[] bars = functions[i].Bars;
                for (int b = 0; b < bars.Length; b++)
                {
                    if (bars[b].Size == 0)
                        continue;
                    shell.WriteLine(string.Concat(
                        string.Concat("        BAR", b.ToString(), ": ", bars[b].IsIo ? "I/O ports at 0x" : "Memory at 0x"),
                        string.Concat(bars[b].Address.ToString("x"), " size 0x", bars[b].Size.ToString("x")),
                        bars[b].IsIo ? "" : string.Concat(bars[b].Is64Bit ? " (64-bit" : " (32-bit", bars[b].Prefetchable ? ", prefetchable)" : ", non-prefetchable)")));
                }
            }
            return 0;
        }
    }
}
