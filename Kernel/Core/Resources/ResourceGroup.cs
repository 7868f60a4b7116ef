// ResourceGroup.cs -- one node of the resource group tree (ESXi's `host/system`, `host/vim/...`): memory
// reservation/limit/minLimit/shares, CPU reservation/limit/shares, and what it and its subtree use now.
//
// Units: memory in bytes (the shell shows MB or KB), CPU in percent of one CPU. -1 means unlimited.
using System.Collections.Generic;

namespace Kernel.Resources
{
    public sealed class ResourceGroup
    {
        public const long Unlimited = -1;

        public int Id { get; internal set; }
        public string Name { get; internal set; }
        public ResourceGroup Parent { get; internal set; }
        internal readonly List<ResourceGroup> Children = new List<ResourceGroup>();

        // Memory settings.
        public long MemMin { get; internal set; }
        public long MemMax { get; internal set; } = Unlimited;
        public long MemMinLimit { get; internal set; } = Unlimited;   // cap on the reservations children may take
        public int MemShares { get; internal set; } = 1000;

        // CPU settings (percent of one CPU; shares split contention between sibling groups).
        public int CpuMin { get; internal set; }
        public int CpuMax { get; internal set; } = (int)Unlimited;
        public int CpuShares { get; internal set; } = 1000;

        // Memory in use by this group and everything below it.
        public long MemSize { get; internal set; }
        public long MemSizePeak { get; internal set; }
        /// <summary>Bytes of heap page runs charged to this group itself (part of MemSize): the kernel heap behind
        /// `new` for host/system, the group's own heap behind `new` for its worlds (GroupHeaps), each world's own raw heap.</summary>
        public long HeapSize { get; internal set; }
        public ulong AdmissionFailures { get; internal set; }

        /// <summary>The collected heap `new` uses for this group's worlds (Kernel/Core/Memory/GroupHeaps.cs); null
        /// while the group has none (no worlds, or a kernel group, which allocates from the kernel heap).</summary>
        internal unsafe Internal.Runtime.SizeClassHeap* ManagedHeap;

        // CPU accounting, kept by the scheduler (TSC cycles).
        internal ulong CpuVirtualTime;       // advances by run time / shares: the group with the least runs next
        internal ulong CpuUsedThisPeriod;    // for the limit (CpuMax), reset every scheduling period
        internal bool CpuThrottled;
        public ulong CpuUsedTotal { get; internal set; }

        /// <summary>Worlds placed directly in this group (kept by the scheduler).</summary>
        public int WorldCount { get; internal set; }

        public int ChildCount => Children.Count;
        public ResourceGroup Child(int index) => Children[index];

        /// <summary>The path from the root, `host/vim/vmvisor/shell`.</summary>
        /// <remarks>
        /// Made on first use and kept: a group's name and parent never change after creation, and building it on
        /// every access made a string per level each time (`ps`, `sched-stats` and the admission log read it once
        /// per world or group).
        /// </remarks>
        public string Path => _path ??= Parent == null ? Name : string.Concat(Parent.Path, "/", Name);

        private string _path;

        /// <summary>Sum of the reservations this group has handed to its children.</summary>
        public long ChildReservations
        {
            get
            {
                long total = 0;
                for (int i = 0; i < Children.Count; i++)
                    total += Children[i].MemMin;
                return total;
            }
        }

        /// <summary>
        /// Reserved but not yet used in this subtree: memory every other group must leave alone. A child's unused
        /// reservation counts even when this group reserves nothing itself.
        /// </summary>
        public long UnusedReservation
        {
            get
            {
                long own = MemMin > MemSize ? MemMin - MemSize : 0;
                long children = 0;
                for (int i = 0; i < Children.Count; i++)
                    children += Children[i].UnusedReservation;
                return own > children ? own : children;
            }
        }

        public bool IsAncestorOf(ResourceGroup other)
        {
            for (ResourceGroup g = other; g != null; g = g.Parent)
                if (g == this)
                    return true;
            return false;
        }
    }
}
