// CpuStop.cs -- the panic's "stop" for the other CPUs, and a panic raised on a chosen CPU (`crash cpu N`).
//
// The stop is an NMI (sent by the local APIC driver through the hooks below): it reaches a CPU whatever it is doing,
// interrupts off or spinning on a lock, which a fixed-vector IPI would not. A CPU taking that NMI while another one
// panics notes what it was running and where, counts itself stopped and halts for good (NMIs stay blocked until an
// IRET that never comes). The panicking CPU waits briefly for every other CPU to check in, then prints the screen
// alone: nothing else writes to the console or changes memory it reads.
//
// `crash cpu N` uses the same NMI with a request flag: CPU N finds its own index in it and panics from its NMI
// handler, so the panic path is exercised on an application processor.
using System.Threading;
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Worlds;

namespace Kernel.Panic
{
    public static unsafe class CpuStop
    {
        private static delegate*<void> s_nmiAllOthers;
        private static delegate*<int, void> s_nmiCpu;
        private static int s_panicRequestedOn;   // the CPU asked to panic; 0 = none (cpu0 is never asked)
        private static int s_stopped;

        private struct StopRecord
        {
            public fixed ulong Rip[PerCpu.MaxCpus];
            public fixed int WorldId[PerCpu.MaxCpus];
            public fixed byte Stopped[PerCpu.MaxCpus];
        }

        private static StopRecord s_records;

        /// <summary>Installs the interrupt controller's NMI senders: to every CPU but this one, and to cpuN.</summary>
        public static void SetNmiSenders(delegate*<void> allOthers, delegate*<int, void> oneCpu)
        {
            s_nmiAllOthers = allOthers;
            s_nmiCpu = oneCpu;
        }

        public static bool CanSignalOtherCpus => s_nmiCpu != null && PerCpu.Count > 1;

        /// <summary>Asks cpuN to panic (from its NMI handler). False if there is no such CPU or no way to reach it.</summary>
        public static bool RequestPanicOn(int cpu)
        {
            if (!CanSignalOtherCpus || cpu <= 0 || cpu >= PerCpu.Count)
                return false;
            Interlocked.Exchange(ref s_panicRequestedOn, cpu);
            s_nmiCpu(cpu);
            return true;
        }

        /// <summary>The panicking CPU: NMIs every other CPU and waits (up to ~100 ms by the TSC) until all checked in.</summary>
        internal static int StopOthers()
        {
            int others = PerCpu.Count - 1;
            if (others <= 0 || s_nmiAllOthers == null)
                return 0;
            s_nmiAllOthers();
            ulong hz = Time.Clock.TscHz != 0 ? Time.Clock.TscHz : 1_000_000_000;
            ulong deadline = Cpu.ReadTimestampCounter() + hz / 10;
            while (Interlocked.CompareExchange(ref s_stopped, 0, 0) < others && Cpu.ReadTimestampCounter() < deadline)
                Cpu.Pause();
            return Interlocked.CompareExchange(ref s_stopped, 0, 0);
        }

        /// <summary>What cpuN was doing when it stopped: false if it never checked in.</summary>
        internal static bool StoppedState(int cpu, out ulong rip, out int worldId)
        {
            rip = s_records.Rip[cpu];
            worldId = s_records.WorldId[cpu];
            return s_records.Stopped[cpu] != 0;
        }

        /// <summary>
        /// First thing on every NMI in kernel mode: a stop from a panicking CPU halts here for good; a `crash cpu N`
        /// request for this CPU panics. False for any other NMI (the caller reports it as before).
        /// </summary>
        internal static bool OnNmi(InterruptFrame* frame)
        {
            int me = ThisCpu.Index;
            int panicking = PanicScreen.PanicCpu;
            if (panicking >= 0 && panicking != me)
            {
                if ((uint)me < PerCpu.MaxCpus)
                {
                    s_records.Rip[me] = frame->Rip;
                    s_records.WorldId[me] = CurrentWorld.Id;   // 0 on a CPU that runs no worlds (parked)
                    s_records.Stopped[me] = 1;
                }
                Interlocked.Increment(ref s_stopped);
                while (true)
                    Cpu.Halt();
            }
            if (me != 0 && Interlocked.CompareExchange(ref s_panicRequestedOn, 0, 0) == me)
            {
                Interlocked.Exchange(ref s_panicRequestedOn, 0);
                PanicScreen.Show("Panic requested on this CPU by `crash cpu`");   // no allocation: another CPU may hold the heap
            }
            return false;
        }
    }
}
