// TicketLock.cs -- the kernel's spinlock: a ticket lock (each acquirer takes the next ticket with one atomic add and
// waits until the ticket being served is its own), so CPUs get the lock in the order they asked and none starves.
// It lives in the core library because the heap behind `new` sits below the kernel and needs it too.
//
// Interrupts: a lock that an interrupt handler may also take must be held with interrupts off on this CPU, or the
// handler spins forever on a lock its own CPU holds: AcquireIrqSave / ReleaseIrqRestore do that, and are what
// kernel structures use. Plain Acquire is for locks no handler touches. The owner is not recorded: a second
// Acquire by the holder deadlocks (on one CPU this is what the interrupts-off brackets it replaces did as well).
//
// Memory order: the atomic add is a full barrier (lock xadd); the release is a volatile store, which on x86 (TSO)
// and in .NET's model is not reordered before the critical section's own loads and stores.
using System.Threading;

namespace Internal.Runtime
{
    public struct TicketLock
    {
        private int _next;               // the ticket the next acquirer gets
        private volatile int _serving;   // the ticket that holds the lock

        public void Acquire()
        {
            int ticket = Interlocked.Add(ref _next, 1) - 1;
            while (_serving != ticket)
                Thread.SpinWait(1);
        }

        /// <summary>Takes a place in line without waiting (pair with <see cref="Serves"/>): for a waiter that must do
        /// something else while it spins (KernelLock answers a stop-the-world request there).</summary>
        public int TakeTicket() => Interlocked.Add(ref _next, 1) - 1;

        /// <summary>True once <paramref name="ticket"/> holds the lock.</summary>
        public bool Serves(int ticket) => _serving == ticket;

        /// <summary>Takes the lock only if nobody holds or waits for it.</summary>
        public bool TryAcquire()
        {
            int serving = _serving;
            return Interlocked.CompareExchange(ref _next, serving + 1, serving) == serving;
        }

        public void Release() => _serving = _serving + 1;   // only the holder writes it

        /// <summary>True while someone holds the lock (or waits for it): for assertions, not decisions.</summary>
        public bool IsHeld => _next != _serving;

        /// <summary>Disables interrupts on this CPU, then takes the lock; returns the flags for ReleaseIrqRestore.</summary>
        public ulong AcquireIrqSave()
        {
            ulong flags = InterruptFlag.SaveAndDisable();
            Acquire();
            return flags;
        }

        public void ReleaseIrqRestore(ulong flags)
        {
            Release();
            InterruptFlag.Restore(flags);
        }
    }
}
