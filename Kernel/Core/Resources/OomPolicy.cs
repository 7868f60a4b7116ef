// OomPolicy.cs -- which world dies when a user group runs out of memory: the one holding the most memory in that
// group (ties: the newest, which has done the least work). Kernel groups never kill: their allocations fail.
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
