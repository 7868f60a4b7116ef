// WorldStop.cs -- the collector's stop-the-world across CPUs: before it marks, every other CPU that runs worlds stops
// with its registers spilled where the stack scanner looks for them, and spins until the collection is over.
//
// How a CPU is reached: the kernel sends the stop IPI (StopVector) to all others; a CPU with interrupts on takes it at
// once. A CPU with interrupts off is either in a short critical section (it takes the IPI when it leaves it) or
// spinning for a KernelLock, possibly one the collector itself holds (the heap lock): that wait polls the request
// (KernelLock.Enter calls PollWhileSpinning through LockSpin, which the kernel points here), so no CPU can keep the collector waiting forever. Either way the CPU
// calls Park: k_gc_spill_and_call pushes its callee-saved registers exactly as k_switch_world does for a switched-out
// world, the kernel records that stack pointer as the running world's saved one (its whole stack is then scanned
// like a blocked world's), the CPU counts itself stopped and spins until the collector releases it.
//
// Collectors are serialized by the heap lock (taken before StopOthers), and a CPU waiting for it parks through the
// poll, so two CPUs never try to stop each other.
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Internal.Runtime
{
    public static unsafe class WorldStop
    {
        /// <summary>The fixed vector of the stop IPI (its handler calls <see cref="OnStopInterrupt"/>).</summary>
        public const int StopVector = 0xF2;

        private static int s_pending;        // 1 while a collector holds the others stopped
        private static int s_ownerPlusOne;   // the stopping CPU + 1
        private static int s_stopped;        // CPUs parked now
        private static delegate*<int> s_otherCpus;             // CPUs other than this one that run worlds
        private static delegate*<void> s_sendStop;             // the stop IPI to every other CPU
        private static delegate*<nuint, void> s_recordStack;   // the world running here is parked at this stack pointer

        /// <summary>Stops requested since boot, and the CPUs that answered them from a lock's spin (not the IPI).</summary>
        public static ulong Stops, ParkedFromSpin, ParkedFromInterrupt;

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_gc_spill_and_call")]
        private static extern int SpillRegistersAndCall(delegate*<nuint, int> fn);

        /// <summary>The kernel's side, installed once other CPUs run worlds.</summary>
        public static void Install(delegate*<int> otherCpus, delegate*<void> sendStop, delegate*<nuint, void> recordStack)
        {
            s_recordStack = recordStack;
            s_sendStop = sendStop;
            s_otherCpus = otherCpus;
        }

        /// <summary>Stops every other CPU that runs worlds and waits until all have parked. Interrupts are off and
        /// the heap lock is held (the collector's StopTheWorld).</summary>
        public static void StopOthers()
        {
            if (s_otherCpus == null)
                return;
            int others = s_otherCpus();
            if (others <= 0)
                return;
            Stops++;
            s_ownerPlusOne = ThisCpu.Index + 1;
            Interlocked.Exchange(ref s_pending, 1);
            s_sendStop();
            while (Interlocked.CompareExchange(ref s_stopped, 0, 0) < others)
                Thread.SpinWait(1);
        }

        /// <summary>Releases the parked CPUs and waits until each has left the park (so the next stop counts afresh).</summary>
        public static void ResumeOthers()
        {
            if (Interlocked.CompareExchange(ref s_pending, 0, 0) == 0)
                return;
            Interlocked.Exchange(ref s_pending, 0);
            while (Interlocked.CompareExchange(ref s_stopped, 0, 0) != 0)
                Thread.SpinWait(1);
            s_ownerPlusOne = 0;
        }

        /// <summary>Called by every KernelLock waiter while it spins (LockSpin).</summary>
        public static void PollWhileSpinning()
        {
            if (s_pending != 0 && s_ownerPlusOne != ThisCpu.Index + 1)
            {
                ParkedFromSpin++;
                SpillRegistersAndCall(&Park);
            }
        }

        /// <summary>The stop IPI's handler (interrupts off, on the interrupted world's stack).</summary>
        public static void OnStopInterrupt()
        {
            if (Interlocked.CompareExchange(ref s_pending, 0, 0) != 0 && s_ownerPlusOne != ThisCpu.Index + 1)
            {
                ParkedFromInterrupt++;
                SpillRegistersAndCall(&Park);
            }
        }

        private static int Park(nuint stackPointer)
        {
            if (s_recordStack != null)
                s_recordStack(stackPointer);
            Interlocked.Increment(ref s_stopped);
            while (Interlocked.CompareExchange(ref s_pending, 0, 0) != 0)
                Thread.SpinWait(1);
            Interlocked.Decrement(ref s_stopped);
            return 0;
        }
    }
}
