// AllocationFailurePolicy.cs -- which `new` may fail with OutOfMemoryException and which must succeed or stop the
// kernel ("kernel heap exhausted", the panic screen).
//
// May fail (the request fails, the host goes on):
//   - a request a world serves on someone's behalf and can fail alone: a shell command or cron's job (the shell's
//     command boundary counts them in World.FailableRequests and catches the exception: "sh: CMD: out of memory");
//   - anything a user world allocates (an exception nobody catches only ends that world).
// Must not fail (they also get the kernel's reserve, which failable requests leave alone):
//   - boot, before the shell runs; interrupt handlers and code with interrupts off (a critical section cannot be
//     unwound halfway); the idle world, drivers, the log writer, cron's own loop;
//   - the exception machinery and handlers: while a world dispatches or handles an exception (building the
//     OutOfMemoryException's backtrace, writing the error) its allocations are the failure path itself.
using Internal.Runtime;
using Internal.Runtime.ExceptionHandling;
using Kernel.Worlds;

namespace Kernel.Memory
{
    public static unsafe class AllocationFailurePolicy
    {
        private const ulong InterruptFlag = 1UL << 9;

        public static void Install() => Allocator.SetFailurePolicy(&MayFail);

        // Called with interrupts off (inside the heap's slow path or after it): reads fields only, allocates nothing.
        private static bool MayFail(ulong callerFlags)
        {
            if ((callerFlags & InterruptFlag) == 0)
                return false;
            World self = Scheduler.Current;
            if (self == null || self.IsIdle)
                return false;
            if (self.FailableRequests <= 0 && !self.IsUser)
                return false;
            return !ThreadExceptionState.Current->IsDispatching;
        }
    }
}
