// WorldExceptionState.cs -- tells the runtime's exception dispatcher whose dispatches it is looking at: the world
// running on this CPU. Each world keeps its own chain, so worlds throwing at the same time never see each other's
// exceptions (the lookup goes through the per-CPU current world, which is what SMP needs too).
using System.Runtime.CompilerServices;
using Internal.Runtime.ExceptionHandling;

namespace Kernel.Worlds
{
    internal static unsafe class WorldExceptionState
    {
        public static void Install() => ThreadExceptionState.SetProvider(&Current);

        private static ThreadExceptionState* Current()
        {
            World world = Scheduler.Current;
            // World objects never move (no compacting collector) and are pooled, never freed.
            return world == null ? null : (ThreadExceptionState*)Unsafe.AsPointer(ref world.ExceptionState);
        }
    }
}
