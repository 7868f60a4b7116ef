// KernelLockTests.cs -- the kernel's structure lock (KernelLock: ticket lock + interrupts off + re-entry on the
// holding CPU + rank checks) on host threads, each thread playing one CPU (a fake ThisCpu). Mutual exclusion across
// "CPUs", nesting on one, the interrupt flag restored level by level, the lock-order and held-across-a-switch
// checks, and the hand-over the scheduler does across a world switch.
using Internal.Runtime;

namespace Internal.Runtime
{
    // The test double of "which CPU runs this": per thread, as the real one is per CPU.
    public static class ThisCpu
    {
        [ThreadStatic] public static int FakeIndex;

        public static int Index => FakeIndex;
    }
}

namespace Kernel.Tests
{
    [Collection("LockChecks")]   // LockChecks' counters are global: these tests must not run alongside each other
    public class KernelLockTests
    {
        private sealed class Shared
        {
            public KernelLock Lock;
            public long Counter;
        }

        [Fact]
        public void ContendedIncrementsFromThreeCpus_AreNeverLost_AndNestingDoesNotDeadlock()
        {
            var shared = new Shared();
            const int cpus = 3, rounds = 1_500;
            var workers = Enumerable.Range(1, cpus).Select(cpu => new Thread(() =>
            {
                ThisCpu.FakeIndex = 10 + cpu;
                for (int i = 0; i < rounds; i++)
                {
                    ulong outer = shared.Lock.Enter(LockRank.Heap);
                    ulong inner = shared.Lock.Enter(LockRank.Heap);   // re-entry by the holder: a depth, not a wait
                    long v = shared.Counter;
                    Thread.SpinWait(10);
                    shared.Counter = v + 1;
                    shared.Lock.Exit(inner);
                    Assert.True(shared.Lock.IsHeldByThisCpu);         // still held after the inner exit
                    shared.Lock.Exit(outer);
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            Assert.Equal((long)cpus * rounds, shared.Counter);
            Assert.Equal((ulong)(cpus * rounds), shared.Lock.Acquisitions);   // nested entries are not acquisitions
            Assert.Equal(0, shared.Lock.Depth);
        }

        [Fact]
        public void AnotherCpu_WaitsUntilTheLastNestedExit()
        {
            var shared = new Shared();
            ThisCpu.FakeIndex = 20;
            ulong a = shared.Lock.Enter(LockRank.Groups);
            ulong b = shared.Lock.Enter(LockRank.Groups);
            bool otherGotIn = false;
            var other = new Thread(() =>
            {
                ThisCpu.FakeIndex = 21;
                ulong f = shared.Lock.Enter(LockRank.Groups);
                Volatile.Write(ref otherGotIn, true);
                shared.Lock.Exit(f);
            });
            other.Start();
            Thread.Sleep(50);
            Assert.False(Volatile.Read(ref otherGotIn));
            shared.Lock.Exit(b);
            Thread.Sleep(50);
            Assert.False(Volatile.Read(ref otherGotIn));   // one level still held
            shared.Lock.Exit(a);
            other.Join();
            Assert.True(otherGotIn);
            Assert.Equal(1UL, shared.Lock.Contended);
        }

        [Fact]
        public void InterruptFlag_IsOffInside_AndRestoredLevelByLevel()
        {
            var shared = new Shared();
            ThisCpu.FakeIndex = 22;
            InterruptFlag.Enabled = true;
            ulong outer = shared.Lock.Enter(LockRank.Log);
            Assert.False(InterruptFlag.Enabled);
            ulong inner = shared.Lock.Enter(LockRank.Log);
            shared.Lock.Exit(inner);
            Assert.False(InterruptFlag.Enabled);   // the inner level found them off and leaves them off
            shared.Lock.Exit(outer);
            Assert.True(InterruptFlag.Enabled);
        }

        [Fact]
        public void TakingALowerRank_WhileHoldingAHigherOne_IsCountedAsAnOrderViolation()
        {
            var heap = new Shared();
            var scheduler = new Shared();
            var groups = new Shared();
            ThisCpu.FakeIndex = 23;
            ulong before = LockChecks.OrderViolations;
            // In order: scheduler (2) -> heap (6) -> groups (7).
            ulong s = scheduler.Lock.Enter(LockRank.Scheduler);
            ulong h = heap.Lock.Enter(LockRank.Heap);
            ulong g = groups.Lock.Enter(LockRank.Groups);
            groups.Lock.Exit(g);
            heap.Lock.Exit(h);
            scheduler.Lock.Exit(s);
            Assert.Equal(before, LockChecks.OrderViolations);
            Assert.Equal(0UL, LockChecks.HeldByThisCpu);
            // Out of order: groups, then the heap.
            g = groups.Lock.Enter(LockRank.Groups);
            h = heap.Lock.Enter(LockRank.Heap);
            heap.Lock.Exit(h);
            groups.Lock.Exit(g);
            Assert.Equal(before + 1, LockChecks.OrderViolations);
            Assert.Equal((int)LockRank.Groups, LockChecks.LastViolationHeldRank);
            Assert.Equal((int)LockRank.Heap, LockChecks.LastViolationTakenRank);
        }

        [Fact]
        public void BlockingCheck_AllowsOnlyTheSchedulerLock()
        {
            var scheduler = new Shared();
            var log = new Shared();
            ThisCpu.FakeIndex = 24;
            ulong before = LockChecks.BlockedHolding;
            ulong s = scheduler.Lock.Enter(LockRank.Scheduler);
            Assert.False(LockChecks.CheckBeforeBlocking(LockRank.Scheduler));
            ulong l = log.Lock.Enter(LockRank.Log);
            Assert.True(LockChecks.CheckBeforeBlocking(LockRank.Scheduler));
            Assert.Equal(1UL << (int)LockRank.Log, LockChecks.LastBlockedHoldingMask);
            log.Lock.Exit(l);
            scheduler.Lock.Exit(s);
            Assert.Equal(before + 1, LockChecks.BlockedHolding);
        }

        [Fact]
        public void HandOver_AcrossASwitch_KeepsEachSidesDepth_AndANewWorldReleasesEverything()
        {
            var scheduler = new Shared();
            ThisCpu.FakeIndex = 25;
            ulong f1 = scheduler.Lock.Enter(LockRank.Scheduler);
            ulong f2 = scheduler.Lock.Enter(LockRank.Scheduler);
            int depth = scheduler.Lock.Depth;                 // world A switches away at depth 2
            scheduler.Lock.ResumeHolding(1);                  // world B resumes at its own depth 1 ...
            scheduler.Lock.Exit(0);                           // ... and leaves: the lock is free
            Assert.False(scheduler.Lock.IsHeldByThisCpu);
            ulong f3 = scheduler.Lock.Enter(LockRank.Scheduler);   // later, B switches back to A
            scheduler.Lock.ResumeHolding(depth);
            scheduler.Lock.Exit(f2);
            Assert.True(scheduler.Lock.IsHeldByThisCpu);
            scheduler.Lock.Exit(f1);
            Assert.False(scheduler.Lock.IsHeldByThisCpu);
            _ = f3;
            // A brand-new world has no frames to unwind: it drops every level at once.
            scheduler.Lock.Enter(LockRank.Scheduler);
            scheduler.Lock.Enter(LockRank.Scheduler);
            scheduler.Lock.ReleaseAll();
            Assert.False(scheduler.Lock.IsHeldByThisCpu);
            Assert.Equal(0UL, LockChecks.HeldByThisCpu);
            var other = new Thread(() =>
            {
                ThisCpu.FakeIndex = 26;
                ulong f = scheduler.Lock.Enter(LockRank.Scheduler);   // would spin forever if a level were left
                scheduler.Lock.Exit(f);
            });
            other.Start();
            Assert.True(other.Join(5000));
        }
    }
}
