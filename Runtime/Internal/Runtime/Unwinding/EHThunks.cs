// EHThunks.cs -- the assembly thunks of exception dispatch (Kernel/Boot/exceptions.asm) as the unwinder sees
// them: code addresses it must recognise as return addresses, and the frame each one leaves on the stack.
//
// Every thunk frame has a fixed layout so frames above and below it stay walkable:
//   throw thunks (RhpThrowEx, RhpRethrow, RhpThrowHwEx): a RegisterContext of the throw site at the thunk's rsp
//     when it calls the dispatcher, i.e. at the SP the dispatcher's frame unwinds to.
//   funclet call thunks (RhpCallCatchFunclet, RhpCallFinallyFunclet, RhpCallFilterFunclet): at the SP the funclet
//     unwinds to: [+0] the ExInfo* that runs the funclet (0 for filters), [+8] rbp, [+16] rbx, [+24] r12,
//     [+32] r13, [+40] r14, [+48] r15 of the dispatcher, [+56] the return address into the dispatcher.
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime.Unwinding
{
    public enum ThunkKind
    {
        None,
        ThrowSite,            // the dispatcher's caller: the context of a throw or rethrow
        HardwareFault,        // the same for a hardware fault: the context's IP is the faulting instruction
        CatchFunclet,
        FinallyFunclet,
        FilterFunclet,
    }

    public static unsafe class EHThunks
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Table
        {
            public ulong ThrowSiteReturn, HardwareFaultReturn, CatchReturn, FinallyReturn, FilterReturn, HardwareFaultEntry;
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpGetEHThunkTable")]
        private static extern Table* GetTable();

        public const int FuncletFrameExInfo = 0, FuncletFrameRbp = 8, FuncletFrameRbx = 16, FuncletFrameR12 = 24;
        public const int FuncletFrameReturnAddress = 56, FuncletFrameSize = 64;

        /// <summary>Where a hardware fault handler sends the faulting context (rdi = fault kind, rsi = faulting IP).</summary>
        public static ulong HardwareFaultEntry => GetTable()->HardwareFaultEntry;

        /// <summary>Which thunk a return address returns into, if any.</summary>
        public static ThunkKind Classify(ulong returnAddress)
        {
            Table* t = GetTable();
            if (returnAddress == t->ThrowSiteReturn)
                return ThunkKind.ThrowSite;
            if (returnAddress == t->HardwareFaultReturn)
                return ThunkKind.HardwareFault;
            if (returnAddress == t->CatchReturn)
                return ThunkKind.CatchFunclet;
            if (returnAddress == t->FinallyReturn)
                return ThunkKind.FinallyFunclet;
            if (returnAddress == t->FilterReturn)
                return ThunkKind.FilterFunclet;
            return ThunkKind.None;
        }

        /// <summary>Steps out of a funclet call thunk: the dispatcher's callee-saved registers and return address.</summary>
        internal static void UnwindFuncletCall(ref RegisterContext context)
        {
            ulong* frame = (ulong*)context.Sp;
            context[RegisterContext.Rbp] = frame[FuncletFrameRbp / 8];
            context[RegisterContext.Rbx] = frame[FuncletFrameRbx / 8];
            context[RegisterContext.R12] = frame[FuncletFrameR12 / 8];
            context[RegisterContext.R13] = frame[FuncletFrameR12 / 8 + 1];
            context[RegisterContext.R14] = frame[FuncletFrameR12 / 8 + 2];
            context[RegisterContext.R15] = frame[FuncletFrameR12 / 8 + 3];
            context.Ip = frame[FuncletFrameReturnAddress / 8];
            context.Sp = context.Sp + FuncletFrameSize;
        }
    }
}
