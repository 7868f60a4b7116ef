// Scheduler.cs -- preemptive, timer-driven world scheduling on every CPU (docs/Smp.md).
//
// SMP, first step: each CPU has its own state (CpuRunQueue: its current and idle world, its slice, its reaping, its
// counters), and all CPUs pick from one ready queue under the scheduler lock, which balances load by construction
// (an idle CPU takes whatever is ready) at the cost of one lock for every switch; per-CPU queues with work stealing
// are the next step. A world may be pinned (World.Affinity, `run ++affinity=0,2`). A wake-up that finds an idle CPU
// the world may run on sends that CPU the reschedule IPI. Group CPU shares, reservations and limits are counted in
// CPU time summed over all CPUs, so a limit of 150% is one and a half CPUs, as ESXi counts (capacity: online CPUs x
// 100%).
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

        /// <summary>The reschedule IPI: its handler does nothing, the interrupt's exit hook switches worlds.</summary>
        public const int RescheduleVector = 0xF1;

        private sealed class CpuRunQueue
        {
            public int Index;
            public bool Online;          // runs worlds (cpu0 from Initialize, each AP from EnterOnThisCpu)
            public World Current;
            public World Idle;
            public World PendingReap;
            public bool NeedResched;
            public ulong SliceStartTick;
            // sched-stats: TSC cycles this CPU ran worlds / its idle world; cycles the worlds it picked had waited
            // ready; switches; reschedule IPIs sent to it.
            public ulong BusyCycles, IdleCycles, ReadyCycles, Switches, Kicks;
        }

        // Indexed by CPU (ThisCpu.Index); read with interrupts off, so the reader cannot move to another CPU between
        // finding its index and reading its entry.
        private static readonly CpuRunQueue[] s_cpus = new CpuRunQueue[PerCpu.MaxCpus];
        private static readonly List<World> s_ready = new List<World>();
        private static CpuSharePolicy s_policy;
        private static delegate*<int, void> s_sendReschedule;
        private static int s_onlineCpus = 1;
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
        /// <summary>The world running on this CPU (null before the scheduler starts).</summary>
        public static World Current => OnThisCpu(idle: false);

        public static World IdleWorld => OnThisCpu(idle: true);

        // Reads this CPU's queue with interrupts off, so the caller cannot move to another CPU between finding its
        // CPU and reading that CPU's world.
        private static World OnThisCpu(bool idle)
        {
            if (!s_initialized)
                return null;
            ulong flags = Cpu.SaveAndDisableInterrupts();
            CpuRunQueue q = s_cpus[Internal.Runtime.ThisCpu.Index];
            World world = q == null ? null : idle ? q.Idle : q.Current;
            Cpu.RestoreInterrupts(flags);
            return world;
        }

        /// <summary>CPUs that run worlds.</summary>
        public static int OnlineCpus => s_onlineCpus;

        /// <summary>User programs (ring 3) run on cpu0 only while Kernel/User still guards its structures by turning
        /// interrupts off, which is no lock across CPUs (docs/Smp.md); kernel worlds run everywhere.</summary>
        public static bool UserProgramsOnEveryCpu;

        private static bool s_initialized;

        // The caller has interrupts off (holds the scheduler lock, or is an interrupt handler).
        private static CpuRunQueue This => s_cpus[Internal.Runtime.ThisCpu.Index];

        /// <summary>Per-CPU figures for sched-stats (false past the online CPUs).</summary>
        public static bool CpuStatistics(int cpu, out int currentWorld, out ulong busyCycles, out ulong idleCycles, out ulong readyCycles, out ulong switches, out ulong kicks)
        {
            CpuRunQueue q = (uint)cpu < PerCpu.MaxCpus ? s_cpus[cpu] : null;
            currentWorld = 0;
            busyCycles = idleCycles = readyCycles = switches = kicks = 0;
            if (q == null || !q.Online)
                return false;
            ulong flags = SchedulerLock.Enter();
            currentWorld = q.Current.Id;
            busyCycles = q.BusyCycles;
            idleCycles = q.IdleCycles;
            readyCycles = q.ReadyCycles;
            switches = q.Switches;
            kicks = q.Kicks;
            SchedulerLock.Exit(flags);
            return true;
        }
        public static int WorldCount => s_all.Count;
        /// <summary>Worlds running or ready, idle excluded (LoadAverage samples it from the tick).</summary>
        public static int RunnableCount
        {
            get
            {
                if (!s_initialized)
                    return 0;
                ulong flags = SchedulerLock.Enter();
                int runnable = s_ready.Count;
                for (int i = 0; i < PerCpu.MaxCpus; i++)
                {
                    CpuRunQueue q = s_cpus[i];
                    if (q != null && q.Online && q.Current != null && !q.Current.IsIdle && q.Current.State == WorldState.Running)
                        runnable++;
                }
                SchedulerLock.Exit(flags);
                return runnable;
            }
        }

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
            s_policy = new CpuSharePolicy(PeriodCycles, SliceTicks * Clock.TscPerTick);
            CurrentWorld.Initialize();
            var cpu0 = new CpuRunQueue { Index = 0, Online = true };
            s_cpus[0] = cpu0;
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
            cpu0.Current = boot;
            s_initialized = true;
            SetCurrentIdentity(boot);
            WorldExceptionState.Install();

            World idle = Create("idle0", WorldType.System | WorldType.Idle, groups.Root, &IdleLoop, null, out string error);
            if (idle == null)
                Panic.PanicScreen.Show(string.Concat("cannot create the idle world: ", error));
            idle.Affinity = 1;
            cpu0.Idle = idle;
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

        // Every CPU's idle world: halt until an interrupt (the tick or a reschedule IPI switches to a ready world on
        // its way out); on an application processor, run the work ApWork posted to it first (smp-stress).
        private static void IdleLoop(object unused)
        {
            while (true)
            {
                if (ApWork.RunPostedWork())
                    continue;
                Cpu.EnableInterruptsAndHalt();
            }
        }

        /// <summary>
        /// Creates the idle world of every application processor (on cpu0: creation allocates) and gives each AP
        /// <paramref name="join"/> to run (ApWork), which sets up that CPU and ends in <see cref="EnterOnThisCpu"/>.
        /// </summary>
        public static void StartOtherCpus(delegate*<ulong, void> join, delegate*<int, void> sendReschedule)
        {
            s_sendReschedule = sendReschedule;
            for (int i = 1; i < PerCpu.Count; i++)
            {
                World idle = Create(string.Concat("idle", i.ToString()), WorldType.System | WorldType.Idle, Groups.Root, &IdleLoop, null, out string error);
                if (idle == null)
                {
                    Log.Warning("World", string.Concat("cpu", i.ToString(), " runs no worlds: ", error));
                    continue;
                }
                idle.Affinity = 1UL << i;
                ulong flags = SchedulerLock.Enter();
                s_cpus[i] = new CpuRunQueue { Index = i, Idle = idle };
                SchedulerLock.Exit(flags);
                ApWork.Post(i, join, (ulong)i);
            }
        }

        /// <summary>An application processor starts scheduling: it becomes its idle world. Never returns.</summary>
        public static void EnterOnThisCpu()
        {
            SchedulerLock.Enter();   // handed to the idle world, which lets go of it in KWorldStart
            CpuRunQueue cpu = This;
            World idle = cpu.Idle;
            idle.State = WorldState.Running;
            idle.LastStartTsc = Cpu.ReadTimestampCounter();
            idle.Cpu = cpu.Index;
            cpu.Current = idle;
            cpu.SliceStartTick = Clock.Ticks;
            cpu.Online = true;
            System.Threading.Interlocked.Increment(ref s_onlineCpus);
            SetCurrentIdentity(idle);
            WorldCpuState.Load(idle);
            ulong discardedRsp;
            // The start-up stack is left for good: its registers are saved nowhere that matters, the FPU state into
            // the idle world's own area, which the same switch then loads back.
            SwitchWorld(&discardedRsp, idle.Control->SavedRsp, idle.Control->Fpu, idle.Control->Fpu);
            Panic.PanicScreen.Show("an application processor returned to its start-up stack");
        }

        /// <summary>CPUs running worlds other than the caller's (the collector's stop-the-world count).</summary>
        public static int OtherOnlineCpus() => s_onlineCpus - 1;

        /// <summary>Whether cpuN has entered the scheduler.</summary>
        public static bool RunsWorlds(int cpu) => (uint)cpu < PerCpu.MaxCpus && s_cpus[cpu] != null && s_cpus[cpu].Online;

        /// <summary>The collector parked this CPU at <paramref name="stackPointer"/>: the running world's stack is scanned
        /// from there, like a switched-out world's (WorldStop).</summary>
        public static void RecordParkedStack(nuint stackPointer)
        {
            CpuRunQueue cpu = s_initialized ? This : null;
            World world = cpu?.Current;
            if (world != null && world.Control != null)
                world.Control->SavedRsp = stackPointer;
        }

        // The CPUs `world` may run on: its affinity, and cpu0 alone for a user program (see UserProgramsOnEveryCpu).
        private static ulong CpusFor(World world)
            => UserProgramsOnEveryCpu || world.AddressSpaceRoot == 0 ? world.Affinity : world.Affinity & 1;

        private static bool AllowedOn(World world, int cpu) => (CpusFor(world) >> cpu & 1) != 0;

        private static void Enqueue(World world, ulong now)
        {
            world.ReadySinceTsc = now;
            world.CpuMask = CpusFor(world);
            s_ready.Add(world);
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
            World self = This.Current;
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
            CpuRunQueue here = This;
            World running = here.Current;
            s_policy.OnReady(world.Group, s_ready, running == null || running.IsIdle || running.State != WorldState.Running ? null : running.Group);
            Enqueue(world, Cpu.ReadTimestampCounter());
            Kick(world, here);
        }

        // A world became ready: an idle CPU it may run on should take it now. This CPU if it is idle (the interrupt's
        // exit hook switches), otherwise the first idle one by the reschedule IPI. With every CPU busy it waits for a
        // slice to end (a lower-priority CPU is not preempted yet: docs/Smp.md).
        private static void Kick(World world, CpuRunQueue here)
        {
            if (here != null && here.Current != null && here.Current.IsIdle && AllowedOn(world, here.Index))
            {
                here.NeedResched = true;
                return;
            }
            for (int i = 0; i < PerCpu.MaxCpus; i++)
            {
                CpuRunQueue cpu = s_cpus[i];
                if (cpu == null)
                    break;
                if (cpu == here || !cpu.Online || !cpu.Current.IsIdle || cpu.NeedResched || !AllowedOn(world, i))
                    continue;
                cpu.NeedResched = true;
                cpu.Kicks++;
                if (s_sendReschedule != null)
                    s_sendReschedule(i);
                return;
            }
        }

        /// <summary>Moves the running world to another group (and renames it): used when the boot world becomes the shell.</summary>
        public static void MoveCurrent(ResourceGroup group, string name)
        {
            if (group == null)
                return;
            ulong flags = SchedulerLock.Enter();
            ulong groupFlags = GroupsLock.Enter();
            World self = This.Current;
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
            World self = This.Current;
            self.WakeTsc = Cpu.ReadTimestampCounter() + milliseconds * Clock.TscHz / 1000;
            self.State = WorldState.Sleeping;
            s_sleepers.Add(self);
            Schedule();
            SchedulerLock.Exit(flags);
        }

        internal static bool BlockCurrent(WaitQueue queue, ulong timeoutTicks)
        {
            World self = s_initialized ? This.Current : null;
            if (self == null)
            {
                // Before the scheduler runs there is nobody to switch to: wait for an interrupt instead (boot, one CPU:
                // interrupts off again is the caller's bracket, not a lock).
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
            CpuRunQueue cpu = This;
            World self = cpu.Current;
            self.ExitStatus = status;
            Finish(self);
            cpu.PendingReap = self;
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
            if (world == This.Current)
                Exit(world.PendingKillStatus);
            if (world.State == WorldState.Running)
            {
                // Running on another CPU: its stack is in use there. That CPU ends it at its next interrupt exit
                // (OnInterruptExit), which the reschedule IPI makes immediate.
                CpuRunQueue cpu = s_cpus[world.Cpu];
                cpu.NeedResched = true;
                if (s_sendReschedule != null)
                    s_sendReschedule(world.Cpu);
                SchedulerLock.Exit(flags);
                return true;
            }
            s_ready.Remove(world);
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
            World self = Current;
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
            CpuRunQueue cpu = This;
            World dead = cpu.PendingReap;
            if (dead == null)
                return;
            cpu.PendingReap = null;
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

        private static void Account(CpuRunQueue cpu, World world, ulong now)
        {
            ulong delta = now - world.LastStartTsc;
            world.LastStartTsc = now;
            world.RunCycles += delta;
            if (world.IsIdle)
            {
                cpu.IdleCycles += delta;
                return;
            }
            cpu.BusyCycles += delta;
            s_policy.Charge(world.Group, delta);
        }

        private static ulong PeriodCycles => Clock.TscHz * PeriodMilliseconds / 1000;

        private static World PickNext(CpuRunQueue cpu, ulong now)
        {
            int best = s_policy.Pick(s_ready, now, cpu.Index);
            if (best < 0)
                return null;
            World next = s_ready[best];
            s_ready.RemoveAt(best);
            cpu.ReadyCycles += now - next.ReadySinceTsc;
            return next;
        }

        // Whether a world this CPU may run is ready (the tick's preemption test).
        private static bool AnyReadyFor(int cpu)
        {
            for (int i = 0; i < s_ready.Count; i++)
                if ((s_ready[i].CpuMask >> cpu & 1) != 0)
                    return true;
            return false;
        }

        // The one place worlds change. The scheduler lock is held (so interrupts are off).
        private static void Schedule()
        {
            CpuRunQueue cpu = This;
            World previous = cpu.Current;
            ulong now = Cpu.ReadTimestampCounter();
            Account(cpu, previous, now);
            if (previous.KillRequested && previous.HeldMutexes.Count == 0 && !previous.IsIdle && previous.State != WorldState.Dead)
            {
                // Killed from another CPU while it ran here, and switching away before this CPU's interrupt exit
                // ended it: it ends now, and the next world reaps it (its stack is free once the switch is done).
                s_sleepers.Remove(previous);
                previous.WaitingOn?.Remove(previous);
                previous.WaitingOn = null;
                previous.ExitStatus = previous.PendingKillStatus;
                Finish(previous);
                cpu.PendingReap = previous;
            }
            if (previous.State == WorldState.Running && !previous.IsIdle)
            {
                previous.State = WorldState.Ready;
                Enqueue(previous, now);
            }
            World next = PickNext(cpu, now) ?? cpu.Idle;
            next.State = WorldState.Running;
            next.LastStartTsc = now;
            next.Cpu = cpu.Index;
            cpu.Current = next;
            cpu.NeedResched = false;
            cpu.SliceStartTick = Clock.Ticks;
            if (next == previous)
                return;
            ContextSwitches++;
            cpu.Switches++;
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

        // Timer interrupt (interrupts off), on every CPU with its own local APIC timer: cpu0 also wakes sleepers,
        // fires timers and starts periods; each CPU accounts its running world and enforces its limit and slice.
        private static void OnTick(ulong ticks)
        {
            if (!s_running)
                return;
            CpuRunQueue cpu = This;
            if (cpu == null || !cpu.Online)
                return;
            ulong flags = SchedulerLock.Enter();
            if (cpu.Index == 0)
                Tick(ticks);
            CheckRunning(cpu, ticks);
            SchedulerLock.Exit(flags);
        }

        private static void CheckRunning(CpuRunQueue cpu, ulong ticks)
        {
            World current = cpu.Current;
            Account(cpu, current, Cpu.ReadTimestampCounter());
            if (current.KillRequested && !current.IsIdle)
                cpu.NeedResched = true;
            else if (CpuSharePolicy.ShouldPreempt(current.Group, current.IsIdle, ticks - cpu.SliceStartTick, SliceTicks, AnyReadyFor(cpu.Index)))
                cpu.NeedResched = true;
        }

        private static void Tick(ulong ticks)
        {
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
                // Throttled groups may run again: every CPU looks at the queue at its next tick; idle ones now.
                if (s_policy.StartPeriod(Groups, now))
                    for (int i = 0; i < s_ready.Count; i++)
                        Kick(s_ready[i], This);
            }
        }

        // On the way out of every device interrupt (after EOI): preempt if the tick or a wake-up asked for it, and end
        // a world another CPU killed while it ran here.
        private static void OnInterruptExit()
        {
            if (!s_running)
                return;
            CpuRunQueue cpu = This;
            // A CPU that runs no worlds (parked, or not yet entered) never switches.
            if (cpu == null || !cpu.Online || !cpu.NeedResched)
                return;
            ulong flags = SchedulerLock.Enter();
            World current = cpu.Current;
            if (current.KillRequested && current.HeldMutexes.Count == 0 && !current.IsIdle && current.State == WorldState.Running)
                Exit(current.PendingKillStatus);
            if (cpu.NeedResched)
                Schedule();
            SchedulerLock.Exit(flags);
        }
    }
}
