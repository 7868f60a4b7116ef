// BenchCommand.cs -- `bench`: micro-benchmarks of kernel primitives timed with TSC stamps (cycles per operation
// and, for QEMU -icount shift=0 runs, the equivalent guest instruction count). See docs/Measurements.md.
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Time;

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
        public override string Summary => "micro-benchmarks: heap, page allocator (cycles and guest instructions per op)";

        public override int Run(Shell shell, string[] args)
        {
            ulong hz = Clock.TscHz;
            if (hz == 0)
            {
                shell.WriteLine("bench: the TSC is not calibrated");
                return 1;
            }
            shell.WriteLine(string.Concat("bench: TSC ", hz.ToString(), " Hz; interrupts off while timing; instr = cycles * 1e9 / TSC Hz (-icount shift=0)"));
            shell.WriteLine("  operation                          iterations    cycles/op     instr/op");
            Report(shell, "rdtsc (loop and timing overhead)", SmallIterations, TimeEmpty(SmallIterations), hz);
            Report(shell, "heap new+free, 32 B object", SmallIterations, TimeSmallObject(SmallIterations), hz);
            Report(shell, "heap new+free, byte[4096]", LargeIterations, TimeArray(LargeIterations), hz);
            Report(shell, "page AllocatePage+FreePages", LargeIterations, TimePage(LargeIterations), hz);
            shell.WriteLine("  interrupt round trip: not measured (needs a software-interrupt stub; int3 panics)");
            return 0;
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

        private static void Report(Shell shell, string what, int n, ulong cycles, ulong hz)
        {
            ulong tenthsPerOp = cycles * 10 / (ulong)n;
            ulong instrTenths = tenthsPerOp * 1000000000UL / hz;
            shell.WriteLine(string.Concat(string.Concat("  ", what.PadRight(33)), ((ulong)n).ToString().PadLeft(10),
                Tenths(tenthsPerOp).PadLeft(13), Tenths(instrTenths).PadLeft(13)));
        }

        private static string Tenths(ulong tenths) => string.Concat((tenths / 10).ToString(), ".", (tenths % 10).ToString());
    }
}
