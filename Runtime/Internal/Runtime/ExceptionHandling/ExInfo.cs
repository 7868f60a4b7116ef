// ExInfo.cs -- one exception dispatch in progress: lives in the dispatcher's stack frame and is linked into its
// thread's chain, newest first, until the catch handler returns. The chain is what `throw;` finds the active
// exception in, and what an exception escaping a handler "collides" with (StackFrameIterator).
using System.Runtime.InteropServices;
using Internal.Runtime.Unwinding;

#pragma warning disable CS8500 // ExInfo holds the exception object; pointers to it are stack addresses

namespace Internal.Runtime.ExceptionHandling
{
    // Explicit layout: RhpCallCatchFunclet (Kernel/Boot/exceptions.asm) reads Previous, Thread and ResumeSp at
    // these offsets to unlink the finished dispatches after a catch handler returns.
    [StructLayout(LayoutKind.Explicit)]
    public unsafe struct ExInfo
    {
        public const int PreviousOffset = 0, ThreadOffset = 8, ResumeSpOffset = 16;

        [FieldOffset(PreviousOffset)] internal ExInfo* Previous;
        [FieldOffset(ThreadOffset)] internal ThreadExceptionState* Thread;
        [FieldOffset(ResumeSpOffset)] internal ulong ResumeSp;          // the catching frame's SP: where execution resumes
        [FieldOffset(24)] internal uint CurrentClause;                   // the clause whose funclet runs now, or NoClause
        [FieldOffset(28)] internal byte PassNumber;
        [FieldOffset(29)] internal ExceptionKind Kind;
        [FieldOffset(32)] internal object Exception;                     // a field of a stack frame: the collector sees it there
        [FieldOffset(40)] internal RegisterContext* ThrowContext;
        [FieldOffset(48)] internal StackFrameIterator FrameIterator;     // pass 2: the frame whose funclet runs
    }
}
