// AllocationFailurePolicy.cs -- which `new` may fail with OutOfMemoryException and which must succeed or stop the
// kernel ("kernel heap exhausted", the panic screen).
//
// May fail (the request fails, the host goes on):
//   - a request a world serves on someone's behalf and can fail alone: a shell command or cron's job (the shell's
//     command boundary counts them in World.FailableRequests and catches the exception: "sh: CMD: out of memory"),
//     and a `run` workload, whose whole life is one such request;
//   - anything a user world allocates (an exception nobody catches only ends that world).
// Must not fail (they also get the kernel's reserve, which failable requests leave alone):
//   - boot, before the shell runs; interrupt handlers and code with interrupts off (a critical section cannot be
//     unwound halfway); the idle world, drivers, the log writer, cron's own loop;
//   - the exception machinery and handlers: while a world dispatches or handles an exception (building the
//     OutOfMemoryException's backtrace, writing the error) its allocations are the failure path itself.
// A request that must not fail but is refused by its world's group heap (GroupHeaps) is served from the kernel heap
// instead: the group's limit binds what may fail, never what the kernel needs to go on (the shell's own loop).
using Internal.Runtime;
using Internal.Runtime.ExceptionHandling;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.Memory
{
    public static unsafe class AllocationFailurePolicy
    {
        private const ulong InterruptFlag = 1UL << 9;

        public static void Install()
        {
            Allocator.SetFailurePolicy(&MayFail);
            Allocator.SetRefusalHandler(&OnRefused);
        }

        // A `new` that may fail was refused by its world's group (GroupHeaps): the same policy as for the world's
        // pages (WorldMemory.OnRefused, whose strings come from the kernel heap) -- ESXi's admission failure line and,
        // in a user group, the OOM victim's death (this world's own, when it is the largest: then it does not return).
        private static void OnRefused()
        {
            World self = Scheduler.Current;
            ResourceGroup refusing = self?.LastRefusingGroup;
            if (refusing == null || self.ManagedHeap == null)
                return;
            self.LastRefusingGroup = null;
            WorldMemory.OnRefused(self, refusing);
        }

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
