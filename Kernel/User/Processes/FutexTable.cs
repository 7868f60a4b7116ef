// FutexTable.cs -- the kernel side of futex(2): worlds waiting on a 32-bit user word, keyed by (address space, user
// address), so the threads of one process meet on the same word and another process's equal address never matches.
// Every check-then-sleep and every wake is made under the scheduler's lock (the lock WaitQueue needs anyway): the
// word is compared and the waiter queued in one critical section, and a waker takes the same lock, so a FUTEX_WAKE
// that follows the word's change can never fall between a waiter's compare and its sleep -- on one CPU or several.
// Waiters are an intrusive FIFO list (no allocation under the lock); each sleeps on its own WaitQueue so a wake can
// pick exactly the waiters whose bitset matches.
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.User
{
    public static unsafe class FutexTable
    {
        public enum WaitResult { Woken, ValueDiffers, TimedOut, Interrupted, Fault }

        private sealed class Waiter
        {
            public UserAddressSpace Space;
            public UserProgram Program;
            public ulong Address;
            public uint Bitset;
            public World World;
            public bool Woken;
            public Waiter Next, Previous;
            public readonly WaitQueue Queue = new WaitQueue();
        }

        private static Waiter s_head, s_tail;
        private static int s_count;

        /// <summary>Waiters now (for tests and /proc-style reports).</summary>
        public static int WaiterCount => s_count;

        /// <summary>FUTEX_WAIT: sleeps while the word at <paramref name="address"/> holds <paramref name="expected"/>,
        /// until a wake whose bitset meets <paramref name="bitset"/>, the timeout (ticks; 0 = none), or a signal.</summary>
        public static WaitResult Wait(UserProgram program, ulong address, uint expected, uint bitset, ulong timeoutTicks)
        {
            uint value;
            // Touch the word before the lock: the copy under the lock must not need a page fault to be served.
            if (!UserMemory.CopyIn(&value, address, 4))
                return WaitResult.Fault;
            var waiter = new Waiter { Space = program.Space, Program = program, Address = address, Bitset = bitset, World = Scheduler.Current };
            ulong flags = SchedulerLock.Enter();
            if (!UserMemory.CopyIn(&value, address, 4))
            {
                SchedulerLock.Exit(flags);
                return WaitResult.Fault;
            }
            if (value != expected)
            {
                SchedulerLock.Exit(flags);
                return WaitResult.ValueDiffers;
            }
            if (SignalDelivery.HasDeliverable(program))
            {
                SchedulerLock.Exit(flags);
                return WaitResult.Interrupted;
            }
            Link(waiter);
            bool notTimedOut = waiter.Queue.Wait(timeoutTicks);
            if (!waiter.Woken)
                Unlink(waiter);
            SchedulerLock.Exit(flags);
            return waiter.Woken ? WaitResult.Woken : notTimedOut ? WaitResult.Interrupted : WaitResult.TimedOut;
        }

        /// <summary>FUTEX_WAKE: wakes up to <paramref name="count"/> waiters on the word (oldest first) whose bitset
        /// meets <paramref name="bitset"/>; the number woken.</summary>
        public static int Wake(UserAddressSpace space, ulong address, int count, uint bitset)
        {
            int woken = 0;
            ulong flags = SchedulerLock.Enter();
            for (Waiter w = s_head, next; w != null && woken < count; w = next)
            {
                next = w.Next;
                if (w.Space != space || w.Address != address || (w.Bitset & bitset) == 0)
                    continue;
                Unlink(w);
                w.Woken = true;
                w.Queue.WakeOne();
                woken++;
            }
            SchedulerLock.Exit(flags);
            return woken;
        }

        /// <summary>FUTEX_CMP_REQUEUE / FUTEX_REQUEUE: wakes up to <paramref name="wakeCount"/> waiters on the word and
        /// moves up to <paramref name="requeueCount"/> more to <paramref name="target"/>; -1 when the word does not
        /// hold <paramref name="expected"/> (with <paramref name="compare"/>), -2 on a bad address; else the total.</summary>
        public static int Requeue(UserAddressSpace space, ulong address, int wakeCount, int requeueCount, ulong target, bool compare, uint expected)
        {
            uint value = 0;
            if (compare && !UserMemory.CopyIn(&value, address, 4))
                return -2;
            int woken = 0, moved = 0;
            ulong flags = SchedulerLock.Enter();
            if (compare)
            {
                bool read = UserMemory.CopyIn(&value, address, 4);
                if (!read || value != expected)
                {
                    SchedulerLock.Exit(flags);
                    return read ? -1 : -2;
                }
            }
            for (Waiter w = s_head, next; w != null; w = next)
            {
                next = w.Next;
                if (w.Space != space || w.Address != address)
                    continue;
                if (woken < wakeCount)
                {
                    Unlink(w);
                    w.Woken = true;
                    w.Queue.WakeOne();
                    woken++;
                }
                else if (moved < requeueCount)
                {
                    w.Address = target;
                    moved++;
                }
                else
                    break;
            }
            SchedulerLock.Exit(flags);
            return woken + moved;
        }

        /// <summary>A signal is to run in <paramref name="program"/>: its waiters return -EINTR (spurious wake-ups are
        /// part of the futex contract, so waking every thread of the process is allowed).</summary>
        public static void Interrupt(UserProgram program)
        {
            ulong flags = SchedulerLock.Enter();
            for (Waiter w = s_head; w != null; w = w.Next)
                if (w.Program == program)
                    w.Queue.WakeOne();
            SchedulerLock.Exit(flags);
        }

        /// <summary>The reap hook: a world killed while it waited leaves no record behind.</summary>
        public static void Forget(World world)
        {
            ulong flags = SchedulerLock.Enter();
            for (Waiter w = s_head, next; w != null; w = next)
            {
                next = w.Next;
                if (w.World == world)
                    Unlink(w);
            }
            SchedulerLock.Exit(flags);
        }

        private static void Link(Waiter w)
        {
            w.Previous = s_tail;
            w.Next = null;
            if (s_tail != null)
                s_tail.Next = w;
            else
                s_head = w;
            s_tail = w;
            s_count++;
        }

        private static void Unlink(Waiter w)
        {
            if (w.Previous != null)
                w.Previous.Next = w.Next;
            else
                s_head = w.Next;
            if (w.Next != null)
                w.Next.Previous = w.Previous;
            else
                s_tail = w.Previous;
            w.Next = w.Previous = null;
            s_count--;
        }
    }
}
