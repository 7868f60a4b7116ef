// SchedulerLock.cs -- one lock for the scheduler's state and every wait primitive built on it (run queue,
// sleepers, the world list and pool, each WaitQueue with the Event/Semaphore/Mutex state around it, KernelTimer's
// armed list). One lock, not one per primitive, because a wait is check-then-block across two of them (the
// primitive's state and the run queue) and a wake-up is the reverse; a single lock makes both atomic without a
// lock order between every Event and the run queue. It is held across the switch of worlds: the world that gives
// up the CPU holds it, the world that resumes releases it (Scheduler.Schedule hands the nesting depth over).
using Internal.Runtime;

namespace Kernel.Sync
{
    public static class SchedulerLock
    {
        private static KernelLock s_lock;

        public static ulong Enter() => s_lock.Enter(LockRank.Scheduler);

        public static void Exit(ulong flags) => s_lock.Exit(flags);

        public static bool IsHeldByThisCpu => s_lock.IsHeldByThisCpu;

        internal static int Depth => s_lock.Depth;

        internal static void ResumeHolding(int depth) => s_lock.ResumeHolding(depth);

        internal static void ReleaseAll() => s_lock.ReleaseAll();

        public static ulong Acquisitions => s_lock.Acquisitions;
        public static ulong Contended => s_lock.Contended;
    }
}
