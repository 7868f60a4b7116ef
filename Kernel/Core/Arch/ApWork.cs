// ApWork.cs -- the application processors' park, and the call-function IPI that gives one of them work.
//
// Until the scheduler takes them (Kernel/Init/SmpScheduling.cs; or for good with the kernel option smp=park) the other
// CPUs wait here with interrupts on and halted, and nothing but an IPI reaches them (the IOAPIC sends every device
// interrupt to cpu0, and their local APIC timers are off). Once a CPU runs worlds, its idle world runs the posted
// work instead (RunPostedWork).
// Post puts a function in cpuN's slot and sends it the wake-up vector; the CPU runs the function on its own stack,
// outside interrupt context, marks the slot done and halts again. The function must not allocate (`new` and the
// collector belong to cpu0's worlds) and must not block; it may take any kernel spinlock. The SMP stress test
// (`smp-stress`) uses it to hammer the locks from every CPU at once.
using System.Threading;

namespace Kernel.Arch
{
    public static unsafe class ApWork
    {
        /// <summary>The IPI vector that wakes a parked CPU (its handler does nothing: the park loop looks at the slot).</summary>
        public const int WakeVector = 0xF0;

        private struct Slots
        {
            public fixed ulong Function[PerCpu.MaxCpus];
            public fixed ulong Argument[PerCpu.MaxCpus];
            public fixed int Done[PerCpu.MaxCpus];
            public fixed ulong Runs[PerCpu.MaxCpus];
        }

        private static Slots s_slots;
        private static delegate*<int, void> s_wake;

        /// <summary>Installs the interrupt controller's "send WakeVector to cpuN".</summary>
        public static void SetWaker(delegate*<int, void> wake) => s_wake = wake;

        public static bool CanPost => s_wake != null && PerCpu.Count > 1;

        /// <summary>Gives cpuN (an application processor) a function to run; false if it cannot be reached.</summary>
        public static bool Post(int cpu, delegate*<ulong, void> function, ulong argument)
        {
            if (!CanPost || cpu <= 0 || cpu >= PerCpu.Count)
                return false;
            fixed (Slots* s = &s_slots)
            {
                s->Argument[cpu] = argument;
                Interlocked.Exchange(ref s->Done[cpu], 0);
                Interlocked.Exchange(ref *(long*)&s->Function[cpu], (long)function);
            }
            s_wake(cpu);
            return true;
        }

        /// <summary>True once cpuN finished the function last posted to it.</summary>
        public static bool IsDone(int cpu)
        {
            fixed (Slots* s = &s_slots)
                return Interlocked.CompareExchange(ref s->Done[cpu], 0, 0) != 0;
        }

        /// <summary>Functions cpuN has run since boot.</summary>
        public static ulong RunsOn(int cpu)
        {
            fixed (Slots* s = &s_slots)
                return s->Runs[cpu];
        }

        /// <summary>
        /// Runs the function posted to this CPU, if any (its idle world's loop, once the CPU schedules worlds): with
        /// interrupts off, as in the park. True if one ran; interrupts are off on return either way, so the caller's
        /// `sti; hlt` cannot sleep through a wake-up that came after the check.
        /// </summary>
        public static bool RunPostedWork()
        {
            int me = Internal.Runtime.ThisCpu.Index;
            Cpu.DisableInterrupts();
            long function;
            ulong argument;
            fixed (Slots* s = &s_slots)
            {
                function = Interlocked.Exchange(ref *(long*)&s->Function[me], 0);
                argument = s->Argument[me];
            }
            if (function == 0)
                return false;
            ((delegate*<ulong, void>)function)(argument);
            fixed (Slots* s = &s_slots)
            {
                s->Runs[me]++;
                Interlocked.Exchange(ref s->Done[me], 1);
            }
            Cpu.EnableInterrupts();
            return true;
        }

        /// <summary>
        /// An application processor's life after start-up: run posted work, otherwise halt with interrupts on. The
        /// slot is checked with interrupts off and `sti; hlt` follows, so a wake-up IPI arriving in between is taken
        /// by the hlt (sti's one-instruction shadow) instead of being slept through. Never returns.
        /// </summary>
        public static void ParkLoop()
        {
            int me = Internal.Runtime.ThisCpu.Index;
            while (true)
            {
                // This CPU's own check-then-halt (see above), not a lock: the slot is this CPU's.
                Cpu.DisableInterrupts();
                long function;
                ulong argument;
                fixed (Slots* s = &s_slots)
                {
                    function = Interlocked.Exchange(ref *(long*)&s->Function[me], 0);
                    argument = s->Argument[me];
                }
                if (function == 0)
                {
                    Cpu.EnableInterruptsAndHalt();
                    continue;
                }
                ((delegate*<ulong, void>)function)(argument);
                fixed (Slots* s = &s_slots)
                {
                    s->Runs[me]++;
                    Interlocked.Exchange(ref s->Done[me], 1);
                }
            }
        }
    }
}
