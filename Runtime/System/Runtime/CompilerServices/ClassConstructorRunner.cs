// ClassConstructorRunner.cs -- lazy static constructors, called by ILC-generated code before a static base is used.
using System.Runtime.InteropServices;

namespace System.Runtime.CompilerServices
{
    // Contract with ILC: the context lives just before the type's non-GC statics; a zero address means "already run".
    [StructLayout(LayoutKind.Sequential)]
    public struct StaticClassConstructionContext
    {
        public IntPtr cctorMethodAddress;
    }

    internal static unsafe class ClassConstructorRunner
    {
        // Mark first, then run: a constructor that touches its own statics does not recurse. Worlds will need a
        // lock here once static constructors can run on more than one CPU.
        private static void EnsureClassConstructorRun(StaticClassConstructionContext* context)
        {
            IntPtr pfn = context->cctorMethodAddress;
            if (pfn == 0)
                return;
            context->cctorMethodAddress = 0;
            ((delegate*<void>)pfn)();
        }

        private static IntPtr CheckStaticClassConstructionReturnNonGCStaticBase(StaticClassConstructionContext* context, IntPtr nonGcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return nonGcStaticBase;
        }

        private static object CheckStaticClassConstructionReturnGCStaticBase(StaticClassConstructionContext* context, object gcStaticBase)
        {
            EnsureClassConstructorRun(context);
            return gcStaticBase;
        }
    }
}
