// SleepCommand.cs -- `sleep SECONDS` (or `sleep 250ms`): the shell world sleeps; other worlds run meanwhile.
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class SleepCommand : ShellCommand
    {
        public override string Name => "sleep";
        public override string Summary => "sleep SECONDS | sleep Nms";

        public override int Run(Shell shell, string[] args)
        {
            if (args.Length != 2)
            {
                shell.WriteLine("usage: sleep SECONDS | sleep Nms");
                return 1;
            }
            string text = args[1];
            bool milliseconds = text.EndsWith("ms");
            if (milliseconds)
                text = text.Substring(0, text.Length - 2);
            if (!uint.TryParse(text, out uint amount) || amount > 86400000)
            {
                shell.WriteLine(string.Concat("sleep: invalid time '", args[1], "'"));
                return 1;
            }
            // In short steps, so Ctrl-C ends a sleep of any length within a twentieth of a second.
            ulong remaining = milliseconds ? amount : amount * 1000UL;
            while (remaining > 0)
            {
                ulong step = remaining < 50 ? remaining : 50;
                Scheduler.Sleep(step);
                remaining -= step;
                if (shell.Interrupted())
                    return Shell.InterruptedStatus;
            }
            return 0;
        }
    }
}
