// BenchCommand.cs -- `bench`: micro-benchmarks of kernel primitives timed with TSC stamps (cycles per operation
// and, for QEMU -icount shift=0 runs, the equivalent guest instruction count); `bench gc`: the collector's pause
// for 1, 16 and 64 MiB of live heap; `bench path`: VisorFS resolution and listing by depth and size (PathBench.cs).
// See docs/Measurements.md.
using System;
using System.Runtime.CompilerServices;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Interrupts;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal sealed class BenchCommand : ShellCommand
    {
        private const int SmallIterations = 10000;
        private const int LargeIterations = 1000;

        // 8-byte MethodTable pointer + 24 bytes of fields = a 32-byte object (the smallest-but-one size class).
        private sealed class SmallObject
        {
            public long A, B, C;
        }

        // Stores through statics so the compiler cannot prove the objects dead and drop (or stack-allocate) them.
        private static SmallObject s_small;
        private static byte[] s_array;

        public override string Name => "bench";
        public override string Summary => "micro-benchmarks: heap, pages, world switch, timer interrupt; `bench gc`: collection pauses; `bench path`: VisorFS lookups; `bench smp`: IPI, shootdown, wake-up";

        public override int Run(Shell shell, string[] args)
        {
            ulong hz = Clock.TscHz;
            if (hz == 0)
            {
                shell.WriteLine("bench: the TSC is not calibrated");
                return 1;
            }
            shell.WriteLine(string.Concat("bench: TSC ", hz.ToString(), " Hz; interrupts off while timing; instr = cycles * 1e9 / TSC Hz (-icount shift=0)"));
            if (args.Length > 1 && args[1] == "gc")
                return GcPauses(shell, hz);
            if (args.Length > 1 && args[1] == "path")
                return PathBench.Run(shell, hz);
            if (args.Length > 1 && args[1] == "smp")
                return SmpBench.Run(shell, hz);
            shell.WriteLine("  operation                          iterations    cycles/op     instr/op");
            Report(shell, "rdtsc (loop and timing overhead)", SmallIterations, TimeEmpty(SmallIterations), hz);
            Report(shell, "heap new+free, 32 B object", SmallIterations, TimeSmallObject(SmallIterations), hz);
            Report(shell, "heap new, 32 B object (collector on)", SmallIterations, TimeSmallObjectNew(SmallIterations), hz);
            Report(shell, "  same, 2M objects, collections in", AmortizedIterations, TimeSmallObjectNew(AmortizedIterations), hz);
            Report(shell, "heap new+free, byte[4096]", LargeIterations, TimeArray(LargeIterations), hz);
            Report(shell, "page AllocatePage+FreePages", LargeIterations, TimePage(LargeIterations), hz);
            Report(shell, "world page alloc+free (charged)", LargeIterations, TimeWorldPage(LargeIterations), hz);
            Report(shell, "world heap 64 B alloc+free (charged)", SmallIterations, TimeWorldHeap(SmallIterations), hz);
            Report(shell, "throw+catch, 1 frame", ThrowIterations, TimeThrowCatch(ThrowIterations, 1), hz);
            Report(shell, "throw+catch, 10 frames", ThrowIterations, TimeThrowCatch(ThrowIterations, 10), hz);
            Report(shell, "try/finally, no throw", SmallIterations, TimeTryFinally(SmallIterations), hz);
            Report(shell, "virtual call (baseline)", SmallIterations, GenericVirtualMethodBench.TimeVirtualCall(SmallIterations), hz);
            Report(shell, "GVM call, int (cached)", SmallIterations, GenericVirtualMethodBench.TimeValueTypeCall(SmallIterations), hz);
            Report(shell, "GVM call, string (cached)", SmallIterations, GenericVirtualMethodBench.TimeReferenceTypeCall(SmallIterations), hz);
            ulong switches = SwitchRoundTrips;
            Report(shell, "world switch (yield to a world)", (int)switches * 2, TimeWorldSwitches(out switches), hz);
            ulong timerCount = InterruptDispatch.CountFor(InterruptDispatch.FirstIrqVector);
            ulong timerCycles = InterruptDispatch.HandlerCyclesFor(InterruptDispatch.FirstIrqVector);
            if (timerCount > 0)
            {
                Report(shell, "timer interrupt (handler + EOI)", (int)System.Math.Min(timerCount, int.MaxValue), timerCycles, hz);
                ulong perTick = timerCycles / timerCount;
                ulong overheadPpm = perTick * Clock.TickHz * 1000000UL / hz;
                shell.WriteLine(string.Concat("  timer overhead at ", Clock.TickHz.ToString(), " Hz: ", (overheadPpm / 10000).ToString(), ".",
                    (overheadPpm / 100 % 100).ToString("D2"), "% of a CPU"));
            }
            return 0;
        }

        private const int SwitchRoundTrips = 2000;

        private sealed class PingPong
        {
            public int Remaining;
        }

        // Two worlds hand the CPU back and forth with Yield; each round trip is two switches.
        private static unsafe ulong TimeWorldSwitches(out ulong roundTrips)
        {
            var state = new PingPong { Remaining = SwitchRoundTrips };
            Kernel.Resources.ResourceGroupTree groups = Scheduler.Groups;
            groups.AddPath("host/system/bench", out Kernel.Resources.ResourceGroup group);
            // Both on this CPU: with several CPUs the partner would otherwise run beside us and Yield switch nothing.
            World self = Scheduler.Current;
            ulong affinity = self.Affinity;
            self.Affinity = 1UL << self.Cpu;
            World partner = Scheduler.Create("bench-partner", WorldType.System, group, &YieldUntilDone, state, out _);
            if (partner == null)
            {
                self.Affinity = affinity;
                roundTrips = 1;
                return 0;
            }
            partner.Affinity = self.Affinity;
            Scheduler.Start(partner);
            roundTrips = SwitchRoundTrips;
            Scheduler.Yield();   // let the partner start
            ulong start = Cpu.ReadTimestampCounter();
            while (state.Remaining > 0)
            {
                state.Remaining--;
                Scheduler.Yield();
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Scheduler.Join(partner);
            self.Affinity = affinity;
            return cycles;
        }

        private static void YieldUntilDone(object argument)
        {
            var state = (PingPong)argument;
            while (state.Remaining > 0)
                Scheduler.Yield();
        }

        private static ulong TimeWorldPage(int n)
        {
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
                WorldMemory.FreePages(WorldMemory.AllocatePages(1));
            return Cpu.ReadTimestampCounter() - start;
        }

        private static unsafe ulong TimeWorldHeap(int n)
        {
            WorldMemory.Free(WorldMemory.Allocate(64));      // warm: the size class has a slab
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
                WorldMemory.Free(WorldMemory.Allocate(64));
            return Cpu.ReadTimestampCounter() - start;
        }

        private static ulong TimeEmpty(int n)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
            {
                Cpu.ReadTimestampCounter();
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        private const int ThrowIterations = 200;

        private sealed class BenchException : Exception
        {
        }

        private static BenchException s_exception;
        private static int s_sink;

        // `frames` methods between the catching frame and the throw: the dispatch walks each twice (two passes).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ThrowAt(int frames) => frames <= 1 ? throw s_exception : ThrowAt(frames - 1) + 1;

        // One exception object thrown again and again: the row is the dispatch, not `new` (its backtrace array is
        // allocated by the first, untimed, throw and reused).
        private static ulong TimeThrowCatch(int n, int frames)
        {
            s_exception = new BenchException();
            try { ThrowAt(frames); } catch (BenchException) { }
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
            {
                try
                {
                    s_sink += ThrowAt(frames);
                }
                catch (BenchException)
                {
                    s_sink++;
                }
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Touch(int i) => s_sink += i;

        // The cost of a try/finally when nothing throws (the finally runs inline or through a call of its funclet).
        private static ulong TimeTryFinally(int n)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
            {
                try
                {
                    Touch(i);
                }
                finally
                {
                    Touch(1);
                }
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        private static ulong TimeSmallObject(int n)
        {
            s_small = new SmallObject();       // warm: the size class has a slab before timing starts
            Allocator.Free(s_small);
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
            {
                s_small = new SmallObject();
                Allocator.Free(s_small);
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            s_small = null;
            return cycles;
        }

        private const int AmortizedIterations = 2000000;

        // Allocation alone, the collector left to reclaim: with enough iterations the budget runs out and the
        // collections (mark of the live heap, sweep of the dead objects) are part of the figure.
        private static ulong TimeSmallObjectNew(int n)
        {
            s_small = new SmallObject();
            System.GC.Collect();
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
                s_small = new SmallObject();
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            s_small = null;
            return cycles;
        }

        // ---- Collection pauses ---------------------------------------------------------------------------------

        // A live heap of small linked objects, the collector's hardest case per byte: every 48-byte node is a
        // separate object to mark, with a second object (a string or a small array) behind every other one.
        private sealed class LiveNode
        {
            public LiveNode Next;
            public object Payload;
            public long Value;
        }

        private static object[] s_live;

        // Small: 48-byte nodes, every fourth with a string and every fourth with an int[4] behind it. Mixed: the
        // same nodes, every fourth with a 60-character string, a byte[1024] or an int[16] (file data, paths, tables).
        private static void BuildLiveHeap(ulong bytes, bool mixed)
        {
            const int Chains = 1024;
            s_live = new object[Chains];
            ulong start = GarbageCollector.BytesInUse;   // every collected heap: the shell's `new` is its group's
            int i = 0;
            while (GarbageCollector.BytesInUse - start < bytes)
            {
                var node = new LiveNode { Next = (LiveNode)s_live[i % Chains], Value = i };
                node.Payload = mixed
                    ? (i % 4) switch { 0 => new string('x', 60), 1 => new byte[1024], 2 => new int[16], _ => null }
                    : (i % 4) switch { 0 => "live-node", 1 => new int[4], _ => null };
                s_live[i % Chains] = node;
                i++;
            }
        }

        private static int GcPauses(Shell shell, ulong hz)
        {
            shell.WriteLine("  live heap (MiB)   live objects     live bytes   pause cycles   pause instr   instr/live byte   mark instr");
            ulong[] sizes = { 1, 16, 64, 1, 16, 64 };
            for (int s = 0; s < sizes.Length; s++)
            {
                if (s == 3)
                    shell.WriteLine("  mixed heap: the same nodes with 60-character strings, byte[1024] and int[16] behind them");
                BuildLiveHeap(sizes[s] << 20, mixed: s >= 3);
                System.GC.Collect();                  // the garbage of building it goes first
                System.GC.Collect();                  // then a collection with nothing to free: the pause of marking it
                CollectionInfo info = GarbageCollector.Last;
                ulong instr = info.PauseCycles * 1000000000UL / hz;
                ulong markInstr = info.MarkCycles * 1000000000UL / hz;
                ulong perByteHundredths = instr * 100 / (info.LiveBytesAfter == 0 ? 1 : info.LiveBytesAfter);
                shell.WriteLine(string.Concat(
                    string.Concat("  ", sizes[s].ToString().PadLeft(15), info.LiveObjectsAfter.ToString().PadLeft(15), info.LiveBytesAfter.ToString().PadLeft(15)),
                    string.Concat(info.PauseCycles.ToString().PadLeft(15), instr.ToString().PadLeft(14)),
                    string.Concat((perByteHundredths / 100).ToString().PadLeft(15), ".", (perByteHundredths % 100).ToString("D2"), markInstr.ToString().PadLeft(13))));
                s_live = null;
            }
            System.GC.Collect();
            return 0;
        }

        private static ulong TimeArray(int n)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
            {
                s_array = new byte[4096];
                Allocator.Free(s_array);
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            s_array = null;
            return cycles;
        }

        private static ulong TimePage(int n)
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < n; i++)
            {
                ulong page = PhysicalMemory.AllocatePage();
                PhysicalMemory.FreePages(page, 1);
            }
            ulong cycles = Cpu.ReadTimestampCounter() - start;
            Cpu.RestoreInterrupts(flags);
            return cycles;
        }

        internal static void Report(Shell shell, string what, int n, ulong cycles, ulong hz)
        {
            ulong tenthsPerOp = cycles * 10 / (ulong)n;
            ulong instrTenths = tenthsPerOp * 1000000000UL / hz;
            shell.WriteLine(string.Concat(string.Concat("  ", what.PadRight(33)), ((ulong)n).ToString().PadLeft(10),
                Tenths(tenthsPerOp).PadLeft(13), Tenths(instrTenths).PadLeft(13)));
        }

        private static string Tenths(ulong tenths) => string.Concat((tenths / 10).ToString(), ".", (tenths % 10).ToString());
    }
}
