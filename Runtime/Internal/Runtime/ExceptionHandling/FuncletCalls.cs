// FuncletCalls.cs -- the assembly thunks that run a method's handler code (funclets) on behalf of the dispatcher
// (Kernel/Boot/exceptions.asm). A funclet addresses its method's locals through rbp, so each thunk first loads
// the callee-saved registers the owning frame had at the throw, then calls the funclet.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime.Unwinding;

#pragma warning disable CS8500 // ExInfo holds the exception object; pointers to it are stack addresses

namespace Internal.Runtime.ExceptionHandling
{
    internal static unsafe class FuncletCalls
    {
        /// <summary>Runs a catch handler with the exception in rdi; it returns where the method continues, and the
        /// thunk unlinks the finished dispatches and jumps there with the frame's SP. Never returns.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCallCatchFunclet")]
        public static extern void Catch(object exception, ulong handler, RegisterContext* frame, ExInfo* exInfo);

        /// <summary>Runs a finally (or fault) handler of the frame.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCallFinallyFunclet")]
        public static extern void Finally(ulong handler, RegisterContext* frame, ExInfo* exInfo);

        /// <summary>Runs a `when` filter; nonzero means the clause catches.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCallFilterFunclet")]
        public static extern int Filter(object exception, ulong filter, RegisterContext* frame);
    }
}
