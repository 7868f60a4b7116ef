// WorldTests.cs -- worlds and the scheduler inside the running kernel: lifecycle, 1,000 create/destroy cycles
// leaving memory exactly as before, preemption, the idle world, kill, and memory admission in a kernel group.
using System.Collections.Generic;
using Internal.Runtime;
using Kernel.Memory;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.SelfTest.Tests
{
    internal static unsafe class WorldTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new LifecycleTest());
            tests.Add(new ThousandWorldsTest());
            tests.Add(new PreemptionTest());
            tests.Add(new KernelGroupAdmissionTest());
            tests.Add(new WorldHeapTest());
        }

        private static void FillHeapThenWait(object argument)
        {
            var box = (Box)argument;
            for (int i = 0; i < 1000; i++)
                WorldMemory.Allocate(1000);
            WorldMemory.Allocate(1 << 20);
            box.Value = 1;
            while (true)
                Scheduler.Sleep(1000);
        }

        private sealed class WorldHeapTest : SelfTest
        {
            public override string Name => "worlds: a killed world's heap objects and pages go back";

            public override void Run(SelfTestContext t)
            {
                ResourceGroup group = TestGroup("heap");
                ulong freePages = PhysicalMemory.FreePageCount;
                var box = new Box();
                World w = Scheduler.Spawn("selftest-heap", WorldType.System, group, &FillHeapThenWait, box);
                while (box.Value == 0)
                    Scheduler.Sleep(1);
                long held = group.MemSize;
                Scheduler.Kill(w);
                t.Check(held > (2L << 20), string.Concat("the world's heap was charged to its group (", held.ToString(), " bytes)"));
                t.Equal(0, group.MemSize, "the group holds nothing after the kill");
                t.Equal((long)freePages, (long)PhysicalMemory.FreePageCount, "every page came back");
            }
        }

        private sealed class Box
        {
            public int Value;
            public ulong Counter;
        }

        private static void SetSeven(object argument) => ((Box)argument).Value = 7;

        private static void ExitWithThree(object argument) => Scheduler.Exit(3);

        private static void Nothing(object argument)
        {
        }

        private static void Spin(object argument)
        {
            var box = (Box)argument;
            while (true)
                box.Counter++;
        }

        private static ResourceGroup TestGroup(string name)
        {
            Scheduler.Groups.AddPath(string.Concat("host/system/selftest-", name), out ResourceGroup group);
            return group;
        }

        private sealed class LifecycleTest : SelfTest
        {
            public override string Name => "worlds: create, run, exit, join";

            public override void Run(SelfTestContext t)
            {
                var box = new Box();
                World w = Scheduler.Spawn("selftest-seven", WorldType.System | WorldType.Helper, TestGroup("life"), &SetSeven, box);
                t.Check(w != null, "world created");
                int status = Scheduler.Join(w);
                t.Equal(7, box.Value, "the world's body ran");
                t.Equal(0, status, "exit status of a body that returns");
                World e = Scheduler.Spawn("selftest-exit3", WorldType.System, TestGroup("life"), &ExitWithThree, null);
                t.Equal(3, Scheduler.Join(e), "exit status from Scheduler.Exit");
            }
        }

        private sealed class ThousandWorldsTest : SelfTest
        {
            public override string Name => "worlds: 1,000 create/destroy cycles leave pages and heap as before";

            public override void Run(SelfTestContext t)
            {
                ResourceGroup group = TestGroup("thousand");
                // Warm up: the world pool, the scheduler's lists and the heap's slabs reach their working size.
                for (int i = 0; i < 8; i++)
                    Scheduler.Join(Scheduler.Spawn("selftest-nop", WorldType.System, group, &Nothing, null));
                // No collection in between: it would free other garbage and change the counts (and pages).
                System.GC.TryStartNoGCRegion(0);
                ref SizeClassHeap heap = ref Allocator.Heap;
                ulong freePages = PhysicalMemory.FreePageCount;
                ulong heapBytes = heap.BytesInUse;
                ulong liveObjects = heap.LiveObjects;
                long groupBytes = group.MemSize;
                int worlds = Scheduler.WorldCount;
                int created = 0;
                for (int i = 0; i < 1000; i++)
                {
                    World w = Scheduler.Spawn("selftest-nop", WorldType.System, group, &Nothing, null);
                    if (w == null)
                        break;
                    created++;
                    Scheduler.Join(w);
                }
                ulong freePagesAfter = PhysicalMemory.FreePageCount;
                ulong heapBytesAfter = heap.BytesInUse;
                ulong liveObjectsAfter = heap.LiveObjects;
                System.GC.EndNoGCRegion();
                t.Equal(1000, created, "worlds created");
                t.Equal((long)freePages, (long)freePagesAfter, "free pages");
                t.Equal((long)heapBytes, (long)heapBytesAfter, "heap bytes in use");
                t.Equal((long)liveObjects, (long)liveObjectsAfter, "live heap objects");
                t.Equal(groupBytes, group.MemSize, "group memory");
                t.Equal(worlds, Scheduler.WorldCount, "world count");
            }
        }

        private sealed class PreemptionTest : SelfTest
        {
            public override string Name => "worlds: preemption, idle only when nothing runs, kill";

            public override void Run(SelfTestContext t)
            {
                var box = new Box();
                World idle = Scheduler.IdleWorld;
                World spinner = Scheduler.Spawn("selftest-spin", WorldType.System, TestGroup("spin"), &Spin, box);
                ulong idleBefore = idle.RunCycles;
                Scheduler.Sleep(50);
                ulong counter = box.Counter;
                ulong idleDuring = idle.RunCycles - idleBefore;
                t.Check(counter > 0, "the spinning world ran while this one slept");
                t.Check(idleDuring < Time.Clock.TscHz / 1000, "the idle world did not run while a world was ready");
                long groupBytes = spinner.Group.MemSize;
                ulong freeBefore = PhysicalMemory.FreePageCount;
                t.Check(Scheduler.Kill(spinner), "kill succeeded");
                t.Equal(0, spinner.Group.MemSize, "the killed world's memory left its group");
                t.Check(PhysicalMemory.FreePageCount > freeBefore, "the killed world's stack went back");
                ulong afterKill = box.Counter;
                Scheduler.Sleep(20);
                t.Equal((long)afterKill, (long)box.Counter, "a killed world never runs again");
                t.Check(groupBytes > 0, "the world's stack had been charged to its group");
                ulong idleBeforeQuiet = idle.RunCycles;
                Scheduler.Sleep(20);
                t.Check(idle.RunCycles > idleBeforeQuiet, "the idle world runs when nothing else can");
            }
        }

        private sealed class HogResult
        {
            public int Megabytes;
        }

        private static void TakeMegabytes(object argument)
        {
            var result = (HogResult)argument;
            while (WorldMemory.AllocatePages(256) != 0)
                result.Megabytes++;
        }

        private sealed class KernelGroupAdmissionTest : SelfTest
        {
            public override string Name => "resources: a kernel group's limit refuses, the world handles it, memory returns";

            public override void Run(SelfTestContext t)
            {
                ResourceGroupTree tree = Scheduler.Groups;
                ResourceGroup group = TestGroup("limited");
                t.Equal((long)GroupError.None, (long)tree.SetMemory(group, 0, 4L << 20, ResourceGroup.Unlimited), "limit set to 4 MB");
                t.Equal((long)GroupError.ReservationDoesNotFit, (long)tree.SetMemory(TestGroup("greedy"), 1L << 40, ResourceGroup.Unlimited, ResourceGroup.Unlimited),
                    "a reservation larger than the machine is refused");
                var result = new HogResult();
                World w = Scheduler.Spawn("selftest-hog", WorldType.System, group, &TakeMegabytes, result);
                Scheduler.Join(w);
                t.Equal(3, result.Megabytes, "4 MB limit minus the world's stack leaves room for 3 MB");
                t.Check(group.AdmissionFailures > 0, "the refusal was counted");
                t.Equal(0, group.MemSize, "all memory came back when the world exited");
            }
        }
    }
}
