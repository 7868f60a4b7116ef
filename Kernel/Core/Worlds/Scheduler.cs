// Scheduler.cs -- preemptive, timer-driven world scheduling with per-CPU run queues (one CPU today; every piece
// of state hangs off CpuRunQueue, so SMP adds CPUs rather than undoing globals; Kernel.Arch.PerCpu is the
// per-CPU block the assembly reaches through GS).
//
// Policy, in one paragraph (the decisions live in CpuSharePolicy, host-tested): CPU is shared between resource
// groups in proportion to their CPU shares (stride scheduling: a group's virtual time advances by run time / shares
// and the ready world whose group has the least virtual time runs next; worlds of one group take turns), except that
// a group still below its CPU reservation (min, percent of a CPU) in the current period goes first. A group with a CPU limit (max, percent of a CPU) is
// throttled for the rest of the 100 ms period once it used its share of the period, even on an idle machine. A
// slice is 10 ms; the timer tick preempts at slice end, when a group hits its limit, or when the idle world runs
// and something became ready. The idle world runs only when no other world can. Only a world's own group counts
// for shares and limits (a flat view of the tree; documented limitation).
//
// Every switch happens in Schedule() holding the scheduler lock (SchedulerLock: interrupts off, handed from the world
// that switches away to the one that resumes); k_switch_world saves the callee-saved registers and the FPU/SSE state. Interrupt handlers run on the interrupted world's stack, so preemption from the timer interrupt
// is just a Schedule() call on the way out of the handler.
using System.Collections.Generic;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kernel.Arch;
using Kernel.Interrupts;
using Kernel.Logging;
using Kernel.Memory;
using Kernel.Resources;
using Internal.Runtime;
using Kernel.Sync;
using Kernel.Time;

namespace Kernel.Worlds
{
    public static unsafe class Scheduler
    {
        public const ulong SliceTicksDefault = 10;
        public const ulong PeriodMilliseconds = 100;

        private sealed class CpuRunQueue
        {
            public int Index;
            public World Current;
            public World Idle;
            public readonly List<World> Ready = new List<World>();
            public World PendingReap;
            public bool NeedResched;
            public ulong SliceStartTick;
            public CpuSharePolicy Policy;
        }

        private static CpuRunQueue s_cpu;
        private static readonly List<World> s_all = new List<World>();
        private static readonly List<World> s_sleepers = new List<World>();
        // Reaped World objects are kept for reuse rather than freed: without a collector, a world's object may still
        // be referenced (a joiner, a `ps` snapshot); reuse plus the id check in Join keeps that safe, and the pool
        // keeps create/destroy cycles from growing the heap.
        private static readonly List<World> s_pool = new List<World>();
        private static int s_nextId = 1;
        private static ulong s_periodStartTsc;
        private static bool s_running;

        public static ResourceGroupTree Groups { get; private set; }
        public static ulong ContextSwitches { get; private set; }
        public static ulong SliceTicks { get; private set; } = SliceTicksDefault;
        public static bool IsRunning => s_running;
        public static World Current => s_cpu?.Current;
        public static World IdleWorld => s_cpu?.Idle;
        public static int WorldCount => s_all.Count;
        /// <summary>Worlds running or ready, idle excluded (LoadAverage samples it from the tick).</summary>
        public static int RunnableCount => s_cpu == null ? 0 : s_cpu.Ready.Count + (s_cpu.Current != null && !s_cpu.Current.IsIdle && s_cpu.Current.State == WorldState.Running ? 1 : 0);

        /// <summary>The live list itself, for the collector's stack scan only (interrupts are off while it reads).</summary>
        internal static List<World> WorldsForCollector => s_all;

        /// <summary>
        /// The live worlds at one instant. Iterate this, not the scheduler's own list: worlds die (and leave it) on
        /// other worlds' time, so an index into the live list can run past its end between two reads.
        /// </summary>
        public static World[] Snapshot()
        {
            ulong flags = SchedulerLock.Enter();
            World[] worlds = s_all.ToArray();
            SchedulerLock.Exit(flags);
            return worlds;
        }

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_switch_world")]
        private static extern void SwitchWorld(ulong* saveRsp, ulong newRsp, byte* saveFpu, byte* loadFpu);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_world_trampoline_address")]
        private static extern ulong TrampolineAddress();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_fxsave")]
        private static extern void SaveFpu(byte* area);

        /// <summary>
        /// Turns the boot context into world 1 (in <paramref name="bootGroup"/>), creates this CPU's idle world,
        /// and starts preempting on timer ticks.
        /// </summary>
        public static void Initialize(ResourceGroupTree groups, ResourceGroup bootGroup, string bootName)
        {
            Groups = groups;
            ResourceGroupTree.SetCriticalSection(&GroupsLock.Enter, &GroupsLock.Exit);
            s_cpu = new CpuRunQueue { Index = 0, Policy = new CpuSharePolicy(PeriodCycles, SliceTicks * Clock.TscPerTick) };
            var boot = new World
            {
                Id = s_nextId++,
                Name = bootName,
                Type = WorldType.System,
                State = WorldState.Running,
                Group = bootGroup,
                LastStartTsc = Cpu.ReadTimestampCounter(),
            };
            // The boot world runs on the boot stack; its control block lives in a page of its own.
            boot.Control = (WorldControl*)DirectMap.Pointer(PhysicalMemory.AllocatePage());
            KernelHeap.InitializeHeap(boot.HeapPointer, (void*)boot.OwnerHandle);
            bootGroup.WorldCount++;
            s_all.Add(boot);
            s_cpu.Current = boot;
            SetCurrentIdentity(boot);
            WorldExceptionState.Install();

            World idle = Create("idle0", WorldType.System | WorldType.Idle, groups.Root, &IdleLoop, null, out string error);
            if (idle == null)
                Panic.PanicScreen.Show(string.Concat("cannot create the idle world: ", error));
            s_cpu.Idle = idle;
            s_periodStartTsc = Cpu.ReadTimestampCounter();
            Clock.SetTickHook(&OnTick);
            InterruptDispatch.SetExitHook(&OnInterruptExit);
            // From now on the kernel heap's pages are charged to the boot world's group (host/system).
            groups.TryCharge(bootGroup, (long)Internal.Runtime.Allocator.Heap.BytesFromPages);
            bootGroup.HeapSize += (long)Internal.Runtime.Allocator.Heap.BytesFromPages;
            s_kernelHeapGroup = bootGroup;
            KernelHeap.SetAccounting(&ChargeKernelHeap, &UnchargeKernelHeap);
            GroupHeaps.Initialize(groups, bootGroup);
            s_running = true;
            // Every world's stack can now be found: from here on allocation may collect.
            WorldStackRoots.Install();
        }

        private static ResourceGroup s_kernelHeapGroup;

        /// <summary>The group the kernel heap (behind `new`) is charged to: host/system.</summary>
        public static ResourceGroup KernelHeapGroup => s_kernelHeapGroup;

        // The owner cookie of a world heap is a GCHandle to the World object (World.OwnerHandle), of a group heap one
        // to the ResourceGroup (GroupHeaps): the heap lives in unmanaged block headers, where the collector would not
        // see a raw address. The kernel heap (and a retired group heap) has none.
        private static object OwnerOf(Internal.Runtime.SizeClassHeap* heap)
        {
            nint owner = (nint)heap->Owner;
            return owner == 0 ? null : GCHandle.FromIntPtr(owner).Target;
        }

        private static bool ChargeKernelHeap(Internal.Runtime.SizeClassHeap* heap, long bytes)
        {
            object owner = OwnerOf(heap);
            if (owner is World world)
                return WorldMemory.ChargeHeap(world, bytes);
            if (owner is ResourceGroup group)
                return GroupHeaps.Charge(group, bytes);
            // Kernel memory: host/system has a reservation no other group can take and no limit; a request that may
            // fail leaves KernelHeap.ReserveBytes of it for the kernel's own allocations.
            ulong flags = GroupsLock.Enter();
            bool ok = (!KernelHeap.RequestKeepsReserve(heap) || Groups.CanCharge(s_kernelHeapGroup, bytes + (long)KernelHeap.ReserveBytes))
                && Groups.TryCharge(s_kernelHeapGroup, bytes) == null;
            if (ok)
                s_kernelHeapGroup.HeapSize += bytes;
            GroupsLock.Exit(flags);
            return ok;
        }

        private static void UnchargeKernelHeap(Internal.Runtime.SizeClassHeap* heap, long bytes)
        {
            object owner = OwnerOf(heap);
            if (owner is World world)
            {
                WorldMemory.UnchargeHeap(world, bytes);
                return;
            }
            if (owner is ResourceGroup group)
            {
                GroupHeaps.Uncharge(group, bytes);
                return;
            }
            ulong flags = GroupsLock.Enter();
            Groups.Uncharge(s_kernelHeapGroup, bytes);
            s_kernelHeapGroup.HeapSize -= bytes;
            GroupsLock.Exit(flags);
        }

        private static void IdleLoop(object unused)
        {
            while (true)
                Cpu.EnableInterruptsAndHalt();
        }

        /// <summary>Creates a world (not yet runnable: call <see cref="Start"/>). Null with a reason when refused.</summary>
        public static World Create(string name, WorldType type, ResourceGroup group, delegate*<object, void> entry, object argument, out string error)
        {
            error = null;
            long stackBytes = (long)(WorldStack.TotalPages * PhysicalMemory.PageSize);
            ResourceGroup refused = (type & WorldType.Idle) != 0 ? null : Groups.TryCharge(group, stackBytes);
            if (refused != null)
            {
                error = string.Concat("Admission failure in path: ", refused.Path, ":", name, " (world stack)");
                Log.Warning("World", error);
                return null;
            }
            ulong stackBase = WorldStack.Allocate();
            if (stackBase == 0)
            {
                Groups.Uncharge(group, stackBytes);
                error = "out of memory for the world's stack";
                return null;
            }
            ulong flags = SchedulerLock.Enter();
            World world = s_pool.Count > 0 ? s_pool[s_pool.Count - 1] : null;
            if (world != null)
                s_pool.RemoveAt(s_pool.Count - 1);
            SchedulerLock.Exit(flags);
            world ??= new World();
            world.Reset();
            world.Name = name;
            world.Type = type;
            world.Group = group;
            world.StackBase = stackBase;
            world.Control = WorldStack.Control(stackBase);
            world.Entry = entry;
            world.Argument = argument;
            world.State = WorldState.Waiting;
            world.CreatedTick = Clock.Ticks;
            world.MemBytes = stackBytes;
            world.MemPeak = stackBytes;
            KernelHeap.InitializeHeap(world.HeapPointer, (void*)world.OwnerHandle);
            // Initial stack: six zeroed callee-saved registers, then the trampoline as k_switch_world's return.
            ulong* sp = (ulong*)WorldStack.StackTop(stackBase);
            *--sp = 0;
            *--sp = TrampolineAddress();
            for (int i = 0; i < 6; i++)
                *--sp = 0;
            world.Control->SavedRsp = (ulong)sp;
            SaveFpu(world.Control->Fpu);    // a clean copy of the current control words for the new world

            flags = SchedulerLock.Enter();
            world.Id = s_nextId++;
            world.CartelId = (type & WorldType.User) != 0 ? world.Id : 0;
            world.ManagedHeap = GroupHeaps.For(group, type);
            group.WorldCount++;
            s_all.Add(world);
            SchedulerLock.Exit(flags);
            return world;
        }

        public static void Start(World world)
        {
            ulong flags = SchedulerLock.Enter();
            if (world.State == WorldState.Waiting && world.WaitingOn == null)
                MakeReady(world);
            SchedulerLock.Exit(flags);
        }

        /// <summary>Creates and starts a world; null (with the reason logged) when refused.</summary>
        public static World Spawn(string name, WorldType type, ResourceGroup group, delegate*<object, void> entry, object argument)
        {
            World world = Create(name, type, group, entry, argument, out _);
            if (world != null)
                Start(world);
            return world;
        }

        [UnmanagedCallersOnly(EntryPoint = "KWorldStart")]
        private static void WorldStart()
        {
            ReapPending();
            World self = s_cpu.Current;
            // The world that switched here held the scheduler lock (it is held across every switch): a new world
            // has no caller to give it back, so it lets go of every level here.
            SchedulerLock.ReleaseAll();
            Cpu.EnableInterrupts();
            self.Entry(self.Argument);
            Exit(0);
        }

        internal static void MakeReady(World world)
        {
            if (world.State == WorldState.Dead || world.State == WorldState.Ready || world.State == WorldState.Running)
                return;
            s_sleepers.Remove(world);
            world.WaitingOn = null;
            world.State = WorldState.Ready;
            World running = s_cpu.Current;
            s_cpu.Policy.OnReady(world.Group, s_cpu.Ready, running == null || running.IsIdle || running.State != WorldState.Running ? null : running.Group);
            s_cpu.Ready.Add(world);
            if (s_cpu.Current.IsIdle)
                s_cpu.NeedResched = true;
        }

        /// <summary>Moves the running world to another group (and renames it): used when the boot world becomes the shell.</summary>
        public static void MoveCurrent(ResourceGroup group, string name)
        {
            if (group == null)
                return;
            ulong flags = SchedulerLock.Enter();
            ulong groupFlags = GroupsLock.Enter();
            World self = s_cpu.Current;
            if (self.MemBytes > 0)
            {
                Groups.Uncharge(self.Group, self.MemBytes);
                Groups.TryCharge(group, self.MemBytes);
            }
            long heapBytes = (long)self.HeapPointer->BytesFromPages;
            self.Group.HeapSize -= heapBytes;
            group.HeapSize += heapBytes;
            ResourceGroup previous = self.Group;
            previous.WorldCount--;
            group.WorldCount++;
            self.Group = group;
            self.Name = name;
            SetCurrentIdentity(self);
            GroupsLock.Exit(groupFlags);
            // The heaps after the groups lock (GroupHeaps takes the handle and heap locks, which rank below it).
            if (previous.WorldCount == 0)
                GroupHeaps.Retire(previous);
            self.ManagedHeap = GroupHeaps.For(group, self.Type);
            SchedulerLock.Exit(flags);
        }

        /// <summary>Gives up the CPU to any other ready world.</summary>
        public static void Yield()
        {
            ulong flags = SchedulerLock.Enter();
            Schedule();
            SchedulerLock.Exit(flags);
        }

        /// <summary>Sleeps at least <paramref name="milliseconds"/> by the TSC (never returns early); wakes on the
        /// first timer tick after the deadline.</summary>
        public static void Sleep(ulong milliseconds)
        {
            ulong flags = SchedulerLock.Enter();
            World self = s_cpu.Current;
            self.WakeTsc = Cpu.ReadTimestampCounter() + milliseconds * Clock.TscHz / 1000;
            self.State = WorldState.Sleeping;
            s_sleepers.Add(self);
            Schedule();
            SchedulerLock.Exit(flags);
        }

        internal static bool BlockCurrent(WaitQueue queue, ulong timeoutTicks)
        {
            World self = s_cpu.Current;
            if (self == null)
            {
                // Before the scheduler runs there is nobody to switch to: wait for an interrupt instead.
                Cpu.EnableInterruptsAndHalt();
                Cpu.DisableInterrupts();
                return true;
            }
            self.State = WorldState.Waiting;
            self.WaitingOn = queue;
            self.WaitTimedOut = false;
            queue.Enqueue(self);
            if (timeoutTicks > 0)
            {
                self.WakeTsc = Cpu.ReadTimestampCounter() + timeoutTicks * Clock.TscPerTick;
                s_sleepers.Add(self);
            }
            Schedule();
            bool timedOut = self.WaitTimedOut;
            self.WaitTimedOut = false;
            return !timedOut;
        }

        private static delegate*<World, void> s_reapHook;

        /// <summary>Runs for every world as it is reaped (on another world's stack): user worlds free their address
        /// space there.</summary>
        public static void SetReapHook(delegate*<World, void> hook) => s_reapHook = hook;

        /// <summary>Ends the current world. Never returns.</summary>
        public static void Exit(int status)
        {
            SchedulerLock.Enter();   // never left: the next world takes the lock over
            World self = s_cpu.Current;
            self.ExitStatus = status;
            Finish(self);
            s_cpu.PendingReap = self;
            Schedule();
            Panic.PanicScreen.Show("a dead world was scheduled again");
        }

        /// <summary>
        /// Kills a world: it never runs again, its memory goes back, its joiners are released. A world that holds a
        /// mutex is in the middle of changing what the mutex protects (VisorFS, the group tree, a `lock` block), so it
        /// is not stopped there: the kill is recorded and the world ends as it releases its last mutex
        /// (<see cref="ExitIfKillPending"/>), leaving the protected state whole. Returns false if the world was
        /// already dead; true if it is dead now or will die at its last unlock (<see cref="World.KillRequested"/>).
        /// </summary>
        public static bool Kill(World world, int status = -9) => Kill(world, status, force: false);

        /// <summary>
        /// Kills a world at once even if it holds mutexes (they are released to their next waiters, and the state
        /// they protected may be half-changed). For an operator whose deferred kill did not finish: a world that
        /// holds a mutex and never lets go.
        /// </summary>
        public static bool KillNow(World world, int status = -9) => Kill(world, status, force: true);

        /// <summary>
        /// Kills a world and waits up to <paramref name="graceMilliseconds"/> for it to end; a world still inside a
        /// mutex by then is ended with <see cref="KillNow"/> (<paramref name="forced"/>). False if it was not alive.
        /// </summary>
        public static bool Terminate(World world, int graceMilliseconds, out bool forced)
        {
            forced = false;
            ulong generation = world.Generation;
            if (!Kill(world))
                return false;
            for (int waited = 0; waited < graceMilliseconds && !HasEnded(world, generation); waited += 10)
                Sleep(10);
            if (!HasEnded(world, generation))
                forced = KillNow(world);
            return true;
        }

        private static bool HasEnded(World world, ulong generation) =>
            world.Generation != generation || world.State == WorldState.Dead;

        private static bool Kill(World world, int status, bool force)
        {
            if (world == null || world.IsIdle || world.StackBase == 0)
                return false;
            ulong flags = SchedulerLock.Enter();
            if (world.State == WorldState.Dead)
            {
                SchedulerLock.Exit(flags);
                return false;
            }
            if (!world.KillRequested)
                world.PendingKillStatus = status;
            world.KillRequested = true;
            if (!force && world.HeldMutexes.Count > 0)
            {
                SchedulerLock.Exit(flags);
                return true;
            }
            if (world == s_cpu.Current)
                Exit(world.PendingKillStatus);
            s_cpu.Ready.Remove(world);
            s_sleepers.Remove(world);
            world.WaitingOn?.Remove(world);
            world.WaitingOn = null;
            world.ExitStatus = world.PendingKillStatus;
            Finish(world);
            Reap(world);
            SchedulerLock.Exit(flags);
            return true;
        }

        /// <summary>
        /// Ends the current world if a kill was deferred while it held mutexes and it now holds none (Mutex.Unlock
        /// calls this after its last release). Not while this CPU holds a spinlock: a world must never die inside a
        /// spinlock's section; such a world is ended by the next kill of it instead.
        /// </summary>
        internal static void ExitIfKillPending()
        {
            World self = s_cpu.Current;
            if (self == null || !self.KillRequested || self.HeldMutexes.Count > 0 || self.IsIdle)
                return;
            if (Internal.Runtime.LockChecks.HeldByThisCpu != 0)
                return;
            Exit(self.PendingKillStatus);
        }

        /// <summary>Waits until a world has exited; returns its exit status (-1 if its object was reused meanwhile).</summary>
        public static int Join(World world)
        {
            ulong flags = SchedulerLock.Enter();
            ulong generation = world.Generation;
            while (world.Generation == generation && world.State != WorldState.Dead)
                world.Exited.Wait();
            int status = world.Generation == generation ? world.ExitStatus : -1;
            SchedulerLock.Exit(flags);
            return status;
        }

        public static World Find(int id)
        {
            ulong flags = SchedulerLock.Enter();
            World found = null;
            for (int i = 0; i < s_all.Count && found == null; i++)
                if (s_all[i].Id == id)
                    found = s_all[i];
            SchedulerLock.Exit(flags);
            return found;
        }

        private static void Finish(World world)
        {
            world.State = WorldState.Dead;
            while (world.HeldMutexes.Count > 0)
                world.HeldMutexes[world.HeldMutexes.Count - 1].Release(world);
            world.Exited.WakeAll();
        }

        private static void ReapPending()
        {
            World dead = s_cpu.PendingReap;
            if (dead == null)
                return;
            s_cpu.PendingReap = null;
            Reap(dead);
        }

        // Returns everything a dead world held. Runs on another world's stack.
        private static void Reap(World world)
        {
            if (s_reapHook != null)
                s_reapHook(world);
            WorldMemory.ReleaseAll(world);
            long stackBytes = (long)(WorldStack.TotalPages * PhysicalMemory.PageSize);
            WorldStack.Free(world.StackBase);
            if (!world.IsIdle)
                Groups.Uncharge(world.Group, stackBytes);
            world.MemBytes -= stackBytes;
            world.StackBase = 0;
            world.Control = null;
            world.Group.WorldCount--;
            if (world.Group.WorldCount == 0)
                GroupHeaps.Retire(world.Group);
            s_all.Remove(world);
            s_pool.Add(world);   // keeps Id and ExitStatus readable until reused (Reset bumps Generation)
        }

        private static void Account(World world, ulong now)
        {
            ulong delta = now - world.LastStartTsc;
            world.LastStartTsc = now;
            world.RunCycles += delta;
            if (!world.IsIdle)
                s_cpu.Policy.Charge(world.Group, delta);
        }

        private static ulong PeriodCycles => Clock.TscHz * PeriodMilliseconds / 1000;

        private static World PickNext()
        {
            List<World> ready = s_cpu.Ready;
            int best = s_cpu.Policy.Pick(ready, Cpu.ReadTimestampCounter());
            if (best < 0)
                return null;
            World next = ready[best];
            ready.RemoveAt(best);
            return next;
        }

        // The one place worlds change. The scheduler lock is held (so interrupts are off).
        private static void Schedule()
        {
            CpuRunQueue cpu = s_cpu;
            World previous = cpu.Current;
            ulong now = Cpu.ReadTimestampCounter();
            Account(previous, now);
            if (previous.State == WorldState.Running && !previous.IsIdle)
            {
                previous.State = WorldState.Ready;
                cpu.Ready.Add(previous);
            }
            World next = PickNext() ?? cpu.Idle;
            next.State = WorldState.Running;
            next.LastStartTsc = now;
            cpu.Current = next;
            cpu.NeedResched = false;
            cpu.SliceStartTick = Clock.Ticks;
            if (next == previous)
                return;
            ContextSwitches++;
            next.Switches++;
            SetCurrentIdentity(next);
            WorldCpuState.Load(next);
            // Only the scheduler's lock may be held across a switch (it is handed to the next world); any other
            // spinlock would stay held by a world that is not running. Counted for `locks` and the tests.
            LockChecks.CheckBeforeBlocking(LockRank.Scheduler);
            int depth = SchedulerLock.Depth;
            SwitchWorld(&previous.Control->SavedRsp, next.Control->SavedRsp, previous.Control->Fpu, next.Control->Fpu);
            // Running as `previous` again (or never, if it died), holding the lock at the depth it switched away with.
            SchedulerLock.ResumeHolding(depth);
            ReapPending();
        }

        private static void SetCurrentIdentity(World world)
        {
            CurrentWorld.Id = world.Id;
            CurrentWorld.Name = world.Name;
        }

        // Timer interrupt (interrupts off): wake sleepers, fire timers, account, enforce limits and slices.
        private static void OnTick(ulong ticks)
        {
            if (!s_running || Internal.Runtime.ThisCpu.Index != 0)
                return;
            ulong flags = SchedulerLock.Enter();
            Tick(ticks);
            SchedulerLock.Exit(flags);
        }

        private static void Tick(ulong ticks)
        {
            CpuRunQueue cpu = s_cpu;
            // Deadlines are in TSC time: under emulation the timer interrupt can arrive late and then in bursts,
            // so counting ticks could end a sleep early by the clock; the TSC cannot.
            ulong now = Cpu.ReadTimestampCounter();
            for (int i = s_sleepers.Count - 1; i >= 0; i--)
            {
                World w = s_sleepers[i];
                if (w.WakeTsc > now)
                    continue;
                s_sleepers.RemoveAt(i);
                if (w.State == WorldState.Waiting && w.WaitingOn != null)
                {
                    w.WaitingOn.Remove(w);
                    w.WaitTimedOut = true;
                }
                MakeReady(w);
            }
            KernelTimer.FireDue(now);
            // Periods are measured on the TSC, like the usage they limit: counting timer ticks, which can arrive late
            // and then in a burst under emulation, would stretch or shrink the period the limit is a share of.
            if (now - s_periodStartTsc >= PeriodCycles)
            {
                s_periodStartTsc = now;
                if (cpu.Policy.StartPeriod(Groups, now))
                    cpu.NeedResched = true;
            }
            World current = cpu.Current;
            Account(current, Cpu.ReadTimestampCounter());
            if (CpuSharePolicy.ShouldPreempt(current.Group, current.IsIdle, ticks - cpu.SliceStartTick, SliceTicks, cpu.Ready.Count > 0))
                cpu.NeedResched = true;
        }

        // On the way out of every device interrupt (after EOI): preempt if the tick asked for it.
        private static void OnInterruptExit()
        {
            // Worlds run on cpu0 only: an interrupt on a parked CPU (its wake-up IPI) never switches worlds.
            if (!s_running || !s_cpu.NeedResched || Internal.Runtime.ThisCpu.Index != 0)
                return;
            ulong flags = SchedulerLock.Enter();
            if (s_cpu.NeedResched)
                Schedule();
            SchedulerLock.Exit(flags);
        }
    }
}
