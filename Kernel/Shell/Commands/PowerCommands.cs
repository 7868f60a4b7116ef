// PowerCommands.cs -- `reboot` and `poweroff` (ACPI first, then the fallbacks in Drivers.Acpi.Power). Like ESXi
// they save changed sticky state first (auto-backup.sh), so configuration survives a clean shutdown.
using Drivers.Acpi;
using Kernel.Logging;

namespace Kernel.Shell.Commands
{
    internal static class ShutdownSteps
    {
        public static void Run(Shell shell)
        {
            if (VisorFs.VisorFsRoot.Instance != null)
                shell.Execute("auto-backup.sh");
        }
    }

    internal sealed class RebootCommand : ShellCommand
    {
        public override string Name => "reboot";
        public override string Summary => "restart the machine";

        public override int Run(Shell shell, string[] args)
        {
            ShutdownSteps.Run(shell);
            Log.Info("Power", "Rebooting");
            Power.Reboot();
            shell.WriteLine("reboot: the machine did not restart");
            return 1;
        }
    }

    internal sealed class PowerOffCommand : ShellCommand
    {
        public override string Name => "poweroff";
        public override string Summary => "switch the machine off (ACPI S5)";

        public override int Run(Shell shell, string[] args)
        {
            ShutdownSteps.Run(shell);
            Log.Info("Power", "Powering off");
            Power.PowerOff();
            shell.WriteLine("poweroff: the machine did not switch off");
            return 1;
        }
    }
}
