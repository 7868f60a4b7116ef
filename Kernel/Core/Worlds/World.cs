// World.cs -- a world: ESXi's unit of execution (idle, system/driver, helper and user worlds). Holds its
// identity, state, resource group, kernel stack, CPU accounting and the memory it holds.
using System.Collections.Generic;
using Kernel.Resources;
using Kernel.Sync;

namespace Kernel.Worlds
{
    public sealed unsafe class World : CpuClient
    {
        public int Id { get; internal set; }

        /// <summary>Bumped each time the pooled object is reused, so a stale reference can tell.</summary>
        internal ulong Generation;
        public int CartelId { get; set; }                    // user worlds: their cartel (process; a thread joins its creator's); 0 for kernel worlds
        public string Name { get; internal set; }
        public WorldType Type { get; internal set; }
        public WorldState State { get; internal set; }
        /// <summary>The group that refused this world's last heap page charge (null after a success): the OOM policy
        /// settles contention under the group that was full, which need not be the world's own.</summary>
        internal ResourceGroup LastRefusingGroup;
        /// <summary>The CPU it runs on, or last ran on.</summary>
        public int Cpu { get; internal set; }
        /// <summary>The CPUs it may run on (bit N = cpuN; `run ++affinity=0,2`); all by default.</summary>
        public ulong Affinity { get; set; } = ulong.MaxValue;
        internal ulong ReadySinceTsc;

        internal ulong StackBase;                             // guard page address; 0 for the boot world
        internal WorldControl* Control;
        /// <summary>User worlds: the physical address of their address space's PML4 (0: the kernel's tables).</summary>
        public ulong AddressSpaceRoot { get; set; }
        /// <summary>User worlds: their FS base (arch_prctl), loaded whenever the world is switched in.</summary>
        public ulong UserFsBase { get; set; }
        /// <summary>User worlds: the cartel state (Kernel/User), released by the reap hook when the world is reaped.</summary>
        public object UserState { get; set; }
        internal delegate*<object, void> Entry;
        internal object Argument;

        // Scheduling.
        internal ulong WakeTsc;
        internal WaitQueue WaitingOn;
        internal bool WaitTimedOut;
        internal ulong LastStartTsc;
        public ulong RunCycles { get; internal set; }
        public ulong Switches { get; internal set; }
        public ulong CreatedTick { get; internal set; }
        public bool KillRequested { get; internal set; }
        /// <summary>The exit status a deferred kill ends the world with (Scheduler.Kill while it held a mutex).</summary>
        internal int PendingKillStatus;
        public int ExitStatus { get; internal set; }

        // Memory held on the world's behalf (charged to its group), returned when it dies.
        internal readonly List<ulong> PageRuns = new List<ulong>();   // address | page count in the low 12 bits
        public long MemBytes { get; internal set; }
        public long MemPeak { get; internal set; }

        internal readonly List<Mutex> HeldMutexes = new List<Mutex>();

        // The world's own heap (WorldMemory.Allocate): charged to its group, emptied in one sweep when it dies.
        // A field of a never-moving object the scheduler pools and never drops, so its address is stable as the heap
        // requires, and its block headers (unmanaged memory) may point back at it.
        internal Internal.Runtime.SizeClassHeap Heap;

        /// <summary>The heap's owner cookie: a strong GCHandle to this object, made once per pooled object, so the
        /// page source's accounting finds the world through a reference the collector sees.</summary>
        internal readonly nint OwnerHandle;

        public World() => OwnerHandle = System.Runtime.InteropServices.GCHandle.ToIntPtr(System.Runtime.InteropServices.GCHandle.Alloc(this));

        internal Internal.Runtime.SizeClassHeap* HeapPointer
            => (Internal.Runtime.SizeClassHeap*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref Heap);
        internal readonly WaitQueue Exited = new WaitQueue();

        /// <summary>Where this world's `new` allocates: its group's collected heap (GroupHeaps), null for the kernel's.</summary>
        internal Internal.Runtime.SizeClassHeap* ManagedHeap;

        // The exception dispatches running on this world's stack (the runtime finds it through WorldExceptionState).
        internal Internal.Runtime.ExceptionHandling.ThreadExceptionState ExceptionState;

        /// <summary>Requests this world is serving that may fail alone (a shell command, cron's job): while above 0,
        /// a `new` the heap cannot serve throws OutOfMemoryException (AllocationFailurePolicy).</summary>
        internal int FailableRequests;

        /// <summary>A request that may fail alone starts (the shell's command boundary); pair with <see cref="EndFailableRequest"/>.</summary>
        public void BeginFailableRequest() => FailableRequests++;

        public void EndFailableRequest() => FailableRequests--;

        /// <summary>Clears a pooled object for reuse (its lists keep their capacity).</summary>
        internal void Reset()
        {
            Generation++;
            Id = 0;
            ManagedHeap = null;
            LastRefusingGroup = null;
            CartelId = 0;
            Name = null;
            Type = 0;
            State = WorldState.Waiting;
            Group = null;
            Cpu = 0;
            Affinity = ulong.MaxValue;
            CpuMask = ulong.MaxValue;
            ReadySinceTsc = 0;
            StackBase = 0;
            Control = null;
            AddressSpaceRoot = 0;
            UserFsBase = 0;
            UserState = null;
            Entry = null;
            Argument = null;
            WakeTsc = 0;
            WaitingOn = null;
            WaitTimedOut = false;
            LastStartTsc = 0;
            RunCycles = 0;
            Switches = 0;
            CreatedTick = 0;
            KillRequested = false;
            PendingKillStatus = 0;
            ExitStatus = 0;
            PageRuns.Clear();
            MemBytes = 0;
            MemPeak = 0;
            HeldMutexes.Clear();
            ExceptionState.Reset();
            FailableRequests = 0;
        }

        public bool IsIdle => (Type & WorldType.Idle) != 0;

        /// <summary>A world the host cannot do without (its console's drivers, the log writer, cron).</summary>
        public bool IsCritical => (Type & WorldType.Critical) != 0;
        public bool IsUser => (Type & WorldType.User) != 0;

        public string TypeName
            => (Type & WorldType.Idle) != 0 ? "idle"
            : (Type & WorldType.User) != 0 ? "user"
            : (Type & WorldType.Driver) != 0 ? "driver"
            : (Type & WorldType.Helper) != 0 ? "helper"
            : "system";

        public string StateName => State switch
        {
            WorldState.Ready => "READY",
            WorldState.Running => "RUN",
            WorldState.Waiting => "WAIT",
            WorldState.Sleeping => "SLEEP",
            _ => "DEAD",
        };
    }
}
