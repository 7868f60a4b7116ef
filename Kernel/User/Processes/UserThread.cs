// UserThread.cs -- what a thread of a process owns beyond its world (whose Id is its tid and whose UserFsBase is its
// TLS): the word set_tid_address / CLONE_CHILD_CLEARTID named, which the kernel clears and futex-wakes when the thread
// exits (pthread_join waits on it), and the robust futex list set_robust_list recorded.
using Kernel.Worlds;

namespace Kernel.User
{
    public sealed class UserThread
    {
        public World World;
        /// <summary>The tid word cleared and woken at exit (0: none).</summary>
        public ulong ClearTidAddress;
        /// <summary>set_robust_list's head and length: recorded (no robust futex is walked at exit yet).</summary>
        public ulong RobustListHead, RobustListLength;
        /// <summary>Set when the thread ended by exit(2) alone, so its end does not take the process with it.</summary>
        public bool ExitedAlone;
    }
}
