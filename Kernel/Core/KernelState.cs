// KernelState.cs -- boot milestones other code checks before relying on them (all plain values: readable at
// any time, even before static data is initialized).
namespace Kernel
{
    public static class KernelState
    {
        /// <summary>The heap works and reference-type statics are allocated.</summary>
        public static bool StaticsReady;

        /// <summary>The kernel's own page tables are loaded.</summary>
        public static bool PagingReady;
    }
}
