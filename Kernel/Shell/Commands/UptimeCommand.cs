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
            shell.WriteLine(string.Concat(
                string.Concat(" ", Two(now.Hour), ":", Two(now.Minute)), string.Concat(":", Two(now.Second), " up "),
                string.Concat(days.ToString(), days == 1 ? " day, " : " days, ", Two((int)(ms / 3600000 % 24))),
                string.Concat(":", Two((int)(ms / 60000 % 60)), ":", Two((int)(ms / 1000 % 60))),
                string.Concat(".", (ms % 1000).ToString("D3"), ", ", Clock.Ticks.ToString()), " ticks"));
            return 0;
        }

        private static string Two(int value) => value.ToString("D2");
    }
}
