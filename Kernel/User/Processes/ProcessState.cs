// ProcessState.cs -- what makes a userworld a Unix process beyond its memory and files: its parent and children (for
// wait4 and getppid), its process group and session, how it ended (the wait status its parent collects), and the
// events its parent and a vfork parent wait on. One per UserProgram.
using System.Collections.Generic;
using Kernel.Sync;

namespace Kernel.User
{
    public sealed class ProcessState
    {
        public int Pid;
        public int ProcessGroup;
        public int Session;
        public UserProgram Parent;                       // null for a program the kernel shell started (or an orphan)
        public readonly List<UserProgram> Children = new List<UserProgram>();
        public readonly Event ChildChanged = new Event(manualReset: false);   // a child ended
        public readonly Event VforkRelease = new Event(manualReset: true);    // exec or exit: a vfork parent goes on

        public bool Ended;
        /// <summary>wait4's status word: exit code << 8, or the terminating signal.</summary>
        public int WaitStatus;
        /// <summary>Set by exit/exit_group before the world ends (else the world's status tells how it ended).</summary>
        public bool ExitCalled;
        /// <summary>Job control (JobControl): stopped by StopSignal; a stop or continue wait4 has not reported yet.</summary>
        public bool Stopped, StopUnreported, ContinueUnreported;
        public int StopSignal;

        /// <summary>The wait status of a world that ended with <paramref name="worldStatus"/> (Scheduler conventions:
        /// 128 + signal from a fault, -signal from a kill, else the exit code).</summary>
        public static int StatusFromWorld(int worldStatus)
        {
            if (worldStatus < 0)
                return -worldStatus & 0x7F;
            if (worldStatus > 128 && worldStatus < 160)
                return worldStatus - 128;
            return (worldStatus & 0xFF) << 8;
        }
    }
}
