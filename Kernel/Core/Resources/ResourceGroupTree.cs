// ResourceGroupTree.cs -- the resource group tree and its arithmetic: creation with admission control, memory
// charging against limits and sibling reservations, and removal.
//
// The rules (what a reviewer should check):
//  - Capacity(g) = min(g.MemMax, Capacity(parent)); the root's capacity is the memory the kernel can hand out.
//  - Admission: a group's reservation must fit its parent's unreserved memory:
//      parent.ChildReservations + min <= Capacity(parent), and <= parent.MemMinLimit when that is set,
//    and min <= max for the group itself. A refused change leaves the tree as it was.
//  - Charging `bytes` to group c succeeds only if no group on the path exceeds its own limit (the root's is all
//    memory), and at the charged group and every ancestor a
//      a.MemSize + bytes + (unused reservations of every subtree under a that is off the charged path) <= Capacity(a),
//    so one group never eats memory another group reserved. The group that refuses is reported.
// Pure logic (no kernel dependencies): unit-tested on the host.
using System.Collections.Generic;

namespace Kernel.Resources
{
    public enum GroupError
    {
        None,
        NotFound,
        Exists,
        BadName,
        ReservationExceedsLimit,
        ReservationDoesNotFit,
        CpuReservationDoesNotFit,
        ReservationAboveMinLimit,
        LimitBelowUsage,
        HasChildren,
        HasWorlds,
        IsRoot,
    }

    public sealed unsafe class ResourceGroupTree
    {
        // The kernel reads the tree from interrupt handlers (charging heap pages, the scheduler's period reset) and from
        // every CPU, so structural changes and charges run inside a critical section the kernel installs (the groups
        // lock, Kernel/Core/Resources/GroupsLock.cs; re-entrant, so callers may hold it around several calls); host
        // tests have none.
        private static delegate*<ulong> s_enterCritical;
        private static delegate*<ulong, void> s_exitCritical;

        public static void SetCriticalSection(delegate*<ulong> enter, delegate*<ulong, void> exit)
        {
            s_enterCritical = enter;
            s_exitCritical = exit;
        }

        private static ulong EnterCritical() => s_enterCritical != null ? s_enterCritical() : 0;

        private static void ExitCritical(ulong state)
        {
            if (s_exitCritical != null)
                s_exitCritical(state);
        }

        private readonly List<ResourceGroup> _all = new List<ResourceGroup>();
        private int _nextId;

        public ResourceGroup Root { get; }
        public long TotalMemory { get; private set; }

        public ResourceGroupTree(long totalMemory)
        {
            TotalMemory = totalMemory;
            Root = new ResourceGroup { Id = _nextId++, Name = "host" };
            _all.Add(Root);
        }

        public int Count => _all.Count;
        public ResourceGroup At(int index) => _all[index];

        /// <summary>Builds ESXi's standard groups: host/system, host/vim, host/iofilters, host/user (gids 1-4).</summary>
        public static ResourceGroupTree CreateStandard(long totalMemory)
        {
            var tree = new ResourceGroupTree(totalMemory);
            tree.Add(tree.Root, "system", 0, ResourceGroup.Unlimited, out _);
            tree.Add(tree.Root, "vim", 0, ResourceGroup.Unlimited, out _);
            tree.Add(tree.Root, "iofilters", 0, ResourceGroup.Unlimited, out _);
            tree.Add(tree.Root, "user", 0, ResourceGroup.Unlimited, out _);
            return tree;
        }

        public static string Describe(GroupError error) => error switch
        {
            GroupError.None => "ok",
            GroupError.NotFound => "no such group",
            GroupError.Exists => "group already exists",
            GroupError.BadName => "invalid group name",
            GroupError.ReservationExceedsLimit => "reservation (min) is larger than the limit (max)",
            GroupError.ReservationDoesNotFit => "reservation does not fit the parent's unreserved memory",
            GroupError.CpuReservationDoesNotFit => "CPU reservation does not fit the host's unreserved CPU (90% of it may be reserved)",
            GroupError.ReservationAboveMinLimit => "reservation exceeds the parent's minLimit",
            GroupError.LimitBelowUsage => "limit is below the memory the group already uses",
            GroupError.HasChildren => "group has child groups",
            GroupError.HasWorlds => "group still has worlds",
            GroupError.IsRoot => "the root group cannot be changed that way",
            _ => "error",
        };

        public long Capacity(ResourceGroup group)
        {
            long capacity = TotalMemory;
            for (ResourceGroup g = group; g != null; g = g.Parent)
                if (g.MemMax != ResourceGroup.Unlimited && g.MemMax < capacity)
                    capacity = g.MemMax;
            return capacity;
        }

        /// <summary>
        /// The most memory <paramref name="group"/> could ever hold: its capacity, less at every level up the tree
        /// what the other groups there have reserved (their reservations are never given to it).
        /// </summary>
        public long MaxAttainable(ResourceGroup group)
        {
            long most = Capacity(group);
            ResourceGroup child = group;
            for (ResourceGroup p = group.Parent; p != null; child = p, p = p.Parent)
            {
                long room = Capacity(p);
                for (int i = 0; i < p.Children.Count; i++)
                    if (p.Children[i] != child)
                        room -= EffectiveReservation(p.Children[i]);
                if (room < most)
                    most = room;
            }
            return most < 0 ? 0 : most;
        }

        /// <summary>Memory a new reservation under this group could still take.</summary>
        public long AvailableReservation(ResourceGroup group)
        {
            long available = Capacity(group) - group.ChildReservations;
            if (group.MemMinLimit != ResourceGroup.Unlimited && group.MemMinLimit - group.ChildReservations < available)
                available = group.MemMinLimit - group.ChildReservations;
            return available < 0 ? 0 : available;
        }

        /// <summary>Finds a group by path (`host/vim/vmvisor`); a path without the `host/` prefix is under `host/`.</summary>
        public ResourceGroup Find(string path)
        {
            if (path == null || path.Length == 0)
                return null;
            if (path == "host")
                return Root;
            string rest = path.StartsWith("host/") ? path.Substring(5) : path;
            ResourceGroup current = Root;
            int start = 0;
            while (start <= rest.Length && current != null)
            {
                int slash = rest.IndexOf('/', start);
                int end = slash < 0 ? rest.Length : slash;
                if (end == start)
                    return null;
                current = FindChild(current, rest.Substring(start, end - start));
                if (slash < 0)
                    break;
                start = slash + 1;
            }
            return current;
        }

        public static ResourceGroup FindChild(ResourceGroup parent, string name)
        {
            for (int i = 0; i < parent.Children.Count; i++)
                if (parent.Children[i].Name == name)
                    return parent.Children[i];
            return null;
        }

        public GroupError Add(ResourceGroup parent, string name, long min, long max, out ResourceGroup created)
        {
            created = null;
            if (!IsValidName(name))
                return GroupError.BadName;
            if (FindChild(parent, name) != null)
                return GroupError.Exists;
            GroupError error = CheckReservation(parent, null, min, max);
            if (error != GroupError.None)
                return error;
            created = new ResourceGroup { Id = _nextId++, Name = name, Parent = parent, MemMin = min, MemMax = max };
            // Room first: the critical section is a spinlock below the heap's in the kernel's lock order, so nothing
            // inside it may allocate.
            ReserveRoom(parent.Children);
            ReserveRoom(_all);
            ulong state = EnterCritical();
            parent.Children.Add(created);
            _all.Add(created);
            ExitCritical(state);
            return GroupError.None;
        }

        private static void ReserveRoom(List<ResourceGroup> list)
        {
            if (list.Count == list.Capacity)
                list.Capacity = list.Capacity < 4 ? 4 : list.Capacity * 2;
        }

        /// <summary>Creates every missing group along a path (for `run ++group=...`), each with no reservation.</summary>
        public GroupError AddPath(string path, out ResourceGroup group)
        {
            group = null;
            string rest = path.StartsWith("host/") ? path.Substring(5) : path;
            ResourceGroup current = Root;
            int start = 0;
            while (true)
            {
                int slash = rest.IndexOf('/', start);
                int end = slash < 0 ? rest.Length : slash;
                string name = rest.Substring(start, end - start);
                ResourceGroup next = FindChild(current, name);
                if (next == null)
                {
                    GroupError error = Add(current, name, 0, ResourceGroup.Unlimited, out next);
                    if (error != GroupError.None)
                        return error;
                }
                current = next;
                if (slash < 0)
                    break;
                start = slash + 1;
            }
            group = current;
            return GroupError.None;
        }

        /// <summary>Changes a group's memory reservation and limit under admission control.</summary>
        public GroupError SetMemory(ResourceGroup group, long min, long max, long minLimit)
        {
            if (group == Root)
                return GroupError.IsRoot;
            if (max != ResourceGroup.Unlimited && max < group.MemSize)
                return GroupError.LimitBelowUsage;
            GroupError error = CheckReservation(group.Parent, group, min, max);
            if (error != GroupError.None)
                return error;
            if (minLimit != ResourceGroup.Unlimited && minLimit < group.ChildReservations)
                return GroupError.ReservationAboveMinLimit;
            group.MemMin = min;
            group.MemMax = max;
            group.MemMinLimit = minLimit;
            return GroupError.None;
        }

        public static void SetShares(ResourceGroup group, int memShares, int cpuShares)
        {
            if (memShares > 0)
                group.MemShares = memShares;
            if (cpuShares > 0)
                group.CpuShares = cpuShares;
        }

        /// <summary>CPU capacity in percent (100 per CPU); the kernel sets it once it knows how many CPUs run.</summary>
        public static int CpuCapacityPercent { get; set; } = 100;

        /// <summary>
        /// Percent of the CPU capacity no reservation may take. The scheduler serves groups below their reservation
        /// before everyone else, so if reservations could cover the whole CPU, the driver worlds, helpers and the
        /// shell (which reserve nothing) could wait a whole period for every keystroke; this headroom guarantees them
        /// time in every period.
        /// </summary>
        public const int CpuUnreservableShare = 10;

        /// <summary>
        /// CPU reservation and limit in percent of one CPU. The scheduler treats groups flat (each world counts
        /// against its own group only), so admission is flat too: the reservations of all groups together must fit
        /// the CPU capacity minus <see cref="CpuUnreservableShare"/>.
        /// </summary>
        public static GroupError SetCpu(ResourceGroup group, int min, int max)
        {
            if (min < 0 || (max != (int)ResourceGroup.Unlimited && (max < 1 || min > max)))
                return GroupError.ReservationExceedsLimit;
            ResourceGroup root = group;
            while (root.Parent != null)
                root = root.Parent;
            int others = TotalCpuReservation(root) - group.CpuMin;
            if (others + min > CpuCapacityPercent * (100 - CpuUnreservableShare) / 100)
                return GroupError.CpuReservationDoesNotFit;
            group.CpuMin = min;
            group.CpuMax = max;
            return GroupError.None;
        }

        private static int TotalCpuReservation(ResourceGroup group)
        {
            int total = group.CpuMin;
            for (int i = 0; i < group.Children.Count; i++)
                total += TotalCpuReservation(group.Children[i]);
            return total;
        }

        // Reservations are expandable, as ESXi's are: a group that reserves less than its children together borrows
        // the difference from its parent, so a reservation must fit at every level up to the root, not only under
        // its parent (a ramdisk reserving 60 MB under host/visorfs, which reserves nothing, takes the 60 MB from
        // host's memory and must fit beside host/system's reservation).
        private GroupError CheckReservation(ResourceGroup parent, ResourceGroup self, long min, long max)
        {
            if (min < 0)
                return GroupError.ReservationDoesNotFit;
            if (max != ResourceGroup.Unlimited && min > max)
                return GroupError.ReservationExceedsLimit;
            long others = parent.ChildReservations - (self == null ? 0 : self.MemMin);
            if (parent.MemMinLimit != ResourceGroup.Unlimited && others + min > parent.MemMinLimit)
                return GroupError.ReservationAboveMinLimit;
            // Memory other groups already hold counts like a reservation: it cannot be taken back (ramdisk pages,
            // kernel memory), so a reservation it leaves no room for could not be honoured.
            long changed = self == null ? min : Max(min, ChildrenEffectiveReservation(self));
            ResourceGroup child = self;
            for (ResourceGroup p = parent; p != null; child = p, p = p.Parent)
            {
                long total = child == null ? changed : Max(changed, child.MemSize);
                for (int i = 0; i < p.Children.Count; i++)
                    if (p.Children[i] != child)
                        total += Max(EffectiveReservation(p.Children[i]), p.Children[i].MemSize);
                if (total > Capacity(p))
                    return GroupError.ReservationDoesNotFit;
                changed = Max(p.MemMin, total);
            }
            return GroupError.None;
        }

        /// <summary>What a group's reservation takes from its parent: its own, or its children's together if more.</summary>
        public static long EffectiveReservation(ResourceGroup group) => Max(group.MemMin, ChildrenEffectiveReservation(group));

        private static long ChildrenEffectiveReservation(ResourceGroup group)
        {
            long total = 0;
            for (int i = 0; i < group.Children.Count; i++)
                total += EffectiveReservation(group.Children[i]);
            return total;
        }

        private static long Max(long a, long b) => a > b ? a : b;

        public GroupError Remove(ResourceGroup group)
        {
            if (group == Root || group.Parent == null)
                return GroupError.IsRoot;
            if (group.Children.Count > 0)
                return GroupError.HasChildren;
            if (group.WorldCount > 0 || group.MemSize > 0)
                return GroupError.HasWorlds;
            ulong state = EnterCritical();
            group.Parent.Children.Remove(group);
            _all.Remove(group);
            ExitCritical(state);
            return GroupError.None;
        }

        /// <summary>Charges memory to a group and its ancestors; returns null on success or the group that refused.</summary>
        public ResourceGroup TryCharge(ResourceGroup group, long bytes)
        {
            // Check and charge in one critical section: two CPUs charging the last free bytes must not both pass.
            ulong state = EnterCritical();
            ResourceGroup refusing = FindRefusing(group, bytes);
            if (refusing != null)
            {
                Refuse(group, refusing);
                ExitCritical(state);
                return refusing;
            }
            for (ResourceGroup g = group; g != null; g = g.Parent)
            {
                g.MemSize += bytes;
                if (g.MemSize > g.MemSizePeak)
                    g.MemSizePeak = g.MemSize;
            }
            ExitCritical(state);
            return null;
        }

        /// <summary>Whether <see cref="TryCharge"/> would accept <paramref name="bytes"/> now (charges nothing).</summary>
        public bool CanCharge(ResourceGroup group, long bytes) => FindRefusing(group, bytes) == null;

        private ResourceGroup FindRefusing(ResourceGroup group, long bytes)
        {
            // Limits first, so the group whose limit binds is the one reported.
            for (ResourceGroup g = group; g != null; g = g.Parent)
            {
                long limit = g.MemMax != ResourceGroup.Unlimited ? g.MemMax : (g.Parent == null ? TotalMemory : long.MaxValue);
                if (g.MemSize + bytes > limit)
                    return g;
            }
            // Then reservations: at every level, the unused reservations of every group off the charged path (siblings
            // all the way down, and the charged group's own children) are off limits.
            long protectedBelow = 0;
            for (int i = 0; i < group.Children.Count; i++)
                protectedBelow += group.Children[i].UnusedReservation;
            if (group.MemSize + bytes + protectedBelow > Capacity(group))
                return group;
            ResourceGroup child = group;
            for (ResourceGroup g = group.Parent; g != null; child = g, g = g.Parent)
            {
                for (int i = 0; i < g.Children.Count; i++)
                    if (g.Children[i] != child)
                        protectedBelow += g.Children[i].UnusedReservation;
                if (g.MemSize + bytes + protectedBelow > Capacity(g))
                    return g;
            }
            return null;
        }

        private static ResourceGroup Refuse(ResourceGroup charged, ResourceGroup refusing)
        {
            charged.AdmissionFailures++;
            return refusing;
        }

        /// <summary>
        /// Charges memory that is already in use and only changes hands (a retired group heap's pages become the
        /// kernel's): no limit or reservation can refuse what exists already.
        /// </summary>
        public void ChargeUnchecked(ResourceGroup group, long bytes)
        {
            ulong state = EnterCritical();
            for (ResourceGroup g = group; g != null; g = g.Parent)
            {
                g.MemSize += bytes;
                if (g.MemSize > g.MemSizePeak)
                    g.MemSizePeak = g.MemSize;
            }
            ExitCritical(state);
        }

        public void Uncharge(ResourceGroup group, long bytes)
        {
            ulong state = EnterCritical();
            for (ResourceGroup g = group; g != null; g = g.Parent)
                g.MemSize -= bytes;
            ExitCritical(state);
        }

        private static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > 64)
                return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.'))
                    return false;
            }
            return true;
        }
    }
}
