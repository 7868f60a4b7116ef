// PowerCommands.cs -- `reboot` and `poweroff` (ACPI first, then the fallbacks in Drivers.Acpi.Power). Like ESXi
// they save changed sticky state first (auto-backup.sh), so configuration survives a clean shutdown.
using Drivers.Acpi;
using Kernel.Logging;

namespace Kernel.Shell.Commands
{
    internal abstract class PowerCommand : ShellCommand
    {
        protected abstract string Action { get; }       // for the log: "Rebooting"
        protected abstract string Failure { get; }      // what did not happen: "restart"
        protected abstract void Perform();

        public override int Run(Shell shell, string[] args)
        {
            if (VisorFs.VisorFsRoot.Instance != null)
                shell.Execute("auto-backup.sh");
            Log.Info("Power", Action);
            Perform();
            shell.WriteLine(string.Concat(Name, ": the machine did not ", Failure));
            return 1;
        }
    }

    internal sealed class RebootCommand : PowerCommand
    {
        public override string Name => "reboot";
        public override string Summary => "restart the machine";
        protected override string Action => "Rebooting";
        protected override string Failure => "restart";
        protected override void Perform() => Power.Reboot();
    }

    internal sealed class PowerOffCommand : PowerCommand
    {
        public override string Name => "poweroff";
        public override string Summary => "switch the machine off (ACPI S5)";
        protected override string Action => "Powering off";
        protected override string Failure => "switch off";
        protected override void Perform() => Power.PowerOff();
    }
}
