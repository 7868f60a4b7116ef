// GroupsLock.cs -- the two locks of the resource group tree.
//
// The charge lock (a spinlock, KernelLock): the tree's links and every memory counter charged with it (a group's
// MemSize and HeapSize, a world's MemBytes/MemPeak and page-run list), which must move together: a charge updates
// a group, every ancestor and the world. ResourceGroupTree takes it around each charge and each link change; it is
// re-entrant, so a caller may hold it around several tree calls. Below the heap's lock (the heap's page source
// charges groups), so nothing may allocate inside it.
//
// The tree mutex (a sleeping Mutex): multi-step administrative changes (`group add`, `run ++group=`, creating a
// ramdisk's groups) allocate while they find and create groups, so they cannot hold a spinlock below the heap's;
// the mutex makes one such change atomic against another. Charges do not take it.
using Internal.Runtime;
using Kernel.Sync;

namespace Kernel.Resources
{
    public static class GroupsLock
    {
        private static KernelLock s_lock;
        private static readonly Mutex s_tree = new Mutex();

        public static ulong Enter() => s_lock.Enter(LockRank.Groups);

        public static void Exit(ulong flags) => s_lock.Exit(flags);

        /// <summary>Serializes a multi-step change of the tree (world context; may allocate inside).</summary>
        public static void LockTree() => s_tree.Lock();

        public static void UnlockTree() => s_tree.Unlock();

        public static ulong Acquisitions => s_lock.Acquisitions;
        public static ulong Contended => s_lock.Contended;
    }
}
