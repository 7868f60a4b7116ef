// ProcProcessText.cs -- the text of /proc/PID/{stat,status,cmdline,maps}: the process's facts read from its
// UserProgram and world at open time. Another CPU may be running the process meanwhile; every fact is one word read
// once, so the snapshot is each field's value at some instant during the open, which is what Linux promises too.
using System.Text;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.User.Proc
{
    public static class ProcProcessText
    {
        /// <summary>The text of /proc/PID/<paramref name="name"/>, or null when the process has ended.</summary>
        public static string Generate(int pid, string name)
        {
            UserProgram program = ProcFs.FindProcess(pid, out World world);
            if (program == null)
                return null;
            switch (name)
            {
                case "cmdline": return ProcFormat.Cmdline(program.Arguments);
                case "maps": return ProcMaps.Text(program);
                case "status": return ProcFormat.Status(Facts(program, world));
                case "stat": return ProcFormat.Stat(Facts(program, world));
                default: return null;
            }
        }

        public static ProcessFacts Facts(UserProgram program, World world)
        {
            ProcessState process = program.Process;
            UserProgram parent = process.Parent;
            UserAddressSpace space = program.Space;
            ulong pages = space != null ? space.PagesMapped : 0;
            SignalState signals = program.Signals;
            ulong ignored = 0, caught = 0;
            for (int s = 1; s <= SignalState.Count; s++)
            {
                ulong handler = signals.Handler[s];
                if (handler == SignalState.Ignore)
                    ignored |= 1UL << (s - 1);
                else if (handler != SignalState.Default)
                    caught |= 1UL << (s - 1);
            }
            string path = program.Path ?? "";
            return new ProcessFacts
            {
                Pid = world.CartelId,
                ParentPid = parent != null ? parent.Process.Pid : program.ParentId,
                ProcessGroup = process.ProcessGroup,
                Session = process.Session,
                State = process.Stopped ? 'T' : world.State == WorldState.Running || world.State == WorldState.Ready ? 'R' : world.State == WorldState.Dead ? 'Z' : 'S',
                Name = path.Substring(path.LastIndexOf('/') + 1),
                Arguments = program.Arguments,
                UserTicks = ProcSystemText.CyclesToTicks(world.RunCycles),
                StartTicks = Clock.TickHz == 0 ? 0 : world.CreatedTick * 100 / Clock.TickHz,
                VirtualBytes = pages * UserAddressSpace.PageSize,
                ResidentPages = pages,
                TerminalDevice = (5 << 8) | 1,   // every program's terminal is the console: /dev/console is (5, 1)
                SignalsPending = signals.Pending,
                SignalsBlocked = signals.Blocked,
                SignalsIgnored = ignored,
                SignalsCaught = caught,
                Umask = program.Umask,
                Threads = program.Threads.Count,
            };
        }
    }
}
