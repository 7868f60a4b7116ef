// SyncTests.cs -- mutex, semaphore and event under stress (no deadlock, no lost wake-up), a kill deferred to the
// mutex owner's last unlock, a forced kill releasing the owner's waiters, sleeps and timers never early and timers in
// deadline order.
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Resources;
using Kernel.Sync;
using Kernel.Time;
using Kernel.Worlds;

namespace Kernel.SelfTest.Tests
{
    internal static unsafe class SyncTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new MutexStressTest());
            tests.Add(new SemaphoreAndEventTest());
            tests.Add(new KilledOwnerTest());
            tests.Add(new DeferredKillTest());
            tests.Add(new TimersTest());
        }

        private static ResourceGroup Group()
        {
            Scheduler.Groups.AddPath("host/system/selftest-sync", out ResourceGroup group);
            return group;
        }

        private sealed class Shared
        {
            public readonly Mutex Lock = new Mutex();
            public readonly Semaphore Items = new Semaphore(0);
            public readonly Semaphore Slots = new Semaphore(4);
            public readonly Event Ping = new Event();
            public readonly Event Pong = new Event();
            public int Counter;
            public int Consumed;
            public int Rounds;
            public bool Failed;
        }

        private static void Incrementer(object argument)
        {
            var s = (Shared)argument;
            for (int i = 0; i < 500; i++)
            {
                s.Lock.Lock();
                int value = s.Counter;
                if ((i & 7) == 0)
                    Scheduler.Yield();      // hold the lock across a switch: others must block, not race
                s.Counter = value + 1;
                s.Lock.Unlock();
            }
        }

        private sealed class MutexStressTest : SelfTest
        {
            public override string Name => "sync: mutex under contention";

            public override void Run(SelfTestContext t)
            {
                var s = new Shared();
                var worlds = new World[4];
                for (int i = 0; i < worlds.Length; i++)
                    worlds[i] = Scheduler.Spawn("selftest-mutex", WorldType.System, Group(), &Incrementer, s);
                for (int i = 0; i < worlds.Length; i++)
                    Scheduler.Join(worlds[i]);
                t.Equal(2000, s.Counter, "every increment happened exactly once");
                t.Check(s.Lock.Contentions > 0, "the lock was contended");
                t.Check(s.Lock.Owner == null, "the lock is free at the end");
            }
        }

        private static void Producer(object argument)
        {
            var s = (Shared)argument;
            for (int i = 0; i < 1000; i++)
            {
                s.Slots.Wait();
                s.Items.Release();
            }
        }

        private static void Consumer(object argument)
        {
            var s = (Shared)argument;
            for (int i = 0; i < 1000; i++)
            {
                s.Items.Wait();
                s.Consumed++;
                s.Slots.Release();
            }
        }

        private static void Ponger(object argument)
        {
            var s = (Shared)argument;
            for (int i = 0; i < 300; i++)
            {
                if (!s.Ping.Wait(2000))
                {
                    s.Failed = true;
                    return;
                }
                s.Pong.Set();
            }
        }

        private sealed class SemaphoreAndEventTest : SelfTest
        {
            public override string Name => "sync: semaphore producer/consumer and event ping-pong";

            public override void Run(SelfTestContext t)
            {
                var s = new Shared();
                World producer = Scheduler.Spawn("selftest-producer", WorldType.System, Group(), &Producer, s);
                World consumer = Scheduler.Spawn("selftest-consumer", WorldType.System, Group(), &Consumer, s);
                Scheduler.Join(producer);
                Scheduler.Join(consumer);
                t.Equal(1000, s.Consumed, "every item produced was consumed");
                t.Equal(4, s.Slots.Count, "all slots free again");
                World ponger = Scheduler.Spawn("selftest-ponger", WorldType.System, Group(), &Ponger, s);
                int rounds = 0;
                for (int i = 0; i < 300; i++)
                {
                    s.Ping.Set();
                    if (!s.Pong.Wait(2000))
                        break;
                    rounds++;
                }
                Scheduler.Join(ponger);
                t.Equal(300, rounds, "ping-pong rounds without a lost wake-up");
                t.Check(!s.Failed, "the other side never timed out");
                ulong start = Cpu.ReadTimestampCounter();
                bool signaled = new Event().Wait(5);
                t.Check(!signaled && Cpu.ReadTimestampCounter() - start >= 5 * Clock.TscPerTick, "an event wait times out, not early");
            }
        }

        private static void HoldForever(object argument)
        {
            var s = (Shared)argument;
            s.Lock.Lock();
            s.Rounds = 1;
            while (true)
                Scheduler.Sleep(1000);
        }

        private static void WaitForLock(object argument)
        {
            var s = (Shared)argument;
            s.Lock.Lock();
            s.Consumed = 42;
            s.Lock.Unlock();
        }

        private sealed class KilledOwnerTest : SelfTest
        {
            public override string Name => "sync: killing a mutex owner wakes its waiters";

            public override void Run(SelfTestContext t)
            {
                var s = new Shared();
                World holder = Scheduler.Spawn("selftest-holder", WorldType.System, Group(), &HoldForever, s);
                while (s.Rounds == 0)
                    Scheduler.Sleep(1);
                World waiter = Scheduler.Spawn("selftest-waiter", WorldType.System, Group(), &WaitForLock, s);
                Scheduler.Sleep(10);
                t.Equal(0, s.Consumed, "the waiter is blocked while the owner lives");
                // The owner never lets go: the deferred kill waits out its grace, then the owner is forced to die.
                t.Check(Scheduler.Terminate(holder, 50, out bool forced) && forced, "the owner is forced to die after the grace");
                Scheduler.Join(waiter);
                t.Equal(42, s.Consumed, "the waiter got the lock after the owner was killed");
            }
        }

        private sealed class TwoStepChange
        {
            public readonly Mutex Lock = new Mutex();
            public readonly Event Halfway = new Event();
            public readonly Event Finish = new Event();
            public int First, Second;
            public bool RanPastUnlock;
        }

        // Changes two fields under the mutex, waiting in between: the kill arrives while the change is half done.
        private static void HalfwayHolder(object argument)
        {
            var s = (TwoStepChange)argument;
            s.Lock.Lock();
            s.First = 1;
            s.Halfway.Set();
            s.Finish.Wait(5000);
            s.Second = 1;
            s.Lock.Unlock();
            s.RanPastUnlock = true;
        }

        private sealed class DeferredKillTest : SelfTest
        {
            public override string Name => "sync: a kill waits for the mutex owner's last unlock";

            public override void Run(SelfTestContext t)
            {
                var s = new TwoStepChange();
                World holder = Scheduler.Spawn("selftest-halfway", WorldType.System, Group(), &HalfwayHolder, s);
                t.Check(s.Halfway.Wait(5000), "the holder is inside its mutex");
                t.Check(Scheduler.Kill(holder, -15), "the kill is accepted");
                Scheduler.Sleep(10);
                t.Check(holder.State != WorldState.Dead, "the holder is not stopped inside its mutex");
                s.Finish.Set();
                int status = Scheduler.Join(holder);
                t.Equal(1, s.Second, "the holder finished the change its mutex protects");
                t.Check(!s.RanPastUnlock, "the holder died at its unlock, not later");
                t.Equal(-15, status, "the deferred kill's status");
                t.Check(s.Lock.Owner == null, "the mutex is free");
            }
        }

        private sealed class TimerLog
        {
            public readonly int[] Order = new int[16];
            public readonly ulong[] FiredAt = new ulong[16];
            public int Count;
        }

        private sealed class TimerProbe
        {
            public TimerLog Log;
            public int Index;
        }

        private static void OnTimer(object argument)
        {
            var probe = (TimerProbe)argument;
            TimerLog log = probe.Log;
            log.Order[log.Count] = probe.Index;
            log.FiredAt[log.Count] = Cpu.ReadTimestampCounter();
            log.Count++;
        }

        private sealed class TimersTest : SelfTest
        {
            public override string Name => "time: sleeps and timers are never early; timers fire in deadline order";

            public override void Run(SelfTestContext t)
            {
                ulong tsc0 = Cpu.ReadTimestampCounter();
                Scheduler.Sleep(15);
                ulong sleptUs = (Cpu.ReadTimestampCounter() - tsc0) * 1000000 / Clock.TscHz;
                t.Check(sleptUs >= 15000, string.Concat("Sleep(15) lasted ", sleptUs.ToString(), " us"));

                var log = new TimerLog();
                int[] delays = { 9, 3, 14, 3, 1, 7, 12, 5, 3, 10, 2, 8, 6, 11, 4, 13 };
                var timers = new KernelTimer[delays.Length];
                // Made before arming: an allocation between two Start calls may collect (gcstress), and a
                // collection's pause between them would shift the later deadlines and reorder timers 1 ms apart.
                for (int i = 0; i < delays.Length; i++)
                    timers[i] = new KernelTimer(&OnTimer, new TimerProbe { Log = log, Index = i });
                ulong flags = Cpu.SaveAndDisableInterrupts();
                ulong armedAt = Cpu.ReadTimestampCounter();
                for (int i = 0; i < delays.Length; i++)
                    timers[i].Start((ulong)delays[i]);
                Cpu.RestoreInterrupts(flags);
                Scheduler.Sleep(30);
                t.Equal(delays.Length, log.Count, "every timer fired");
                bool ordered = true, early = false;
                for (int i = 0; i < log.Count; i++)
                {
                    int index = log.Order[i];
                    if (log.FiredAt[i] < armedAt + (ulong)delays[index] * Clock.TscPerTick)
                        early = true;
                    if (i > 0)
                    {
                        int previous = log.Order[i - 1];
                        if (delays[previous] > delays[index] || (delays[previous] == delays[index] && previous > index))
                            ordered = false;
                    }
                }
                t.Check(ordered, "timers fired in deadline order (ties in arming order)");
                t.Check(!early, "no timer fired before its deadline");
            }
        }
    }
}
