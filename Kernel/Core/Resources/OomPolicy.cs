// OomPolicy.cs -- who pays when user memory runs out. Memory shares decide which group (ESXi's rule: under
// contention, memory is taken back first from the group with the fewest shares per megabyte it holds above its
// reservation; memory within a reservation is never taken), then the world holding the most memory in that group dies
// (ties: the newest, which has done the least work). Kernel groups never kill: their allocations fail.
// Pure logic: unit-tested on the host.
namespace Kernel.Resources
{
    public static class OomPolicy
    {
        /// <summary>Index of the victim among candidates (their ids and bytes held), or -1 if there is none.</summary>
        public static int ChooseVictim(int[] ids, long[] bytes, int count)
        {
            int victim = -1;
            for (int i = 0; i < count; i++)
            {
                if (victim < 0 || bytes[i] > bytes[victim] || (bytes[i] == bytes[victim] && ids[i] > ids[victim]))
                    victim = i;
            }
            return victim;
        }

        /// <summary>
        /// The group to take memory back from when <paramref name="refusing"/> (the group whose limit, or the host's
        /// memory, an allocation hit) is full: starting there, repeatedly descend into the killable child with the most
        /// memory above its reservation per memory share, until no child holds memory above its reservation. The
        /// groups under the refusing one are the ones contending for its memory; shares say how that contention is
        /// settled. Returns <paramref name="refusing"/> itself when no child qualifies, or null when nothing under it
        /// may be killed (kernel groups).
        /// </summary>
        public static ResourceGroup ChooseVictimGroup(ResourceGroup refusing)
        {
            ResourceGroup group = refusing;
            while (true)
            {
                ResourceGroup best = null;
                long bestAbove = 0;
                for (int i = 0; i < group.ChildCount; i++)
                {
                    ResourceGroup child = group.Child(i);
                    long above = child.MemSize - child.MemMin;
                    if (above <= 0 || !KillsOnExhaustion(child))
                        continue;
                    // above / shares > bestAbove / best.shares, without division (sizes < 2^44, shares < 2^20).
                    if (best == null || above * best.MemShares > bestAbove * child.MemShares)
                    {
                        best = child;
                        bestAbove = above;
                    }
                }
                if (best == null)
                    return KillsOnExhaustion(group) ? group : null;
                group = best;
            }
        }

        /// <summary>User groups (under host/user) kill on exhaustion; kernel groups only fail the allocation.</summary>
        public static bool KillsOnExhaustion(ResourceGroup group)
        {
            for (ResourceGroup g = group; g != null; g = g.Parent)
                if (g.Parent != null && g.Parent.Parent == null)
                    return g.Name == "user";
            return false;
        }
    }
}
