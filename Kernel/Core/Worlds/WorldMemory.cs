// WorldMemory.cs -- memory a world takes for itself: whole pages, or blocks from its own heap, all charged to its
// resource group. Past the group's limit the allocation is refused and logged as ESXi does
// (`Admission failure in path: GROUP:NAME.WID`); in a user group the OOM policy then kills the group's largest
// world. Everything goes back when the world dies. The kernel never panics because a pool ran dry.
//
// Why not `new`: `new` is kernel memory (the kernel heap, charged to host/system) because kernel code running on a
// world's behalf (the scheduler's lists, an interrupt handler) must not leave its objects in memory that vanishes
// with the world. A world's own data lives here, where its lifetime is the world's.
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Resources;

namespace Kernel.Worlds
{
    public static class WorldMemory
    {
        private const ulong CountMask = 0xFFF;

        /// <summary>Allocates zeroed pages for the current world (their direct-map address); 0 when refused (or when
        /// this world was the OOM victim it does not return).</summary>
        public static ulong AllocatePages(ulong count)
        {
            World self = Scheduler.Current;
            if (count == 0 || count > CountMask)
                return 0;
            long bytes = (long)(count * PhysicalMemory.PageSize);
            ulong flags = GroupsLock.Enter();
            ResourceGroup refused = Scheduler.Groups.TryCharge(self.Group, bytes);
            GroupsLock.Exit(flags);
            if (refused != null && CollectIfItMayHelp(refused))
            {
                flags = GroupsLock.Enter();
                refused = Scheduler.Groups.TryCharge(self.Group, bytes);
                GroupsLock.Exit(flags);
            }
            if (refused != null)
            {
                OnRefused(self, refused);
                return 0;
            }
            ulong address = DirectMap.ToVirtual(PhysicalMemory.AllocatePages(count));
            if (address == 0)
            {
                Scheduler.Groups.Uncharge(self.Group, bytes);
                Log.Warning("MemSched", string.Concat("Out of physical memory for ", self.Name, string.Concat(".", self.Id.ToString())));
                return 0;
            }
            // Room in the list first: nothing may allocate under the groups lock (it ranks below the heap's).
            if (self.PageRuns.Count == self.PageRuns.Capacity)
                self.PageRuns.Capacity = self.PageRuns.Capacity < 4 ? 4 : self.PageRuns.Capacity * 2;
            flags = GroupsLock.Enter();
            self.PageRuns.Add(address | count);
            self.MemBytes += bytes;
            if (self.MemBytes > self.MemPeak)
                self.MemPeak = self.MemBytes;
            GroupsLock.Exit(flags);
            return address;
        }

        /// <summary>Allocates zeroed bytes from the current world's heap; null when its group refuses the memory.</summary>
        public static unsafe void* Allocate(ulong bytes)
        {
            World self = Scheduler.Current;
            if (self == null || bytes == 0 || bytes > (1UL << 40))
                return null;
            // The heap lock around the heap itself: others free into it and a kill empties it (see Allocator).
            ulong flags = Internal.Runtime.Allocator.LockHeaps();
            s_lastRefused = null;
            void* p = self.HeapPointer->Allocate((nuint)bytes);
            Internal.Runtime.Allocator.UnlockHeaps(flags);
            if (p == null && CollectIfItMayHelp(s_lastRefused))
            {
                flags = Internal.Runtime.Allocator.LockHeaps();
                p = self.HeapPointer->Allocate((nuint)bytes);
                Internal.Runtime.Allocator.UnlockHeaps(flags);
            }
            if (p == null)
                OnRefused(self, self.LastRefusingGroup ?? self.Group);
            return p;
        }

        // The group that refused the last world-heap charge (the page source cannot report it any other way).
        private static ResourceGroup s_lastRefused;

        /// <summary>
        /// A group at its limit gets one collection before the failure path, when a collection can lift the limit:
        /// the refusing group holds the kernel heap's pages (host/system or an ancestor) or this world's group heap
        /// (GroupHeaps: its own `new`), which a collection gives back by emptying slabs. True if a collection ran.
        /// </summary>
        private static unsafe bool CollectIfItMayHelp(ResourceGroup refused)
        {
            ResourceGroup kernelHeapGroup = Scheduler.KernelHeapGroup;
            World self = Scheduler.Current;
            bool holdsKernelHeap = kernelHeapGroup != null && refused != null && refused.IsAncestorOf(kernelHeapGroup);
            bool holdsOwnHeap = refused != null && self != null && self.ManagedHeap != null && refused.IsAncestorOf(self.Group);
            if (!holdsKernelHeap && !holdsOwnHeap)
                return false;
            return Internal.Runtime.GarbageCollector.Collect(Internal.Runtime.CollectionReason.GroupLimit);
        }

        /// <summary>A world's own heap (for `smp-stress`, which allocates raw blocks from it on every CPU under the heap lock).</summary>
        public static unsafe Internal.Runtime.SizeClassHeap* HeapOf(World world) => world.HeapPointer;

        /// <summary>Frees a block from any world's heap (it goes back to the heap it came from).</summary>
        public static unsafe bool Free(void* block)
        {
            ulong flags = Internal.Runtime.Allocator.LockHeaps();
            bool freed = Internal.Runtime.SizeClassHeap.FreeAnywhere(block) == Internal.Runtime.SizeClassHeap.FreeResult.Freed;
            Internal.Runtime.Allocator.UnlockHeaps(flags);
            return freed;
        }

        /// <summary>
        /// Charges pages a user program maps (Kernel/User) to the current world's group, as AllocatePages charges its
        /// runs: past the limit the admission failure is logged and the OOM policy picks a victim (this world, when
        /// it is the largest, does not return). False when refused.
        /// </summary>
        public static bool ChargeUserPages(ulong count)
        {
            World self = Scheduler.Current;
            long bytes = (long)(count * PhysicalMemory.PageSize);
            ulong flags = GroupsLock.Enter();
            ResourceGroup refused = Scheduler.Groups.TryCharge(self.Group, bytes);
            if (refused == null)
            {
                self.MemBytes += bytes;
                if (self.MemBytes > self.MemPeak)
                    self.MemPeak = self.MemBytes;
            }
            GroupsLock.Exit(flags);
            if (refused != null)
                OnRefused(self, refused);
            return refused == null;
        }

        /// <summary>Gives back what ChargeUserPages charged to a world (its own or, at reap, a dead one's).</summary>
        public static void UnchargeUserPages(World world, ulong count)
        {
            long bytes = (long)(count * PhysicalMemory.PageSize);
            ulong flags = GroupsLock.Enter();
            Scheduler.Groups.Uncharge(world.Group, bytes);
            world.MemBytes -= bytes;
            GroupsLock.Exit(flags);
        }

        /// <summary>The heap page source's accounting for world heaps (see KernelHeap.SetAccounting).</summary>
        internal static unsafe bool ChargeHeap(World owner, long bytes)
        {
            ulong flags = GroupsLock.Enter();
            ResourceGroup refused = Scheduler.Groups.TryCharge(owner.Group, bytes);
            bool ok = refused == null;
            owner.LastRefusingGroup = refused;
            s_lastRefused = refused;
            if (ok)
            {
                owner.Group.HeapSize += bytes;
                owner.MemBytes += bytes;
                if (owner.MemBytes > owner.MemPeak)
                    owner.MemPeak = owner.MemBytes;
            }
            GroupsLock.Exit(flags);
            return ok;
        }

        internal static void UnchargeHeap(World owner, long bytes)
        {
            ulong flags = GroupsLock.Enter();
            Scheduler.Groups.Uncharge(owner.Group, bytes);
            owner.Group.HeapSize -= bytes;
            owner.MemBytes -= bytes;
            GroupsLock.Exit(flags);
        }

        // A user world's allocation was refused by `refusing` (its own group's limit, an ancestor's, or the host's
        // memory): memory shares pick the group under `refusing` that gives memory back, and its largest world dies.
        // The policy's own strings (its log lines) come from the kernel heap: the world's group heap is charged to the
        // group that is full, and a refusal inside the refusal path would throw out of a page charge. The world's heap
        // is put back unless the world died here.
        internal static unsafe void OnRefused(World self, ResourceGroup refusing)
        {
            Internal.Runtime.SizeClassHeap* heap = self.ManagedHeap;
            self.ManagedHeap = null;
            ApplyPolicy(self, refusing);
            self.ManagedHeap = heap;
        }

        private static void ApplyPolicy(World self, ResourceGroup refusing)
        {
            Log.Warning("MemSched", string.Concat("Admission failure in path: ", self.Group.Path, ":", self.Name, string.Concat(".", self.Id.ToString())));
            if (!OomPolicy.KillsOnExhaustion(self.Group))
                return;
            ResourceGroup victims = OomPolicy.ChooseVictimGroup(refusing);
            if (victims == null || !KillLargest(victims))
                KillLargest(self.Group);
        }

        /// <summary>Gives back a run this world allocated.</summary>
        public static bool FreePages(ulong address)
        {
            World self = Scheduler.Current;
            ulong flags = GroupsLock.Enter();
            for (int i = 0; i < self.PageRuns.Count; i++)
            {
                ulong run = self.PageRuns[i];
                if ((run & ~CountMask) != address)
                    continue;
                self.PageRuns.RemoveAt(i);
                Release(self, run);
                GroupsLock.Exit(flags);
                return true;
            }
            GroupsLock.Exit(flags);
            return false;
        }

        internal static unsafe void ReleaseAll(World world)
        {
            ulong flags = Internal.Runtime.Allocator.LockHeaps();
            world.HeapPointer->ReleaseAll();
            Internal.Runtime.Allocator.UnlockHeaps(flags);
            flags = GroupsLock.Enter();
            while (world.PageRuns.Count > 0)
            {
                ulong run = world.PageRuns[world.PageRuns.Count - 1];
                world.PageRuns.RemoveAt(world.PageRuns.Count - 1);
                Release(world, run);
            }
            GroupsLock.Exit(flags);
        }

        private static void Release(World world, ulong run)
        {
            ulong count = run & CountMask;
            long bytes = (long)(count * PhysicalMemory.PageSize);
            PhysicalMemory.FreePages(DirectMap.ToPhysical(run & ~CountMask), count);
            Scheduler.Groups.Uncharge(world.Group, bytes);
            world.MemBytes -= bytes;
        }

        private static bool KillLargest(ResourceGroup group)
        {
            World[] all = Scheduler.Snapshot();
            var ids = new int[all.Length];
            var bytes = new long[all.Length];
            var worlds = new World[all.Length];
            int n = 0;
            for (int i = 0; i < all.Length; i++)
            {
                World w = all[i];
                if (!group.IsAncestorOf(w.Group) || w.IsIdle)
                    continue;
                ids[n] = w.Id;
                bytes[n] = w.MemBytes;
                worlds[n++] = w;
            }
            int victim = OomPolicy.ChooseVictim(ids, bytes, n);
            if (victim < 0)
                return false;
            World target = worlds[victim];
            Log.Warning("MemSched", string.Concat("Out of memory in ", group.Path, string.Concat(": killing world ", target.Id.ToString(), " (", target.Name),
                string.Concat(", ", (target.MemBytes / 1024).ToString(), " KB)")));
            Scheduler.Kill(target);
            return true;
        }
    }
}
