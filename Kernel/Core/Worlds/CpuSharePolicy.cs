// CpuSharePolicy.cs -- the scheduler's CPU policy without the hardware: which ready world runs next, where a waking
// group's virtual time starts, how run time is charged, and when the running world must give way. The scheduler
// owns the clock, the run queue and the switch; the host tests drive this class with simulated time (stride
// scheduling over group virtual time, reservations first, limits per period).
//
// The virtual-time floor is what keeps both halves of fairness:
//  - A group that slept does not bank CPU: when one of its worlds becomes ready, its virtual time is raised to half a
//    slice below the floor, so it cannot then run for as long as it slept while everyone else waits (the half slice
//    puts it ahead of the groups tied at the floor; see OnReady).
//  - A waking group is never placed behind the groups that are already competing: the floor is the least virtual
//    time among the groups that compete on virtual time (ready, not throttled), never more. An earlier version
//    raised it to the virtual time of whichever group was picked; a group picked because it was below its CPU
//    reservation (with shares that make its virtual time run fast) then dragged the floor far past everyone
//    else, and the woken shell started so far behind a high-share spinner that it was never picked again.
using System.Collections.Generic;
using Kernel.Resources;

namespace Kernel.Worlds
{
    /// <summary>
    /// Anything the policy schedules: it only needs the group the CPU time is charged to. A base class rather than an
    /// interface: the pick reads the group of every ready world on every switch, and a field read costs nothing where
    /// an interface call through the core library's dispatch costs hundreds of instructions (a world switch went from
    /// 379 to 1,300 instructions with an interface here).
    /// </summary>
    public abstract class CpuClient
    {
        public ResourceGroup Group { get; internal set; }

        /// <summary>The CPUs it may run on now (bit N = cpuN), set by the scheduler as it queues the world.</summary>
        public ulong CpuMask = ulong.MaxValue;
    }

    public sealed class CpuSharePolicy
    {
        /// <summary>Virtual time advances by run time * <see cref="VirtualScale"/> / shares.</summary>
        public const ulong VirtualScale = 1024;

        public CpuSharePolicy(ulong periodCycles, ulong sliceCycles)
        {
            PeriodCycles = periodCycles;
            SliceCycles = sliceCycles;
        }

        /// <summary>The reservation/limit period in TSC cycles (100 ms).</summary>
        public ulong PeriodCycles { get; }

        /// <summary>One scheduling slice in TSC cycles (10 ms).</summary>
        public ulong SliceCycles { get; }

        /// <summary>When the current period began (TSC).</summary>
        public ulong PeriodStart { get; private set; }

        /// <summary>Never decreases; see the file comment.</summary>
        public ulong VirtualTimeFloor { get; private set; }

        /// <summary>
        /// A world of <paramref name="group"/> became ready: its group starts no earlier than the least virtual time
        /// of the groups competing now (the ready ones and the running one, <paramref name="running"/>, null when the
        /// CPU is idle). The running group counts because it may have run alone for a long time since the last pick.
        /// </summary>
        public void OnReady<T>(ResourceGroup group, List<T> ready, ResourceGroup running) where T : CpuClient
        {
            AdvanceFloor(ready, running);
            // Half a slice ahead of the floor, in the group's own virtual time: a woken group goes before the groups
            // tied at the floor instead of behind every one of them (with four spinning groups tied there and a
            // reservation taking 75% of the CPU, the shell waited 150 ms for a keystroke). The credit is bounded
            // (half a slice per wake, and only for a group that fell behind the floor by sleeping), so sleeping still
            // banks nothing; it is the sleeper bonus CFS gives, for the same reason.
            ulong bonus = SliceCycles / 2 * VirtualScale / (ulong)(group.CpuShares > 0 ? group.CpuShares : 1);
            ulong start = VirtualTimeFloor > bonus ? VirtualTimeFloor - bonus : 0;
            if (group.CpuVirtualTime < start)
                group.CpuVirtualTime = start;
        }

        // The floor becomes the least virtual time among the competing groups (never lower than it was). Throttled
        // groups count: they compete again next period, and a floor raised past them would put a waking world behind
        // a limited group for as long as that group lags.
        private void AdvanceFloor<T>(List<T> ready, ResourceGroup running) where T : CpuClient
        {
            ulong least = running != null ? running.CpuVirtualTime : ulong.MaxValue;
            for (int i = 0; i < ready.Count; i++)
            {
                ResourceGroup g = ready[i].Group;
                if (g.CpuVirtualTime < least)
                    least = g.CpuVirtualTime;
            }
            RaiseFloor(least);
        }

        // ulong.MaxValue: nobody competes, the floor stays.
        private void RaiseFloor(ulong least)
        {
            if (least != ulong.MaxValue && least > VirtualTimeFloor)
                VirtualTimeFloor = least;
        }

        /// <summary>Charges <paramref name="cycles"/> of run time to a group; throttles it at its limit.</summary>
        public void Charge(ResourceGroup group, ulong cycles)
        {
            group.CpuVirtualTime += cycles * VirtualScale / (ulong)(group.CpuShares > 0 ? group.CpuShares : 1);
            group.CpuUsedThisPeriod += cycles;
            group.CpuUsedTotal += cycles;
            if (group.CpuMax >= 0 && group.CpuUsedThisPeriod >= PeriodCycles * (ulong)group.CpuMax / 100)
                group.CpuThrottled = true;
        }

        /// <summary>
        /// A group behind its CPU reservation goes before every group that is not. The reservation is paced through
        /// the period, with half a slice of slack: a group is behind when it has had less than its reservation's share
        /// of the time elapsed since the period began, minus half a slice. Served as one block at the start of each
        /// period, a reservation would make everyone else (the shell answering a keystroke) wait up to 90 ms for it
        /// every period; paced without slack, reservations that add up to 90% keep some reserved group behind at every
        /// slice boundary and starve the unreserved worlds completely (the property test finds such mixes). With the
        /// slack a reserved group takes a slice only once it is clearly behind, and it gets its reservation to within
        /// half a slice's share per period (50% of a CPU: at least 47.5%).
        /// </summary>
        public bool BelowReservation(ResourceGroup group, ulong now)
        {
            if (group.CpuMin <= 0)
                return false;
            ulong elapsed = now - PeriodStart;
            if (elapsed > PeriodCycles)
                elapsed = PeriodCycles;
            ulong slack = SliceCycles / 2;
            if (elapsed <= slack)
                return false;
            return group.CpuUsedThisPeriod < (elapsed - slack) * (ulong)group.CpuMin / 100;
        }

        /// <summary>
        /// The index in <paramref name="ready"/> of the world to run next, or -1 when every ready world's group is
        /// throttled. Reserved groups first, then the least virtual time; ties go to the earlier entry (the world
        /// that has waited longer, since the run queue is in arrival order). The running world must be in
        /// <paramref name="ready"/> if it may go on. Advances the floor.
        /// </summary>
        public int Pick<T>(List<T> ready, ulong now) where T : CpuClient => Pick(ready, now, -1);

        /// <summary>The same for CPU <paramref name="cpu"/> of several: only worlds whose CpuMask has that CPU (-1:
        /// every world). Every CPU picks from the one queue with the same policy, so shares, reservations and limits
        /// hold over the CPU time of all of them together.</summary>
        public int Pick<T>(List<T> ready, ulong now, int cpu) where T : CpuClient
        {
            int best = -1;
            ulong bestTime = 0;
            bool bestReserved = false;
            ulong least = ulong.MaxValue;   // the floor's candidate, throttled groups included (see AdvanceFloor)
            for (int i = 0; i < ready.Count; i++)
            {
                ResourceGroup group = ready[i].Group;
                ulong time = group.CpuVirtualTime;
                if (time < least)
                    least = time;
                if (group.CpuThrottled || (cpu >= 0 && (ready[i].CpuMask >> cpu & 1) == 0))
                    continue;
                bool reserved = group.CpuMin > 0 && BelowReservation(group, now);
                if (best >= 0 && bestReserved && !reserved)
                    continue;
                if (best < 0 || (reserved && !bestReserved) || time < bestTime)
                {
                    best = i;
                    bestTime = time;
                    bestReserved = reserved;
                }
            }
            RaiseFloor(least);
            return best;
        }

        /// <summary>
        /// Starts a new reservation/limit period: usage counts from zero and throttled groups may run again. Returns
        /// whether a group was throttled, the only reason the new period should preempt the running world (a
        /// preemption here would otherwise cut a slice short and hand a reserved group a second one in a row).
        /// </summary>
        public bool StartPeriod(ResourceGroupTree groups, ulong now)
        {
            PeriodStart = now;
            bool released = false;
            for (int i = 0; i < groups.Count; i++)
            {
                ResourceGroup g = groups.At(i);
                g.CpuUsedThisPeriod = 0;
                released |= g.CpuThrottled;
                g.CpuThrottled = false;
            }
            return released;
        }

        /// <summary>
        /// Whether the timer tick must preempt the running world: its group hit its limit, its slice is over and
        /// someone else is ready, or the CPU is idle and someone is ready.
        /// </summary>
        public static bool ShouldPreempt(ResourceGroup runningGroup, bool runningIsIdle, ulong ticksIntoSlice, ulong sliceTicks, bool anyReady)
        {
            if (!runningIsIdle && runningGroup.CpuThrottled)
                return true;
            if (!anyReady)
                return false;
            return runningIsIdle || ticksIntoSlice >= sliceTicks;
        }
    }
}
