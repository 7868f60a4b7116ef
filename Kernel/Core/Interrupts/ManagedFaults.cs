// ManagedFaults.cs -- a CPU fault in managed kernel code becomes the .NET exception the compiler relies on:
// RyuJIT emits no null checks (it lets the load from null fault) and no zero-divisor checks on x64 (idiv faults).
//
// The fault is converted only when unwinding it is safe and meaningful:
//   #PF at an address below Paging.NullGuardBytes (64 KiB, not an instruction fetch) -> NullReferenceException;
//   #DE -> DivideByZeroException;
// in kernel mode, in code with unwind data (managed code), outside device interrupt handlers, and with
// interrupts enabled at the fault (a critical section that faults would leave interrupts off: nothing restores
// them). Anything else stays a panic. The conversion rewrites the interrupt frame so that `iretq` lands in
// RhpThrowHwEx (Kernel/Boot/exceptions.asm) on the faulting stack with the faulting registers; the dispatch
// then runs as ordinary code of the world that faulted.
using Internal.Runtime.ExceptionHandling;
using Internal.Runtime.Unwinding;
using Kernel.Memory;

namespace Kernel.Interrupts
{
    internal static unsafe class ManagedFaults
    {
        private const ulong InterruptFlag = 1UL << 9;
        private const ulong PageFaultProtection = 1UL << 0;       // error code: set = the page was present
        private const ulong PageFaultUser = 1UL << 2;
        private const ulong PageFaultInstructionFetch = 1UL << 4;

        public static bool TryRaise(InterruptFrame* frame, int vector, ulong cr2)
        {
            ExceptionKind kind;
            if (vector == Exceptions.DivideError)
                kind = ExceptionKind.HardwareDivideByZero;
            else if (vector == Exceptions.PageFault && IsNullDereference(frame->ErrorCode, cr2))
                kind = ExceptionKind.HardwareNullReference;
            else
                return false;
            if ((frame->Cs & 3) != 0 || (frame->Rflags & InterruptFlag) == 0 || InterruptDispatch.InDeviceHandler)
                return false;
            if (!KernelState.StaticsReady || !CodeMap.IsManagedCode(frame->Rip))
                return false;
            frame->Rdi = (ulong)kind;
            frame->Rsi = frame->Rip;
            frame->Rip = EHThunks.HardwareFaultEntry;
            return true;
        }

        public static bool IsNullDereference(ulong errorCode, ulong cr2)
            => cr2 < Paging.NullGuardBytes && (errorCode & (PageFaultProtection | PageFaultUser | PageFaultInstructionFetch)) == 0;
    }
}
