// ProcessGroups.cs -- a process group as a set: every live userworld process whose pgid matches (not only the
// caller's children), for kill(-pgid), the terminal's signals (^C, ^Z, ^\, SIGTTIN) and POSIX's orphaned-group rule.
using Kernel.Worlds;

namespace Kernel.User
{
    public static class ProcessGroups
    {
        /// <summary>Sends <paramref name="signal"/> to every process of the group; false when it has none.</summary>
        public static bool Signal(int group, int signal)
        {
            World[] worlds = Scheduler.Snapshot();
            World self = Scheduler.Current;
            bool found = false;
            for (int i = 0; i < worlds.Length; i++)
            {
                // The caller last: its own default action may end it, and the others must get the signal first.
                if (worlds[i] != self && worlds[i].UserState is UserProgram p && !p.Process.Ended && p.Process.ProcessGroup == group)
                {
                    found = true;
                    SignalActions.Send(worlds[i], p, signal);
                }
            }
            if (self?.UserState is UserProgram me && !me.Process.Ended && me.Process.ProcessGroup == group)
            {
                found = true;
                SignalActions.Send(self, me, signal);
            }
            return found;
        }

        /// <summary>POSIX: a group is orphaned when no member has a parent in another group of the same session
        /// (nobody left to continue it after a stop), so the terminal's stop signals are not applied to it.</summary>
        public static bool IsOrphaned(int group)
        {
            World[] worlds = Scheduler.Snapshot();
            for (int i = 0; i < worlds.Length; i++)
            {
                if (worlds[i].UserState is not UserProgram p || p.Process.Ended || p.Process.ProcessGroup != group)
                    continue;
                UserProgram parent = p.Process.Parent;
                if (parent != null && !parent.Process.Ended && parent.Process.ProcessGroup != group && parent.Process.Session == p.Process.Session)
                    return false;
            }
            return true;
        }
    }
}
