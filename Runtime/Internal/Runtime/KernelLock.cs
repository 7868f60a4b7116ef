// KernelLock.cs -- the lock a kernel structure owns in place of the old "interrupts off" bracket: a ticket lock
// (TicketLock, FIFO) taken with this CPU's interrupts off, re-entrant on the CPU that holds it, and ranked.
//
// Why interrupt-saving: interrupt handlers take these locks too (a wake-up from the keyboard IRQ, the tick's
// scheduler work), and a handler spinning on a lock its own CPU holds never returns. Why re-entrant: the brackets
// these locks replace nested freely (an Event.Set inside a KernelTimer callback inside the tick, an allocation that
// logs), and a re-entry by the holder must not deadlock; nesting on the holder is just a depth count. Enter returns
// the caller's flags, Exit puts them back, exactly like the brackets did.
//
// Ranks (LockRank) give the lock order: a CPU may take a lock only if it holds none of a higher or equal rank
// (re-entry excepted). Each CPU keeps a bit mask of the ranks it holds; a violation is counted and the pair
// remembered (LockChecks), cheaply enough to stay on in every build. The scheduler asks the same mask whether a
// world is about to block while holding a spinlock other than the scheduler's own.
namespace Internal.Runtime
{
    /// <summary>The lock order, outermost first (docs/Smp.md). A CPU takes locks only in increasing rank.</summary>
    public enum LockRank
    {
        None = 0,
        ObjectLocks = 1,     // the `lock (obj)` table (Kernel/Core/Sync/ObjectLocks.cs)
        Scheduler = 2,       // run queue, sleepers, world list and pool, every WaitQueue, KernelTimer's list
        Log = 3,             // the vmkernel log ring
        Console = 4,         // console output (serial + screen), so lines never interleave
        Handles = 5,         // GCHandle table (growing it allocates: above the heap)
        Heap = 6,            // every SizeClassHeap and the block map (Allocator)
        Groups = 7,          // resource group tree, group charges, WorldMemory's per-world counters
        Pci = 8,             // legacy PCI configuration ports (0xCF8/0xCFC pair)
        Serial = 9,          // the UART's receive ring
        Keyboard = 10,       // the PS/2 scan code and character rings
        Pipe = 11,           // a userworld pipe's ring and end counts (a leaf: its wake-ups are set after it is let go)
    }

    public struct KernelLock
    {
        private TicketLock _lock;
        private int _holderPlusOne;    // the holding CPU's index + 1; 0 = free
        private int _depth;            // nested Enters by the holder
        private int _rank;
        private ulong _acquisitions;
        private ulong _contended;      // acquisitions that found another CPU holding the lock

        public ulong Acquisitions => _acquisitions;
        public ulong Contended => _contended;
        public bool IsHeldByThisCpu => _holderPlusOne == ThisCpu.Index + 1;
        public int Depth => _depth;

        /// <summary>Disables interrupts on this CPU and takes the lock (or re-enters it); returns the flags for Exit.</summary>
        public ulong Enter(LockRank rank)
        {
            ulong flags = InterruptFlag.SaveAndDisable();
            int cpu = ThisCpu.Index;
            if (_holderPlusOne == cpu + 1)
            {
                _depth++;
                return flags;
            }
            LockChecks.OnAcquire(cpu, (int)rank);
            if (!_lock.TryAcquire())
            {
                _contended++;
                // Waiting with interrupts off: a collector on another CPU cannot reach this CPU with its stop IPI,
                // so the wait itself answers the request (WorldStop), with this world's registers spilled.
                int ticket = _lock.TakeTicket();
                while (!_lock.Serves(ticket))
                {
                    LockSpin.Poll();
                    System.Threading.Thread.SpinWait(1);
                }
            }
            _holderPlusOne = cpu + 1;
            _depth = 1;
            _rank = (int)rank;
            _acquisitions++;
            return flags;
        }

        /// <summary>Leaves one level; the last one releases the lock. Then restores the flags Enter returned.</summary>
        public void Exit(ulong flags)
        {
            if (--_depth == 0)
                ReleaseHeld();
            InterruptFlag.Restore(flags);
        }

        private void ReleaseHeld()
        {
            LockChecks.OnRelease(_holderPlusOne - 1, _rank);
            _holderPlusOne = 0;
            _lock.Release();
        }

        /// <summary>
        /// For a lock held across a switch of stacks (the scheduler's, handed from one world to the next on one CPU):
        /// the depth the resumed code had when it switched away, which it takes back on resuming.
        /// </summary>
        public void ResumeHolding(int depth)
        {
            _holderPlusOne = ThisCpu.Index + 1;
            _depth = depth;
        }

        /// <summary>Drops every level at once, leaving interrupts as they are (a new world's first instructions).</summary>
        public void ReleaseAll()
        {
            _depth = 0;
            ReleaseHeld();
        }
    }

    /// <summary>What a KernelLock waiter does on each turn of its spin besides waiting: answer the collector's
    /// stop-the-world (WorldStop installs it; nothing until then, and nothing in the host tests).</summary>
    public static unsafe class LockSpin
    {
        private static delegate*<void> s_poll;

        public static void SetPoll(delegate*<void> poll) => s_poll = poll;

        public static void Poll()
        {
            delegate*<void> poll = s_poll;
            if (poll != null)
                poll();
        }
    }

    /// <summary>The lock-order and held-across-blocking checks: each CPU's held ranks as a bit mask.</summary>
    public static unsafe class LockChecks
    {
        public const int MaxCpus = 64;

        private struct Masks
        {
            public fixed ulong Held[MaxCpus];
        }

        private static Masks s_masks;

        /// <summary>Locks taken out of order since boot, and the last such pair (rank held, rank taken).</summary>
        public static ulong OrderViolations;
        public static int LastViolationHeldRank, LastViolationTakenRank;

        /// <summary>Times a world blocked holding a spinlock (other than the scheduler's), and that lock's rank mask.</summary>
        public static ulong BlockedHolding;
        public static ulong LastBlockedHoldingMask;

        internal static void OnAcquire(int cpu, int rank)
        {
            if ((uint)cpu >= MaxCpus || rank <= 0)
                return;
            ulong held = s_masks.Held[cpu];
            if ((held >> rank) != 0)
            {
                OrderViolations++;
                int highest = 63;
                while ((held >> highest) == 0)
                    highest--;
                LastViolationHeldRank = highest;
                LastViolationTakenRank = rank;
            }
            s_masks.Held[cpu] = held | 1UL << rank;
        }

        internal static void OnRelease(int cpu, int rank)
        {
            if ((uint)cpu < MaxCpus && rank > 0)
                s_masks.Held[cpu] &= ~(1UL << rank);
        }

        /// <summary>The ranks this CPU holds (bit N = rank N).</summary>
        public static ulong HeldByThisCpu
        {
            get
            {
                int cpu = ThisCpu.Index;
                return (uint)cpu < MaxCpus ? s_masks.Held[cpu] : 0;
            }
        }

        /// <summary>
        /// Called where a world gives up its CPU to wait: any lock this CPU holds besides <paramref name="allowed"/>
        /// (the scheduler's, which the switch hands on) would be held by a sleeping world. Counted; true if so.
        /// </summary>
        public static bool CheckBeforeBlocking(LockRank allowed)
        {
            ulong others = HeldByThisCpu & ~(1UL << (int)allowed);
            if (others == 0)
                return false;
            BlockedHolding++;
            LastBlockedHoldingMask = others;
            return true;
        }
    }
}
