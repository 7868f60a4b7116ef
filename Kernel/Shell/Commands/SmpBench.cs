// SmpBench.cs -- `bench smp`: what the SMP machinery costs, in TSC cycles (guest instructions under -icount shift=0):
// the IPI round trip (a shootdown request with an empty range: send, the other CPUs' handler, their answer), the
// shootdown of one kernel page on every other CPU, and the wake-up latency (an Event set here until the woken world
// runs: on one CPU a switch, on several the reschedule IPI to an idle CPU and its switch). docs/Smp.md has figures.
using Kernel.Arch;
using Kernel.Memory;
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.Shell.Commands
{
    internal static unsafe class SmpBench
    {
        private const int Rounds = 200;

        private sealed class WakeState
        {
            public readonly Event Go = new Event();
            public readonly Event Done = new Event();
            public ulong WokeTsc;
            public int Remaining;
        }

        public static int Run(Shell shell, ulong hz)
        {
            shell.WriteLine(string.Concat("  CPUs running worlds: ", Scheduler.OnlineCpus.ToString()));
            shell.WriteLine("  operation                          iterations    cycles/op     instr/op");
            if (Scheduler.OnlineCpus > 1)
            {
                BenchCommand.Report(shell, "IPI round trip (empty shootdown)", Rounds, TimeShootdowns(0), hz);
                BenchCommand.Report(shell, "TLB shootdown, 1 kernel page", Rounds, TimeShootdowns(1), hz);
            }
            BenchCommand.Report(shell, "wake-up latency (Event.Set to run)", Rounds, TimeWakeUps(), hz);
            return 0;
        }

        // A page of the image (always mapped): invalidating it only costs a refill.
        private static ulong TimeShootdowns(int pages)
        {
            ulong page = (ulong)Kernel.Boot.ImageLayout.Current.BootStackTop & ~0xFFFUL;
            ulong start = Cpu.ReadTimestampCounter();
            for (int i = 0; i < Rounds; i++)
                TlbShootdown.KernelRange(page, page + (ulong)pages * 4096);
            return Cpu.ReadTimestampCounter() - start;
        }

        private static ulong TimeWakeUps()
        {
            var state = new WakeState { Remaining = Rounds };
            World partner = Scheduler.Spawn("bench-wakee", WorldType.System, Scheduler.Current.Group, &Wakee, state);
            if (partner == null)
                return 0;
            ulong total = 0;
            for (int i = 0; i < Rounds; i++)
            {
                ulong set = Cpu.ReadTimestampCounter();
                state.Go.Set();
                state.Done.Wait();
                total += state.WokeTsc - set;
            }
            Scheduler.Join(partner);
            return total;
        }

        private static void Wakee(object argument)
        {
            var state = (WakeState)argument;
            while (state.Remaining > 0)
            {
                state.Go.Wait();
                state.WokeTsc = Cpu.ReadTimestampCounter();
                state.Remaining--;
                state.Done.Set();
            }
        }
    }
}
