// UptimeCommand.cs -- `uptime`: wall-clock time, time since boot, and timer ticks.
using Kernel.Time;

namespace Kernel.Shell.Commands
{
    internal sealed class UptimeCommand : ShellCommand
    {
        public override string Name => "uptime";
        public override string Summary => "time since boot";

        public override int Run(Shell shell, string[] args)
        {
            CivilTime now = CivilTime.FromUnixMilliseconds(Clock.WallMilliseconds);
            ulong ms = Clock.UptimeMilliseconds;
            ulong days = ms / 86400000;
            string dayWord = days == 1 ? "day" : "days";
            shell.WriteLine($" {now.Hour:D2}:{now.Minute:D2}:{now.Second:D2} up {days} {dayWord}, "
                + $"{ms / 3600000 % 24:D2}:{ms / 60000 % 60:D2}:{ms / 1000 % 60:D2}.{ms % 1000:D3}, {Clock.Ticks} ticks");
            return 0;
        }
    }
}
