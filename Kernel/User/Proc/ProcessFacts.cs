// ProcessFacts.cs -- what /proc/PID/stat, status and cmdline say about one process, gathered once at open time
// (ProcFs) so the formatters (ProcFormat) are pure functions a host test can drive.
namespace Kernel.User.Proc
{
    public struct ProcessFacts
    {
        public int Pid, ParentPid, ProcessGroup, Session;
        /// <summary>Linux's one-letter state: R running or ready, S sleeping or waiting, Z ended but not reaped.</summary>
        public char State;
        /// <summary>The image's file name (Linux cuts comm at 15 characters).</summary>
        public string Name;
        public string[] Arguments;
        /// <summary>CPU time and the start time since boot, in clock ticks of 1/100 s (USER_HZ).</summary>
        public ulong UserTicks, StartTicks;
        public ulong VirtualBytes, ResidentPages;
        public int TerminalDevice;
        public ulong SignalsPending, SignalsBlocked, SignalsIgnored, SignalsCaught;
        public int Umask;
        /// <summary>The process's live threads (at least 1).</summary>
        public int Threads;
    }
}
