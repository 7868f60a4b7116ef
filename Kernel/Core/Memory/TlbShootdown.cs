// TlbShootdown.cs -- the one place that drops stale translations after a page-table entry is changed or removed.
//
// Every change that narrows a mapping (unmap, mprotect to fewer rights, copy-on-write break) must drop the
// translation on every CPU that may have cached it, not only on the CPU that made the change. Callers say which
// address space and which range; this file decides which CPUs must hear about it:
//  - a user range: the CPUs that have that space loaded now (each CPU notes its CR3 here on every switch,
//    NoteLoaded). A CPU that loaded another space since has no entries of this one: user pages are not global, so the
//    CR3 load flushed them.
//  - a kernel range: every CPU that runs worlds.
// This CPU invalidates locally; the others get the shootdown IPI (ShootdownVector) with the range in one request slot
// and clear their bit in its mask when done; the initiator waits for the mask to empty. Initiators are serialized by
// the slot's lock. While it waits (for the slot or for the answers) a CPU answers a request aimed at it and the
// collector's stop (LockSpin's poll), and a CPU spinning for a KernelLock does the same (Poll), so two initiators,
// or an initiator and a CPU that waits for a lock with interrupts off, never wait for each other forever.
using System.Threading;
using Internal.Runtime;
using Kernel.Arch;

namespace Kernel.Memory
{
    public static unsafe class TlbShootdown
    {
        const ulong PageSize = 4096;

        /// <summary>The shootdown IPI's vector (its handler calls <see cref="OnInterrupt"/>).</summary>
        public const int ShootdownVector = 0xF3;

        // Past this many pages a CPU reloads CR3 instead of one invlpg per page (a user range only; the kernel's
        // pages are global and survive a CR3 load, so a kernel range is always page by page).
        private const ulong FullFlushPages = 64;

        private struct Roots
        {
            public fixed ulong Loaded[PerCpu.MaxCpus];
        }

        private static Roots s_roots;
        private static delegate*<int, void> s_send;       // the shootdown IPI to cpuN
        private static delegate*<int, bool> s_runsWorlds; // whether cpuN runs worlds (only those are asked)
        private static TicketLock s_slotLock;
        private static ulong s_start, s_end, s_root;     // the request: s_root 0 = a kernel range
        private static long s_pendingMask;                // CPUs that have not answered yet

        /// <summary>Requests sent to other CPUs since boot, and CPUs asked.</summary>
        public static ulong Requests, CpusAsked;

        /// <summary>Connects the IPI (SMP scheduling start); until then every shootdown is local.</summary>
        public static void Install(delegate*<int, void> send, delegate*<int, bool> runsWorlds)
        {
            s_runsWorlds = runsWorlds;
            s_send = send;
        }

        /// <summary>This CPU loaded <paramref name="root"/> into CR3 (the scheduler, on a switch; interrupts off).</summary>
        public static void NoteLoaded(ulong root)
        {
            int cpu = ThisCpu.Index;
            if ((uint)cpu < PerCpu.MaxCpus)
                s_roots.Loaded[cpu] = root & ~0xFFFUL;
        }

        /// <summary>Drops the translations of [start, end) in the user address space whose top table is
        /// <paramref name="root"/> (physical). Call after the page-table entries are changed.</summary>
        public static void UserRange(ulong root, ulong start, ulong end)
        {
            root &= ~0xFFFUL;
            ulong flags = Cpu.SaveAndDisableInterrupts();
            if ((Cpu.ReadCr3() & ~0xFFFUL) == root)
                InvalidateLocal(start, end, userRange: true);
            long others = 0;
            int me = ThisCpu.Index;
            if (s_send != null)
                for (int cpu = 0; cpu < PerCpu.Count; cpu++)
                    if (cpu != me && s_roots.Loaded[cpu] == root && s_runsWorlds(cpu))
                        others |= 1L << cpu;
            if (others != 0)
                AskOthers(others, root, start, end);
            Cpu.RestoreInterrupts(flags);
        }

        /// <summary>Drops the translations of [start, end) in the kernel half, which every CPU shares.</summary>
        public static void KernelRange(ulong start, ulong end)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            InvalidateLocal(start, end, userRange: false);
            long others = 0;
            int me = ThisCpu.Index;
            if (s_send != null)
                for (int cpu = 0; cpu < PerCpu.Count; cpu++)
                    if (cpu != me && s_runsWorlds(cpu))
                        others |= 1L << cpu;
            if (others != 0)
                AskOthers(others, 0, start, end);
            Cpu.RestoreInterrupts(flags);
        }

        // Interrupts are off. One request at a time: the slot's lock, waited for while answering requests to this CPU.
        private static void AskOthers(long cpus, ulong root, ulong start, ulong end)
        {
            int ticket = s_slotLock.TakeTicket();
            while (!s_slotLock.Serves(ticket))
                Poll();
            s_root = root;
            s_start = start;
            s_end = end;
            Interlocked.Exchange(ref s_pendingMask, cpus);
            Requests++;
            for (int cpu = 0; cpu < PerCpu.Count; cpu++)
                if ((cpus >> cpu & 1) != 0)
                {
                    CpusAsked++;
                    s_send(cpu);
                }
            while (Interlocked.CompareExchange(ref s_pendingMask, 0, 0) != 0)
                Poll();
            s_slotLock.Release();
        }

        /// <summary>Answers a request aimed at this CPU, if there is one, and the collector's stop; for every wait
        /// with interrupts off (this file's, and KernelLock's spin through LockSpin).</summary>
        public static void Poll()
        {
            Answer();
            WorldStop.PollWhileSpinning();
            Cpu.Pause();
        }

        /// <summary>The shootdown IPI's handler.</summary>
        public static void OnInterrupt() => Answer();

        private static void Answer()
        {
            int me = ThisCpu.Index;
            long bit = 1L << me;
            if ((Interlocked.CompareExchange(ref s_pendingMask, 0, 0) & bit) == 0)
                return;
            ulong root = s_root;
            // A user range matters only if this CPU still has that space loaded; a kernel range always.
            if (root == 0)
                InvalidateLocal(s_start, s_end, userRange: false);
            else if ((Cpu.ReadCr3() & ~0xFFFUL) == root)
                InvalidateLocal(s_start, s_end, userRange: true);
            long mask;
            do
                mask = Interlocked.CompareExchange(ref s_pendingMask, 0, 0);
            while (Interlocked.CompareExchange(ref s_pendingMask, mask & ~bit, mask) != mask);
        }

        private static void InvalidateLocal(ulong start, ulong end, bool userRange)
        {
            ulong first = start & ~(PageSize - 1);
            if (userRange && end > first && (end - first) / PageSize > FullFlushPages)
            {
                Cpu.WriteCr3(Cpu.ReadCr3());
                return;
            }
            for (ulong page = first; page < end; page += PageSize)
                Cpu.InvalidatePage(page);
        }
    }
}
