// TicketLockTests.cs -- the kernel's spinlock on host threads (the same source; Interlocked is the BCL's here):
// mutual exclusion under contention, try-acquire refusing while held or awaited, first-come first-served order,
// and the interrupt-saving variant disabling "interrupts" (a fake flag) before it spins and restoring after.
using Internal.Runtime;

namespace Internal.Runtime
{
    // The test double of the CPU's interrupt flag: per thread, as the real one is per CPU.
    public static class InterruptFlag
    {
        [ThreadStatic] public static bool Enabled;
        [ThreadStatic] public static int Saves;

        public static ulong SaveAndDisable()
        {
            Saves++;
            ulong flags = Enabled ? 1UL : 0;
            Enabled = false;
            return flags;
        }

        public static void Restore(ulong flags) => Enabled = flags != 0;
    }
}

namespace Kernel.Tests
{
    public class TicketLockTests
    {
        private sealed class Shared
        {
            public TicketLock Lock;
            public long Counter;   // read-modify-written without atomics: only the lock keeps it exact
        }

        [Fact]
        public void ContendedIncrements_AreNeverLost()
        {
            var shared = new Shared();
            // A ticket lock hands the lock to one thread in turn: with more threads than free cores that thread may
            // be descheduled while the rest spin, so the test stays small (this machine has two busy cores).
            const int threads = 3, rounds = 2_000;
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < rounds; i++)
                {
                    shared.Lock.Acquire();
                    long v = shared.Counter;
                    Thread.SpinWait(20);   // widen the window between the read and the write
                    shared.Counter = v + 1;
                    shared.Lock.Release();
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            Assert.Equal((long)threads * rounds, shared.Counter);
            Assert.False(shared.Lock.IsHeld);
        }

        [Fact]
        public void TryAcquire_FailsWhileHeld_AndSucceedsAfter()
        {
            var shared = new Shared();
            Assert.True(shared.Lock.TryAcquire());
            Assert.True(shared.Lock.IsHeld);
            Assert.False(shared.Lock.TryAcquire());
            shared.Lock.Release();
            Assert.False(shared.Lock.IsHeld);
            Assert.True(shared.Lock.TryAcquire());
            shared.Lock.Release();
        }

        [Fact]
        public void Waiters_GetTheLockInTheOrderTheyAsked()
        {
            var shared = new Shared();
            var order = new List<int>();
            shared.Lock.Acquire();
            var waiters = new List<Thread>();
            for (int n = 0; n < 5; n++)
            {
                int me = n;
                var t = new Thread(() =>
                {
                    shared.Lock.Acquire();
                    order.Add(me);
                    shared.Lock.Release();
                });
                t.Start();
                waiters.Add(t);
                // The next waiter starts only once this one has taken its ticket and spins on the lock.
                int waiting = n + 1;
                Assert.True(SpinWait.SpinUntil(() => TicketTaken(shared, waiting), 5000));
            }
            shared.Lock.Release();
            waiters.ForEach(t => t.Join());
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, order);
        }

        // Tickets handed out so far: the holder's plus each waiter's (read through reflection: the field is private).
        private static bool TicketTaken(Shared shared, int waiters)
        {
            var next = (int)typeof(TicketLock).GetField("_next", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(shared.Lock)!;
            return next == waiters + 1;
        }

        [Fact]
        public void IrqSave_DisablesBeforeTaking_AndRestoresThePreviousState()
        {
            var shared = new Shared();
            InterruptFlag.Enabled = true;
            ulong flags = shared.Lock.AcquireIrqSave();
            Assert.False(InterruptFlag.Enabled);
            Assert.True(shared.Lock.IsHeld);
            shared.Lock.ReleaseIrqRestore(flags);
            Assert.True(InterruptFlag.Enabled);
            Assert.False(shared.Lock.IsHeld);
            // Nested inside an interrupts-off region, the release leaves them off.
            InterruptFlag.Enabled = false;
            flags = shared.Lock.AcquireIrqSave();
            shared.Lock.ReleaseIrqRestore(flags);
            Assert.False(InterruptFlag.Enabled);
        }
    }
}
