// ThreadExceptionState.cs -- a thread's exception dispatches in flight (the head of its ExInfo chain). The kernel
// keeps one per world and tells the runtime how to find the running world's, so worlds unwind independently and
// there is no global "current exception" (SMP-safe as long as the provider is per CPU).
using System.Runtime.CompilerServices;

#pragma warning disable CS8500 // ExInfo holds the exception object; pointers to it are stack addresses

namespace Internal.Runtime.ExceptionHandling
{
    public unsafe struct ThreadExceptionState
    {
        internal ExInfo* Head;      // offset 0: RhpCallCatchFunclet stores the new head here

        /// <summary>True while an exception is being dispatched or handled on this thread.</summary>
        public bool IsDispatching => Head != null;

        /// <summary>Number of dispatches in flight (nested ones come from handlers that throw).</summary>
        public int Depth
        {
            get
            {
                int n = 0;
                for (ExInfo* e = Head; e != null; e = e->Previous)
                    n++;
                return n;
            }
        }

        /// <summary>The exception the innermost dispatch carries (what `throw;` would rethrow), or null.</summary>
        public object ActiveException => Head != null ? Head->Exception : null;

        /// <summary>Forgets every dispatch (a thread's record being reused for a new thread).</summary>
        public void Reset() => Head = null;

        private static delegate*<ThreadExceptionState*> s_provider;
        private static ThreadExceptionState s_boot;    // the boot thread's, until the scheduler installs a provider

        /// <summary>Installs the function that returns the running thread's state (the scheduler: the current world's).</summary>
        public static void SetProvider(delegate*<ThreadExceptionState*> provider) => s_provider = provider;

        public static ThreadExceptionState* Current
        {
            get
            {
                ThreadExceptionState* state = s_provider != null ? s_provider() : null;
                return state != null ? state : (ThreadExceptionState*)Unsafe.AsPointer(ref s_boot);
            }
        }
    }
}
