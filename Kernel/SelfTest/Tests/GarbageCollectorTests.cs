// GarbageCollectorTests.cs -- the collector in the running kernel: unreachable structures (cycles included) are
// reclaimed; objects reachable only from a static, a handle, the current stack, another world's stack or its saved
// registers survive, and so do those of a world preempted mid-loop; the precise stack scan does not take an integer
// for a reference; a collection inside an interrupt handler keeps the interrupted code's objects; and a loop that
// allocates ten times the free memory with a bounded live set never runs out.
//
// Whether an object survived is observed through a weak GCHandle, which does not keep it alive. Garbage is made in
// separate non-inlined methods, and the stack below the test's frame is scrubbed before collecting, so a stale copy
// of a dead reference in a popped frame cannot keep it alive (parts of the stack are still scanned conservatively:
// native frames, thunks, and the whole stack with gcscan=conservative).
using System.Collections.Generic;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;
using Kernel.Memory;
using Kernel.Resources;
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.SelfTest.Tests
{
    internal static unsafe class GarbageCollectorTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new GCDescTest());
            tests.Add(new CycleTest());
            tests.Add(new RootsTest());
            tests.Add(new FrozenRootsTest());
            tests.Add(new OtherWorldStackTest());
            tests.Add(new SavedRegistersTest());
            tests.Add(new PreciseStackTest());
            tests.Add(new PreemptedWorldTest());
            tests.Add(new InterruptHandlerTest());
            tests.Add(new TenTimesMemoryTest());
            tests.Add(new GroupLimitTest());
        }

        private sealed class Node
        {
            public int Value;
            public Node Next;
            public string Label;
            public object[] Extra;
        }

        private struct Pair
        {
            public long Number;
            public Node Left;
            public int Small;
            public Node Right;
        }

        private static Node s_rootedByStatic;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static Node MakeList(int count, int first)
        {
            Node head = null;
            for (int i = count - 1; i >= 0; i--)
                head = new Node { Value = first + i, Next = head, Label = (first + i).ToString() };
            return head;
        }

        private static bool ListIsIntact(Node head, int count, int first)
        {
            for (int i = 0; i < count; i++, head = head.Next)
                if (head == null || head.Value != first + i || head.Label != (first + i).ToString())
                    return false;
            return head == null;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static GCHandle WeakTo(object target) => GCHandle.Alloc(target, GCHandleType.Weak);

        // Overwrites the stack below the caller's frame, where the collector's own frames will go: stale references
        // left there by finished calls must not keep garbage alive.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ScrubStack()
        {
            byte* p = stackalloc byte[16384];
            Unsafe.InitBlockUnaligned(p, 0, 16384);
            s_scrubSink = p[100];
        }

        private static byte s_scrubSink;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CollectScrubbed()
        {
            ScrubStack();
            System.GC.Collect();
        }

        private static bool IsAlive(GCHandle weak) => weak.Target != null;

        // ---- The descriptor ILC emits is read right: every reference field, array element and struct element ----

        private sealed class GCDescTest : SelfTest
        {
            public override string Name => "gc: references in fields, reference arrays and struct arrays are traced";

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static object MakeHolder(out GCHandle a, out GCHandle b, out GCHandle c, out GCHandle d, out GCHandle e)
            {
                var pairs = new Pair[3];
                pairs[1].Left = MakeList(3, 10);
                pairs[2].Right = MakeList(3, 20);
                var objects = new object[5];
                objects[4] = MakeList(2, 30);
                var holder = new Node { Label = "holder", Next = MakeList(2, 40), Extra = new object[] { pairs, objects } };
                a = WeakTo(pairs[1].Left.Next.Next);
                b = WeakTo(pairs[2].Right);
                c = WeakTo(((Node)objects[4]).Next);
                d = WeakTo(holder.Next.Next);
                e = WeakTo(holder.Extra);
                return holder;
            }

            public override void Run(SelfTestContext t)
            {
                object holder = MakeHolder(out GCHandle a, out GCHandle b, out GCHandle c, out GCHandle d, out GCHandle e);
                CollectScrubbed();
                t.Check(IsAlive(a), "an object reached through a struct array element's second reference field");
                t.Check(IsAlive(b), "an object reached through the last field of the last struct element");
                t.Check(IsAlive(c), "an object reached through the last element of an object[]");
                t.Check(IsAlive(d), "an object reached through a class's reference field");
                t.Check(IsAlive(e), "an array held by a field");
                var h = (Node)holder;
                var pairs = (Pair[])h.Extra[0];
                t.Check(ListIsIntact(pairs[1].Left, 3, 10) && ListIsIntact(pairs[2].Right, 3, 20), "struct-array graphs intact");
                t.Check(ListIsIntact((Node)((object[])h.Extra[1])[4], 2, 30) && ListIsIntact(h.Next, 2, 40), "object graphs intact");
                System.GC.KeepAlive(holder);
                a.Free(); b.Free(); c.Free(); d.Free(); e.Free();
            }
        }

        // ---- A cycle with nothing pointing at it from outside is garbage ----------------------------------------

        private sealed class CycleTest : SelfTest
        {
            public override string Name => "gc: an unreachable cycle is reclaimed";

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static GCHandle MakeCycle()
            {
                Node head = MakeList(100, 0);
                Node last = head;
                while (last.Next != null)
                    last = last.Next;
                last.Next = head;
                head.Extra = new object[] { head, last };
                return WeakTo(head);
            }

            public override void Run(SelfTestContext t)
            {
                ulong collections = GarbageCollector.Collections;
                GCHandle weak = MakeCycle();
                CollectScrubbed();
                t.Check(GarbageCollector.Collections > collections, "a collection ran");
                t.Check(!IsAlive(weak), "the cycle's head was freed (its weak handle is cleared)");
                t.Check(GarbageCollector.Last.FreedObjects >= 100, "at least the cycle's objects were freed");
                weak.Free();
            }
        }

        // ---- Roots: a static, a strong handle, the current stack ----------------------------------------------

        private sealed class RootsTest : SelfTest
        {
            public override string Name => "gc: objects held by a static, a handle or the current stack survive";

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static GCHandle RootInStatic()
            {
                s_rootedByStatic = MakeList(10, 100);
                return WeakTo(s_rootedByStatic);
            }

            [MethodImpl(MethodImplOptions.NoInlining)]
            private static GCHandle RootInHandle(out GCHandle strong)
            {
                Node list = MakeList(10, 200);
                strong = GCHandle.Alloc(list);
                return WeakTo(list);
            }

            public override void Run(SelfTestContext t)
            {
                GCHandle byStatic = RootInStatic();
                GCHandle byHandle = RootInHandle(out GCHandle strong);
                Node onStack = MakeList(10, 300);
                GCHandle byStack = WeakTo(onStack);
                CollectScrubbed();
                t.Check(IsAlive(byStatic) && ListIsIntact(s_rootedByStatic, 10, 100), "held by a static");
                t.Check(IsAlive(byHandle) && ListIsIntact((Node)strong.Target, 10, 200), "held by a GCHandle");
                t.Check(IsAlive(byStack) && ListIsIntact(onStack, 10, 300), "held by a local");
                System.GC.KeepAlive(onStack);

                s_rootedByStatic = null;
                strong.Free();
                CollectScrubbed();
                t.Check(!IsAlive(byStatic), "freed once the static is cleared");
                t.Check(!IsAlive(byHandle), "freed once the handle is freed");
                byStatic.Free();
                byHandle.Free();
                byStack.Free();
            }
        }

        // ---- Frozen objects: the region is walked precisely ------------------------------------------------------

        private sealed class FrozenRootsTest : SelfTest
        {
            public override string Name => "gc: the frozen region (string literals) is walked object by object";

            public override void Run(SelfTestContext t)
            {
                CollectScrubbed();
                CollectionInfo info = GarbageCollector.Last;
                // This kernel's frozen region holds string literals (ILC preinitializes no other object here today);
                // host tests cover frozen objects with references (MarkerTests).
                t.Check(GarbageCollector.FrozenRegionCount > 0 && info.FrozenObjects > 100, "the frozen region was walked");
                t.Equal(0, (long)info.FrozenFallbacks, "no frozen region needed the word-by-word fallback");
                t.Check(info.ConservativeWords - info.StackWords <= 2, "besides stacks, at most the region's padding was scanned word by word");
            }
        }

        // ---- Another world's stack and saved registers, while it is blocked ------------------------------------

        private sealed class Blocked
        {
            public readonly Event Ready = new Event(manualReset: true);
            public readonly Event Release = new Event(manualReset: true);
            public GCHandle Weak;
            public bool Intact;
        }

        private static Blocked s_blocked;

        private static ResourceGroup Group()
        {
            Scheduler.Groups.AddPath("host/system/selftest-gc", out ResourceGroup group);
            return group;
        }

        // Runs in its own world: the list lives in this frame only, while the world waits.
        private static void HoldOnStack(object argument)
        {
            var b = (Blocked)argument;
            Node list = MakeList(50, 1000);
            b.Weak = WeakTo(list);
            b.Ready.Set();
            b.Release.Wait();
            b.Intact = ListIsIntact(list, 50, 1000);
            System.GC.KeepAlive(list);
        }

        private sealed class OtherWorldStackTest : SelfTest
        {
            public override string Name => "gc: objects on a blocked world's stack survive";

            public override void Run(SelfTestContext t)
            {
                var b = new Blocked();
                World w = Scheduler.Spawn("selftest-gc-stack", WorldType.System, Group(), &HoldOnStack, b);
                b.Ready.Wait();
                CollectScrubbed();
                CollectScrubbed();
                t.Check(IsAlive(b.Weak), "the blocked world's list survived two collections");
                b.Release.Set();
                Scheduler.Join(w);
                t.Check(b.Intact, "the world found its list intact");
                CollectScrubbed();
                t.Check(!IsAlive(b.Weak), "freed once the world has exited");
                b.Weak.Free();
            }
        }

        private static readonly nint Scramble = unchecked((nint)0x5A5A5A5A5A5A5A5AL);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_gc_test_hold_in_registers")]
        private static extern nint HoldInRegisters(nint scrambled, nint key, delegate*<void> whileHeld);

        // Makes the list and hands it out only scrambled (not a pointer to the collector), with a weak handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static nint MakeScrambledList(Blocked b)
        {
            Node list = MakeList(50, 2000);
            b.Weak = WeakTo(list);
            return *(nint*)Unsafe.AsPointer(ref list) ^ Scramble;
        }

        private static void WaitWhileHeld()
        {
            Blocked b = s_blocked;
            b.Ready.Set();
            b.Release.Wait();
        }

        private static void HoldInRegistersWorld(object argument)
        {
            var b = (Blocked)argument;
            nint scrambled = MakeScrambledList(b);
            ScrubStack();
            nint address = HoldInRegisters(scrambled, Scramble, &WaitWhileHeld);
            Node list = Unsafe.As<nint, Node>(ref address);
            b.Intact = ListIsIntact(list, 50, 2000);
        }

        private sealed class SavedRegistersTest : SelfTest
        {
            public override string Name => "gc: objects only in a blocked world's callee-saved registers survive";

            public override void Run(SelfTestContext t)
            {
                var b = new Blocked();
                s_blocked = b;
                World w = Scheduler.Spawn("selftest-gc-regs", WorldType.System, Group(), &HoldInRegistersWorld, b);
                b.Ready.Wait();
                CollectScrubbed();
                t.Check(IsAlive(b.Weak), "the list held in registers survived");
                b.Release.Set();
                Scheduler.Join(w);
                t.Check(b.Intact, "the world found its list intact");
                s_blocked = null;
                CollectScrubbed();
                t.Check(!IsAlive(b.Weak), "freed once the world has exited");
                b.Weak.Free();
            }
        }

        // ---- Precise stack scanning: an integer is not a reference -----------------------------------------------

        // Makes an object and hands out only its address, as an integer, and a weak handle.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ulong MakeObjectKnownByAddress(out GCHandle weak)
        {
            Node node = MakeList(20, 3000);
            weak = WeakTo(node);
            return (ulong)*(nint*)Unsafe.AsPointer(ref node);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool Consume(ulong value) => value != 0;

        private sealed class PreciseStackTest : SelfTest
        {
            public override string Name => "gc: precise stack scan: an object's address held as an integer does not keep it alive";

            public override void Run(SelfTestContext t)
            {
                if (!GarbageCollector.HasStackScanner)
                {
                    t.Check(true, "skipped: gcscan=conservative");
                    return;
                }
                ulong address = MakeObjectKnownByAddress(out GCHandle weak);
                // Control: the word is on this stack, so the conservative scan finds it and keeps the list.
                GarbageCollector.SetStackScanner(null);
                CollectScrubbed();
                bool keptConservatively = IsAlive(weak);
                GarbageCollector.SetStackScanner(&PreciseStackScanner.Scan);
                t.Check(keptConservatively, "the conservative scan keeps the object its address points to");
                CollectScrubbed();
                CollectionInfo info = GarbageCollector.Last;
                t.Check(!IsAlive(weak), "the precise scan ignores the integer: the object was collected");
                t.Check(info.PreciseFrames > 0 && info.PreciseSlots > 0, string.Concat("frames reported by GC info: ",
                    info.PreciseFrames.ToString(), ", live slots ", info.PreciseSlots.ToString(), ", word by word ",
                    info.ConservativeFrames.ToString()));
                t.Check(Consume(address), "the integer stayed live across both collections");
                weak.Free();
            }
        }

        // ---- A preempted world: its interrupted frames are past the native interrupt entry ----------------------

        private sealed class Spinner
        {
            public volatile bool Stop;
            public volatile int Rounds;
            public GCHandle Weak;
            public bool Intact;
        }

        // Never blocks: the only way off the CPU is the timer interrupt, so a collection finds this world preempted
        // somewhere in the loop, its list in a register or a stack slot of the interrupted frame.
        private static void SpinWithList(object argument)
        {
            var s = (Spinner)argument;
            Node list = MakeList(30, 4000);
            s.Weak = WeakTo(list);
            long sum = 0;
            while (!s.Stop)
            {
                for (Node n = list; n != null; n = n.Next)
                    sum += n.Value;
                s.Rounds++;
            }
            s.Intact = ListIsIntact(list, 30, 4000) && sum >= 0;
        }

        private sealed class PreemptedWorldTest : SelfTest
        {
            public override string Name => "gc: objects of a world preempted mid-loop survive (its interrupted frames are scanned conservatively)";

            public override void Run(SelfTestContext t)
            {
                var s = new Spinner();
                World w = Scheduler.Spawn("selftest-gc-spin", WorldType.System, Group(), &SpinWithList, s);
                for (int i = 0; i < 200 && s.Rounds < 3; i++)
                    Scheduler.Sleep(2);
                t.Check(s.Rounds >= 3, "the spinning world ran");
                CollectScrubbed();
                Scheduler.Sleep(3);
                CollectScrubbed();
                t.Check(IsAlive(s.Weak), "the preempted world's list survived two collections");
                s.Stop = true;
                Scheduler.Join(w);
                t.Check(s.Intact, "the world found its list intact");
                CollectScrubbed();
                t.Check(!IsAlive(s.Weak), "freed once the world has exited");
                s.Weak.Free();
            }
        }

        // ---- A collection inside an interrupt handler ------------------------------------------------------------

        private sealed class InTimer
        {
            public volatile bool Done;
            public bool Collected;
            public bool Allocated;
        }

        private static void CollectInTimerInterrupt(object argument)
        {
            var state = (InTimer)argument;
            ulong before = GarbageCollector.Collections;
            Node made = MakeList(20, 5000);            // allocation from the interrupt handler works
            state.Allocated = ListIsIntact(made, 20, 5000);
            System.GC.Collect();
            state.Collected = GarbageCollector.Collections > before;
            state.Done = true;
        }

        private sealed class InterruptHandlerTest : SelfTest
        {
            public override string Name => "gc: a collection in an interrupt handler keeps the interrupted world's objects";

            public override void Run(SelfTestContext t)
            {
                Node mine = MakeList(30, 4000);
                GCHandle weak = WeakTo(mine);
                var state = new InTimer();
                var timer = new KernelTimer(&CollectInTimerInterrupt, state);
                timer.Start(2);
                ulong spins = 0;
                while (!state.Done && spins < 2_000_000_000)
                    spins++;                       // running (not blocked) when the timer interrupt comes
                t.Check(state.Done, "the timer fired");
                t.Check(state.Allocated, "allocation inside the interrupt handler");
                t.Check(state.Collected, "the collection ran inside the interrupt handler");
                t.Check(IsAlive(weak) && ListIsIntact(mine, 30, 4000), "the interrupted world's list survived intact");
                System.GC.KeepAlive(mine);
                weak.Free();
            }
        }

        // ---- Allocating far more than memory with a bounded live set -------------------------------------------

        // Not inlined: allocation helpers do not count as writes to the heap's counters for the JIT, which could
        // otherwise read them once before a loop that only allocates.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ulong HeapPages() => Allocator.Heap.BytesFromPages;

        private sealed class TenTimesMemoryTest : SelfTest
        {
            public override string Name => "gc: allocating 10x the free memory with a bounded live set never runs out";

            public override void Run(SelfTestContext t)
            {
                ulong free = PhysicalMemory.FreePageCount * PhysicalMemory.PageSize;
                ulong target = free * 10;
                ulong collections = GarbageCollector.Collections;
                ulong start = Allocator.TotalAllocatedBytes;
                ulong peakPages = 0;
                var live = new object[64];                  // the bounded live set: the last 64 large chunks
                Node small = null;
                int i = 0;
                while (Allocator.TotalAllocatedBytes - start < target)
                {
                    live[i % live.Length] = new byte[64 * 1024 + (i % 7) * 4096];
                    for (int k = 0; k < 16; k++)
                        small = new Node { Value = k, Next = (k & 7) == 0 ? null : small };
                    i++;
                    ulong held = HeapPages();
                    if (held > peakPages)
                        peakPages = held;
                }
                ulong allocated = Allocator.TotalAllocatedBytes - start;
                t.Check(allocated >= target, "allocated ten times the free memory");
                t.Check(GarbageCollector.Collections > collections + 5, "collections ran along the way");
                t.Check(peakPages < free / 2, string.Concat("the heap stayed bounded: peak ",
                    (peakPages >> 20).ToString(), " MiB of ", (free >> 20).ToString(), " MiB free"));
                System.GC.KeepAlive(live);
                System.GC.KeepAlive(small);
            }
        }

        // ---- A group at its limit collects before failing ---------------------------------------------------

        private sealed class LimitState
        {
            public ulong Run;
            public ulong CollectionsBefore;
            public CollectionReason Reason;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void MakeLargeGarbage(int count)
        {
            for (int i = 0; i < count; i++)
                s_garbageSink = new byte[256 * 1024];
            s_garbageSink = null;
        }

        private static object s_garbageSink;

        // Runs in a world of host/system/selftest-gc: its page charge is refused by host/system, which also holds the
        // kernel heap's pages, so the refusal is worth one collection.
        private static void AllocateAtLimit(object argument)
        {
            var state = (LimitState)argument;
            state.CollectionsBefore = GarbageCollector.Collections;
            state.Run = WorldMemory.AllocatePages(256);
            state.Reason = GarbageCollector.Last.Reason;
            if (state.Run != 0)
                WorldMemory.FreePages(state.Run);
        }

        private sealed class GroupLimitTest : SelfTest
        {
            public override string Name => "gc: a group at its limit gets a collection before the failure path";

            public override void Run(SelfTestContext t)
            {
                ResourceGroup system = Scheduler.KernelHeapGroup;
                ResourceGroup group = Group();
                System.GC.TryStartNoGCRegion(0);              // only the limit may start a collection here
                CollectScrubbed();
                MakeLargeGarbage(12);                          // 3 MiB of dead arrays charged to host/system
                long limit = system.MemSize + (1L << 20);      // room for 1 MiB more, not for the 1 MiB run plus a stack
                var state = new LimitState();
                World w = Scheduler.Create("selftest-gc-limit", WorldType.System, group, &AllocateAtLimit, state, out _);
                long oldMin = system.MemMin, oldMax = system.MemMax;
                // host/system's reservation (KernelReservations) is larger than this limit: lifted for the test.
                t.Check(Scheduler.Groups.SetMemory(system, 0, limit, system.MemMinLimit) == GroupError.None, "limit set");
                Scheduler.Start(w);
                Scheduler.Join(w);
                t.Check(Scheduler.Groups.SetMemory(system, oldMin, oldMax, system.MemMinLimit) == GroupError.None, "reservation and limit restored");
                System.GC.EndNoGCRegion();
                t.Check(state.Run != 0, "the page run was granted after the collection");
                t.Check(GarbageCollector.Collections > state.CollectionsBefore, "a collection ran");
                t.Check(state.Reason == CollectionReason.GroupLimit, "the collection was the limit's");
            }
        }
    }
}
