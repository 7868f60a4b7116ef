// GroupHeaps.cs -- one collected heap per resource group, so that `new` is charged to the group of the world that
// allocates (ESXi charges a world's memory to its group), while the kernel's own allocations stay in host/system.
//
// Which heap a `new` comes from (Allocator.SetHeapSelector, SelectFor):
//   - interrupts off (interrupt handlers, critical sections): the kernel heap, charged to host/system; they run on
//     the time of whichever world they interrupted, which must not pay for them;
//   - a world in host/system or below it (drivers, helpers, the boot world), the idle worlds: the kernel heap;
//   - any other world: its group's heap, made when the group's first world is created. Its page runs are charged to
//     the group (heapSize in memstats), so a group at its limit refuses the next slab: the allocator then collects
//     once, and if that does not help the request fails (OutOfMemoryException) when it may fail, or is served
//     from the kernel heap when it must not (AllocationFailurePolicy, Allocator.AllocateObject).
//
// Lifetime. Objects outlive the world that made them whenever something else keeps a reference, so a heap is not
// emptied when a world dies. When a group's last world is reaped, its heap is retired: its pages' charge moves to
// host/system (the kernel now holds whatever is still referenced) and the group holds nothing, so a group that
// has no worlds shows memSize 0 and can be removed. A retired heap is swept like any other and is given back (its
// cached slabs too) once it holds no object; the group's next world gets a fresh heap.
//
// The heaps live in pages taken once (a heap's address must never change: its blocks point back to it) and the
// table is fixed: MaxHeaps groups at once allocate from heaps of their own, any further one from the kernel heap
// (logged once). The heaps' slots and the collector's table change under the heap lock (Allocator.LockHeaps), as the
// heaps themselves do; charges under the groups lock (lock order: handles, heap, groups).
using Internal.Runtime;
using Kernel.Logging;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.Memory
{
    public static unsafe class GroupHeaps
    {
        /// <summary>Groups that can have a heap of their own at once (the collector's table holds them plus the kernel's).</summary>
        public const int MaxHeaps = GarbageCollector.MaxHeaps - 8;

        private enum SlotState : byte { Free, InUse, Retired }

        private struct SlotStates
        {
            public fixed byte Values[MaxHeaps];
        }

        private static SizeClassHeap* s_heaps;
        private static SlotStates s_states;
        private static ResourceGroupTree s_groups;
        private static ResourceGroup s_kernelGroup;
        private static bool s_reportedFull;

        /// <summary>Takes the heaps' storage and installs the allocator's selector; until this runs every `new` is
        /// the kernel's. False when there is no memory for the table (everything then stays on the kernel heap).</summary>
        public static bool Initialize(ResourceGroupTree groups, ResourceGroup kernelGroup)
        {
            ulong bytes = (ulong)(MaxHeaps * sizeof(SizeClassHeap));
            ulong pages = (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            ulong storage = PhysicalMemory.AllocatePages(pages);
            if (storage == 0)
                return false;
            s_heaps = (SizeClassHeap*)DirectMap.Pointer(storage);
            s_groups = groups;
            s_kernelGroup = kernelGroup;
            Allocator.SetHeapSelector(&SelectForCurrentWorld);
            return true;
        }

        // The allocator's question, asked with interrupts on (see the file comment): the current world's heap.
        private static SizeClassHeap* SelectForCurrentWorld()
        {
            World self = Scheduler.Current;
            return self == null ? null : self.ManagedHeap;
        }

        /// <summary>
        /// The heap a world placed in <paramref name="group"/> allocates from: the group's (made now if needed), or
        /// null for the kernel heap. Call in the same critical section (the scheduler lock) that counts the world into
        /// the group, so the group cannot lose its last world (and retire the heap) in between.
        /// </summary>
        public static SizeClassHeap* For(ResourceGroup group, WorldType type)
        {
            if (s_heaps == null || group == null || (type & WorldType.Idle) != 0 || group.Parent == null || s_kernelGroup.IsAncestorOf(group))
                return null;
            if (group.ManagedHeap != null)
                return group.ManagedHeap;
            // The owner handle first: taking one may allocate, which takes the heap lock itself (handles rank above it).
            nint owner = System.Runtime.InteropServices.GCHandle.ToIntPtr(System.Runtime.InteropServices.GCHandle.Alloc(group));
            ulong flags = Allocator.LockHeaps();
            GiveBackEmptyRetired();
            int slot = FindSlot(SlotState.Free);
            SizeClassHeap* heap = slot < 0 ? null : s_heaps + slot;
            if (heap != null)
            {
                KernelHeap.InitializeCollectedHeap(heap, (void*)owner);
                if (GarbageCollector.RegisterHeap(heap))
                {
                    s_states.Values[slot] = (byte)SlotState.InUse;
                    group.ManagedHeap = heap;
                }
                else
                {
                    heap = null;
                }
            }
            Allocator.UnlockHeaps(flags);
            if (heap != null)
                return heap;
            System.Runtime.InteropServices.GCHandle.FromIntPtr(owner).Free();
            if (!s_reportedFull)
                Log.Warning("MemSched", string.Concat("Out of group heaps: ", group.Path, " allocates from the kernel heap"));
            s_reportedFull = true;
            return null;
        }

        /// <summary>
        /// The group's last world is gone: its heap's pages are charged to host/system from now on and the group
        /// holds nothing (see the file comment). Under the scheduler lock (the world list is settled).
        /// </summary>
        public static void Retire(ResourceGroup group)
        {
            SizeClassHeap* heap = group.ManagedHeap;
            if (heap == null)
                return;
            group.ManagedHeap = null;
            ulong flags = Allocator.LockHeaps();
            nint owner = (nint)heap->Owner;
            heap->Owner = null;
            long bytes = (long)heap->BytesFromPages;
            ulong groupsFlags = GroupsLock.Enter();
            s_groups.Uncharge(group, bytes);
            group.HeapSize -= bytes;
            s_groups.ChargeUnchecked(s_kernelGroup, bytes);
            s_kernelGroup.HeapSize += bytes;
            GroupsLock.Exit(groupsFlags);
            s_states.Values[heap - s_heaps] = (byte)SlotState.Retired;
            GiveBackEmptyRetired();
            Allocator.UnlockHeaps(flags);
            System.Runtime.InteropServices.GCHandle.FromIntPtr(owner).Free();
        }

        /// <summary>The group a heap's page runs are charged to: its group, or null for the kernel's (retired heaps too).</summary>
        public static ResourceGroup OwnerOf(SizeClassHeap* heap)
        {
            nint owner = (nint)heap->Owner;
            return owner == 0 ? null : System.Runtime.InteropServices.GCHandle.FromIntPtr(owner).Target as ResourceGroup;
        }

        /// <summary>Heaps of groups now, and retired heaps still holding objects (for memstats and tests).</summary>
        public static int InUse => Count(SlotState.InUse);

        public static int Retired => Count(SlotState.Retired);

        /// <summary>Charges a group heap's new page run to its group (the heap page source's accounting).</summary>
        internal static bool Charge(ResourceGroup group, long bytes)
        {
            ulong flags = GroupsLock.Enter();
            ResourceGroup refused = s_groups.TryCharge(group, bytes);
            if (refused == null)
                group.HeapSize += bytes;
            // For the memory policy, should the request fail (AllocationFailurePolicy.OnRefused).
            World self = Scheduler.Current;
            if (self != null)
                self.LastRefusingGroup = refused;
            GroupsLock.Exit(flags);
            return refused == null;
        }

        internal static void Uncharge(ResourceGroup group, long bytes)
        {
            ulong flags = GroupsLock.Enter();
            s_groups.Uncharge(group, bytes);
            group.HeapSize -= bytes;
            GroupsLock.Exit(flags);
        }

        // A retired heap whose objects are all gone gives back its pages (the cached empty slabs) and its slot. Under
        // the heap lock.
        private static void GiveBackEmptyRetired()
        {
            for (int slot = 0; slot < MaxHeaps; slot++)
            {
                SizeClassHeap* heap = s_heaps + slot;
                if (s_states.Values[slot] != (byte)SlotState.Retired || heap->LiveObjects != 0)
                    continue;
                GarbageCollector.UnregisterHeap(heap);
                heap->ReleaseAll();
                s_states.Values[slot] = (byte)SlotState.Free;
            }
        }

        private static int FindSlot(SlotState state)
        {
            for (int slot = 0; slot < MaxHeaps; slot++)
                if (s_states.Values[slot] == (byte)state)
                    return slot;
            return -1;
        }

        private static int Count(SlotState state)
        {
            int count = 0;
            for (int slot = 0; slot < MaxHeaps; slot++)
                if (s_states.Values[slot] == (byte)state)
                    count++;
            return count;
        }
    }
}
