// SmpStressCommand.cs -- `smp-stress [ROUNDS]`: every CPU at once (the application processors through ApWork, cpu0
// in the shell's world) hammers the kernel's shared structures, then every counter must balance:
//   - a plain counter incremented with a read, a pause and a write under one KernelLock: the total is exact only if
//     the lock excludes every other CPU;
//   - physical pages taken and given back (the page allocator's lock);
//   - a charge and uncharge on a resource group of its own (the groups lock), which must end at 0 bytes;
//   - blocks of 16 bytes to 20 KiB from the shell world's own heap, eight kept alive at a time per CPU (the heap
//     lock, its page source, the world's charges): the heap's bytes in use end where they started.
// The work must not allocate with `new` (the collector belongs to cpu0's worlds), so it touches only raw memory.
using System.Threading;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed unsafe class SmpStressCommand : ShellCommand
    {
        public override string Name => "smp-stress";
        public override string Summary => "hammer locks, pages, group charges and a heap from every CPU at once: smp-stress [ROUNDS]";

        private const int KeptBlocks = 8;

        private struct PerCpuCounts
        {
            public fixed long Pages[PerCpu.MaxCpus];
            public fixed long Charges[PerCpu.MaxCpus];
            public fixed long Blocks[PerCpu.MaxCpus];
            public fixed long Refused[PerCpu.MaxCpus];
        }

        private static KernelLock s_counterLock;
        private static long s_counter;
        private static PerCpuCounts s_counts;
        private static ResourceGroup s_group;
        private static SizeClassHeap* s_heap;

        public override int Run(Shell shell, string[] args)
        {
            ulong rounds = 2000;
            if (args.Length > 1 && (!ulong.TryParse(args[1], out rounds) || rounds == 0 || rounds > 10_000_000))
            {
                shell.WriteLine("usage: smp-stress [ROUNDS]   (1 to 10000000, default 2000)");
                return 1;
            }
            ResourceGroupTree tree = Scheduler.Groups;
            GroupsLock.LockTree();
            GroupError error = tree.AddPath("host/system/smpstress", out ResourceGroup group);
            GroupsLock.UnlockTree();
            if (error != GroupError.None)
            {
                shell.WriteLine(string.Concat("smp-stress: ", ResourceGroupTree.Describe(error)));
                return 1;
            }
            World self = Scheduler.Current;
            s_group = group;
            s_heap = WorldMemory.HeapOf(self);
            s_counter = 0;
            s_counts = default;
            long chargedBefore = group.MemSize;
            ulong heapInUseBefore = s_heap->BytesInUse;
            ulong violationsBefore = LockChecks.OrderViolations;
            ulong contendedBefore = s_counterLock.Contended;

            int cpus = 1;
            for (int cpu = 1; cpu < PerCpu.Count; cpu++)
                if (ApWork.Post(cpu, &Work, rounds))
                    cpus++;
            ulong start = Cpu.ReadTimestampCounter();
            Work(rounds);
            for (int cpu = 1; cpu < cpus; cpu++)
                while (!ApWork.IsDone(cpu))
                    Scheduler.Sleep(5);
            ulong cycles = Cpu.ReadTimestampCounter() - start;

            long expected = (long)rounds * cpus;
            long pages = 0, charges = 0, blocks = 0, refused = 0;
            for (int cpu = 0; cpu < cpus; cpu++)
            {
                pages += s_counts.Pages[cpu];
                charges += s_counts.Charges[cpu];
                blocks += s_counts.Blocks[cpu];
                refused += s_counts.Refused[cpu];
            }
            bool counterOk = s_counter == expected;
            bool chargeOk = group.MemSize == chargedBefore;
            bool heapOk = s_heap->BytesInUse == heapInUseBefore;
            bool orderOk = LockChecks.OrderViolations == violationsBefore;
            shell.WriteLine(string.Concat("smp-stress: ", cpus.ToString(), " CPUs x ", rounds.ToString(), " rounds in ",
                (cycles / 1000000).ToString(), " M cycles"));
            shell.WriteLine(string.Concat("counter: ", s_counter.ToString(), " of ", expected.ToString(), counterOk ? " (exact)" : " (LOST UPDATES)",
                ", lock contended ", (s_counterLock.Contended - contendedBefore).ToString(), " times"));
            shell.WriteLine(string.Concat("pages: ", pages.ToString(), " taken and freed; group charges: ", charges.ToString(),
                ", left charged ", (group.MemSize - chargedBefore).ToString(), " bytes"));
            shell.WriteLine(string.Concat("heap: ", blocks.ToString(), " blocks, ", refused.ToString(), " refused; bytes in use ",
                heapInUseBefore.ToString(), " -> ", s_heap->BytesInUse.ToString()));
            bool ok = counterOk && chargeOk && heapOk && orderOk && pages == expected && charges == expected;
            shell.WriteLine(ok ? "smp-stress: balanced" : "smp-stress: UNBALANCED");
            s_group = null;
            s_heap = null;
            return ok ? 0 : 1;
        }

        // Runs on every CPU at once (the argument is the number of rounds).
        private static void Work(ulong rounds)
        {
            int me = ThisCpu.Index;
            void** kept = stackalloc void*[KeptBlocks];
            for (int i = 0; i < KeptBlocks; i++)
                kept[i] = null;
            ulong seed = 0x9E3779B97F4A7C15UL * (ulong)(me + 1);
            for (ulong round = 0; round < rounds; round++)
            {
                ulong flags = s_counterLock.Enter(LockRank.None);
                long value = s_counter;
                Thread.SpinWait(4);
                s_counter = value + 1;
                s_counterLock.Exit(flags);

                ulong page = PhysicalMemory.AllocatePage();
                if (page != 0)
                {
                    *(ulong*)DirectMap.Pointer(page) = round;
                    PhysicalMemory.FreePages(page, 1);
                    s_counts.Pages[me]++;
                }

                if (Scheduler.Groups.TryCharge(s_group, 4096) == null)
                {
                    Scheduler.Groups.Uncharge(s_group, 4096);
                    s_counts.Charges[me]++;
                }

                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                int slot = (int)(seed % KeptBlocks);
                nuint size = (seed >> 8) % 16 == 0 ? (nuint)(20 * 1024) : (nuint)(16 + (seed >> 16) % 2048);
                ulong heapFlags = Allocator.LockHeaps();
                if (kept[slot] != null)
                    SizeClassHeap.FreeAnywhere(kept[slot]);
                kept[slot] = s_heap->Allocate(size);
                Allocator.UnlockHeaps(heapFlags);
                if (kept[slot] != null)
                {
                    *(ulong*)kept[slot] = round;
                    s_counts.Blocks[me]++;
                }
                else
                {
                    s_counts.Refused[me]++;
                }
            }
            ulong last = Allocator.LockHeaps();
            for (int i = 0; i < KeptBlocks; i++)
                if (kept[i] != null)
                    SizeClassHeap.FreeAnywhere(kept[i]);
            Allocator.UnlockHeaps(last);
        }
    }
}
