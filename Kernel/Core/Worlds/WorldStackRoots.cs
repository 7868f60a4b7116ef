// WorldStackRoots.cs -- tells the collector where the stacks are: every world's kernel stack, from its saved stack
// pointer (or, for the world that is collecting, from its spilled registers) to its top.
//
// Why that range is enough: a world that is not running was switched out by k_switch_world, which pushed its
// callee-saved registers just below the saved stack pointer's target; if it was preempted, the interrupt stub had
// already pushed every general register and the SSE state on the same stack. The collecting world's registers are
// spilled by k_gc_spill_and_call the same way. Device interrupt handlers run on the interrupted world's stack, so a
// collection started inside one scans the interrupted code's frame (registers included) as part of that stack.
// The only stacks that are not a world's are the IST stacks of double faults, NMIs and machine checks, which end
// in the panic screen: a collection asked for there is refused (Report returns false) and the allocation goes on
// without one.
using Internal.Runtime;
using Kernel.Boot;
using Kernel.Memory;

namespace Kernel.Worlds
{
    internal static unsafe class WorldStackRoots
    {
        /// <summary>Enables collections: from now on the collector can find every world's stack.</summary>
        public static void Install() => GarbageCollector.SetStackReporter(&Report);

        private static bool Report(nuint currentStackPointer)
        {
            System.Collections.Generic.List<World> worlds = Scheduler.WorldsForCollector;
            World current = null;
            for (int i = 0; i < worlds.Count && current == null; i++)
                if (Contains(worlds[i], currentStackPointer))
                    current = worlds[i];
            if (current == null)
                return false;
            for (int i = 0; i < worlds.Count; i++)
            {
                World world = worlds[i];
                if (world.Control == null)
                    continue;   // being reaped: its stack is already gone (and it never runs again)
                nuint low = world == current ? currentStackPointer : (nuint)world.Control->SavedRsp;
                // A saved pointer outside the stack would be a scheduler bug; scanning the whole stack is then the
                // safe answer (more words, never fewer).
                if (low < Bottom(world) || low >= Top(world))
                    low = Bottom(world);
                GarbageCollector.ScanStack(low, Top(world));
            }
            return true;
        }

        private static bool Contains(World world, nuint address) => address >= Bottom(world) && address < Top(world);

        // The boot world (world 1, later the shell) runs on the boot stack in the image; every other world on the
        // stack WorldStack allocated (a guard page, then the stack, then its control block, which holds no references).
        private static nuint Bottom(World world)
            => world.StackBase == 0 ? (nuint)(ImageLayout.Current.BootStackGuard + PhysicalMemory.PageSize) : (nuint)(world.StackBase + PhysicalMemory.PageSize);

        private static nuint Top(World world)
            => world.StackBase == 0 ? (nuint)ImageLayout.Current.BootStackTop : (nuint)WorldStack.StackTop(world.StackBase);
    }
}
