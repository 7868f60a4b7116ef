// InterruptDispatch.cs -- routes every interrupt: CPU exceptions to Exceptions (a managed exception or the panic
// screen), device vectors to the handler their driver registered.
using System.Runtime.InteropServices;
using System.Threading;
using Kernel.Panic;


namespace Kernel.Interrupts
{
    public static unsafe class InterruptDispatch
    {
        public const int FirstIrqVector = 32;

        private struct HandlerTable
        {
            public fixed ulong Handlers[256];
        }

        private static HandlerTable s_handlers;
        private static HandlerTable s_counts;   // interrupts taken per vector
        private static HandlerTable s_cycles;   // TSC cycles spent in each vector's handler and end-of-interrupt
        private static ulong s_count;
        private struct Depths
        {
            public fixed int PerCpu[Kernel.Arch.PerCpu.MaxCpus];
        }

        private static Depths s_irqDepth;   // per CPU: device handlers running (a fault there is in interrupt context)
        private static delegate*<int, void> s_endOfInterrupt;
        private static delegate*<void> s_exitHook;

        /// <summary>Runs after every device interrupt's end-of-interrupt (the scheduler preempts here).</summary>
        public static void SetExitHook(delegate*<void> hook) => s_exitHook = hook;

        private static delegate*<InterruptFrame*, void> s_userReturnHook;

        /// <summary>Runs last before an interrupt returns to ring 3 (after any preemption): a userworld's pending
        /// signal handler is entered there (Kernel/User/Processes/SignalDelivery.cs).</summary>
        public static void SetUserReturnHook(delegate*<InterruptFrame*, void> hook) => s_userReturnHook = hook;

        public static ulong InterruptCount => s_count;

        /// <summary>True while a device interrupt's handler or end-of-interrupt runs on this CPU (not during the
        /// preemption that may follow, which runs as the world it switches to).</summary>
        /// <summary>This CPU is inside a device interrupt handler (another CPU's handlers do not count).</summary>
        public static bool InDeviceHandler
        {
            get
            {
                int cpu = Internal.Runtime.ThisCpu.Index;
                return (uint)cpu < Kernel.Arch.PerCpu.MaxCpus && s_irqDepth.PerCpu[cpu] > 0;
            }
        }

        public static ulong CountFor(int vector)
        {
            fixed (ulong* counts = s_counts.Handlers)
                return counts[vector & 0xFF];
        }

        public static ulong HandlerCyclesFor(int vector)
        {
            fixed (ulong* cycles = s_cycles.Handlers)
                return cycles[vector & 0xFF];
        }

        public static bool HasHandler(int vector)
        {
            fixed (ulong* h = s_handlers.Handlers)
                return h[vector & 0xFF] != 0;
        }

        /// <summary>Installs the handler for a vector (32-255), with the device name `interrupts` shows. The handler
        /// runs with interrupts disabled.</summary>
        public static void SetHandler(int vector, delegate*<InterruptFrame*, void> handler, string device = null)
        {
            fixed (ulong* h = s_handlers.Handlers)
                h[vector] = (ulong)handler;
            s_devices ??= new string[256];
            s_devices[vector & 0xFF] = device;
        }

        private static string[] s_devices;

        /// <summary>The device name given with the vector's handler, or "".</summary>
        public static string DeviceFor(int vector) => s_devices?[vector & 0xFF] ?? "";

        /// <summary>The interrupt controller's end-of-interrupt, called with the vector after every device
        /// interrupt's handler (the PIC acknowledges its 16 vectors, the local APIC all but its spurious one).</summary>
        public static void SetEndOfInterrupt(delegate*<int, void> endOfInterrupt) => s_endOfInterrupt = endOfInterrupt;

        [UnmanagedCallersOnly(EntryPoint = "KInterruptDispatch")]
        private static void Dispatch(InterruptFrame* frame)
        {
            s_count++;
            int vector = (int)frame->Vector;
            fixed (ulong* counts = s_counts.Handlers)
                counts[vector & 0xFF]++;
            if (vector < FirstIrqVector)
            {
                Exceptions.Handle(frame);
                return;
            }
            ulong start = Kernel.Arch.Cpu.ReadTimestampCounter();
            int cpu = Internal.Runtime.ThisCpu.Index;
            s_irqDepth.PerCpu[cpu]++;   // only this CPU writes its entry
            ulong handler;
            fixed (ulong* h = s_handlers.Handlers)
                handler = h[vector];
            if (handler != 0)
                ((delegate*<InterruptFrame*, void>)handler)(frame);
            if (s_endOfInterrupt != null)
                s_endOfInterrupt(vector);
            fixed (ulong* cycles = s_cycles.Handlers)
                cycles[vector] += Kernel.Arch.Cpu.ReadTimestampCounter() - start;
            s_irqDepth.PerCpu[cpu]--;
            if (s_exitHook != null)
                s_exitHook();
            if (s_userReturnHook != null && (frame->Cs & 3) == 3)
                s_userReturnHook(frame);
        }
    }
}
