// CoreLibraryLanguageTests.cs -- the ordinary C# the core library gives kernel code, as ILC compiles it: Dictionary,
// HashSet and Queue with foreach, string interpolation and string.Format, typeof/GetType names, using/Dispose on
// both paths, and `lock` between worlds (a sleeping mutex: the second world waits, blocked, and gets in after).
// The same collection and formatting sources are compared with the BCL on the host (tests/Corlib.Tests).
using System;
using System.Collections.Generic;
using Kernel.Resources;
using Kernel.Sync;
using Kernel.Worlds;

namespace Kernel.SelfTest.Tests
{
    internal static unsafe class CoreLibraryLanguageTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new CollectionsTest());
            tests.Add(new EnumerableInterfacesTest());
            tests.Add(new FormattingTest());
            tests.Add(new SpanHelpersTest());
            tests.Add(new TypeNamesTest());
            tests.Add(new UsingTest());
            tests.Add(new LockBlocksTest());
            tests.Add(new LockStressTest());
            tests.Add(new LockHolderKilledTest());
        }

        // foreach over IEnumerable<T>: the collections' struct enumerators are boxed behind IEnumerator<T>, called
        // through interface dispatch, and disposed by the foreach.
        private sealed class EnumerableInterfacesTest : SelfTest
        {
            public override string Name => "corelib: foreach over IEnumerable<T> of every collection";

            private static long Sum(IEnumerable<int> items)
            {
                long sum = 0;
                foreach (int item in items)
                    sum += item;
                return sum;
            }

            private static string Join(IEnumerable<string> items)
            {
                var text = new System.Text.StringBuilder();
                foreach (string item in items)
                    text.Append(item);
                return text.ToString();
            }

            public override void Run(SelfTestContext t)
            {
                var list = new List<int>();
                var queue = new Queue<int>();
                var set = new HashSet<int>();
                var map = new Dictionary<string, int>();
                for (int i = 1; i <= 10; i++)
                {
                    list.Add(i);
                    queue.Enqueue(i * 10);
                    set.Add(i * 100);
                    map[i.ToString()] = i * 1000;
                }
                t.Equal(55, Sum(list), "List<int> as IEnumerable<int>");
                t.Equal(550, Sum(queue), "Queue<int> as IEnumerable<int>");
                t.Equal(5500, Sum(set), "HashSet<int> as IEnumerable<int>");
                t.Equal(55000, Sum(map.Values), "Dictionary values as IEnumerable<int>");
                t.Equal("12345678910", Join(map.Keys), "Dictionary keys as IEnumerable<string>, in insertion order");
                var words = new List<string> { "a", "b", "c" };
                t.Equal("abc", Join(words), "List<string> as IEnumerable<string>");
                long pairs = 0;
                IEnumerable<KeyValuePair<string, int>> entries = map;
                foreach (KeyValuePair<string, int> pair in entries)
                    pairs += pair.Key == (pair.Value / 1000).ToString() ? pair.Value : -1_000_000;
                t.Equal(55000, pairs, "Dictionary as IEnumerable<KeyValuePair>, keys with their values");
                IEnumerator<int> e = ((IEnumerable<int>)list).GetEnumerator();
                t.Check(e.MoveNext() && e.Current == 1 && (int)((System.Collections.IEnumerator)e).Current == 1, "IEnumerator<T>.Current and the boxed IEnumerator.Current");
                list.Add(11);
                bool threw = false;
                try
                {
                    e.MoveNext();
                }
                catch (InvalidOperationException)
                {
                    threw = true;
                }
                t.Check(threw, "modifying the list invalidates an interface enumerator too");
                e.Dispose();
                System.Collections.IEnumerable untyped = queue;
                int count = 0;
                foreach (object boxed in untyped)
                    count += (int)boxed > 0 ? 1 : 0;
                t.Equal(10, count, "the non-generic IEnumerable");
            }
        }

        private sealed class CollectionsTest : SelfTest
        {
            public override string Name => "corelib: Dictionary, HashSet, Queue and foreach";

            public override void Run(SelfTestContext t)
            {
                var ages = new Dictionary<string, int>();
                for (int i = 0; i < 100; i++)
                    ages[string.Concat("w", i.ToString())] = i;
                ages.Add("extra", 1000);
                t.Equal(101, ages.Count, "count after 101 keys");
                t.Equal(42, ages[new string(new[] { 'w', '4', '2' })], "a key built from other characters finds the entry");
                t.Check(ages.Remove("w0") && !ages.ContainsKey("w0"), "remove");
                int sum = 0, seen = 0;
                foreach (KeyValuePair<string, int> pair in ages)
                {
                    sum += pair.Value;
                    seen++;
                }
                t.Equal(4950 + 1000, sum, "foreach over the pairs (w1..w99 and extra)");
                t.Equal(100, seen, "foreach saw every entry once");
                bool threw = false;
                try
                {
                    _ = ages["missing"];
                }
                catch (KeyNotFoundException)
                {
                    threw = true;
                }
                t.Check(threw, "a missing key throws KeyNotFoundException");
                threw = false;
                try
                {
                    ages.Add("extra", 1);
                }
                catch (ArgumentException)
                {
                    threw = true;
                }
                t.Check(threw, "a duplicate Add throws ArgumentException");

                var byNumber = new Dictionary<int, string>();
                for (int i = -500; i < 500; i += 7)
                    byNumber.Add(i, i.ToString());
                for (int i = -500; i < 500; i += 14)
                    byNumber.Remove(i);
                int values = 0;
                foreach (string text in byNumber.Values)
                    values += text.Length > 0 ? 1 : 0;
                t.Equal(byNumber.Count, values, "the value collection enumerates every value");
                t.Check(byNumber.TryGetValue(-493, out string found) && found == "-493", "TryGetValue of an int key");

                var set = new HashSet<int>();
                for (int i = 0; i < 50; i++)
                    set.Add(i % 10);
                t.Equal(10, set.Count, "a set keeps one of each");
                int setSum = 0;
                foreach (int item in set)
                    setSum += item;
                t.Equal(45, setSum, "foreach over the set");

                var queue = new Queue<string>();
                for (int i = 0; i < 20; i++)
                    queue.Enqueue(i.ToString());
                for (int i = 0; i < 15; i++)
                    queue.Dequeue();
                for (int i = 20; i < 30; i++)
                    queue.Enqueue(i.ToString());
                string order = "";
                foreach (string item in queue)
                    order = string.Concat(order, item, " ");
                t.Equal("15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 ", order, "foreach over the queue is oldest first, across the ring's wrap");
            }
        }

        private sealed class FormattingTest : SelfTest
        {
            public override string Name => "corelib: string interpolation and string.Format";

            public override void Run(SelfTestContext t)
            {
                int x = 48879;
                int negative = -42;
                double d = 3.14159;
                string name = "vmk";
                t.Equal("[   48879|48879   |0000BEEF|beef|48879|-0042]", $"[{x,8}|{x,-8}|{x:X8}|{x:x}|{x:D5}|{negative:D4}]", "integer holes with widths");
                t.Equal("pi=3.14 e=2.718281828459045 third=0.3333333333333333 big=1E+20", $"pi={d:F2} e={2.718281828459045} third={1.0 / 3} big={1e20}", "double holes");
                t.Equal("vmk  |  vmk|{}", $"{name,-5}|{name,5}|{{}}", "string holes and escaped braces");
                t.Equal("FFFFFFFF 18446744073709551615 1,234,567.00 -1.50E+003", string.Format("{0:X} {1} {2:N} {3:E2}", -1, ulong.MaxValue, 1234567, -1500.0), "string.Format");
                t.Equal("0.1 100 -0 NaN", string.Concat(0.1.ToString(), " ", 100.0.ToString(), " ", (-0.0).ToString(), " ", (0.0 / 0.0).ToString()), "double.ToString");
                float single = 1.1f;
                t.Equal("1.1 1.10 3.4028235E+38", $"{single} {single:F2} {float.MaxValue}", "float holes");
                t.Equal("  7|", new System.Text.StringBuilder().AppendFormat("{0,3}|", 7).ToString(), "StringBuilder.AppendFormat");
                bool threw = false;
                try
                {
                    string.Format("{1}", 1);
                }
                catch (FormatException)
                {
                    threw = true;
                }
                t.Check(threw, "an index past the arguments throws FormatException");
            }
        }

        private sealed class SpanHelpersTest : SelfTest
        {
            public override string Name => "corelib: span helpers (IndexOf, SequenceEqual, StartsWith, Trim, Reverse)";

            public override void Run(SelfTestContext t)
            {
                ReadOnlySpan<char> line = "  vmkernel: ready  ".AsSpan();
                ReadOnlySpan<char> trimmed = line.Trim();
                t.Equal("vmkernel: ready", new string(trimmed), "Trim");
                t.Equal(8, trimmed.IndexOf(':'), "IndexOf(char)");
                t.Equal(10, trimmed.IndexOf("ready".AsSpan()), "IndexOf(span)");
                t.Check(trimmed.StartsWith("vmk".AsSpan()) && trimmed.EndsWith("dy".AsSpan()) && !trimmed.StartsWith("kernel".AsSpan()), "StartsWith/EndsWith");
                int[] numbers = { 1, 2, 3, 4, 5 };
                Span<int> middle = numbers.AsSpan(1, 3);
                middle.Reverse();
                t.Check(((ReadOnlySpan<int>)numbers).SequenceEqual(new[] { 1, 4, 3, 2, 5 }), "Reverse of a slice, SequenceEqual");
                t.Check(middle.Contains(4) && !middle.Contains(5), "Contains");
                t.Equal(3, ((ReadOnlySpan<int>)numbers).LastIndexOf(2), "LastIndexOf");
            }
        }

        private sealed class Pair<TFirst, TSecond>
        {
        }

        private static string NameOf<T>() => typeof(T).Name;

        private sealed class TypeNamesTest : SelfTest
        {
            public override string Name => "corelib: typeof(T).Name and GetType().Name";

            public override void Run(SelfTestContext t)
            {
                t.Equal("List`1", typeof(List<int>).Name, "typeof of a generic instance");
                t.Equal("Dictionary`2", new Dictionary<string, int>().GetType().Name, "GetType of a generic instance");
                t.Equal("Pair`2", new Pair<string, int>().GetType().Name, "a kernel generic type");
                t.Equal("Int32", typeof(int).Name, "typeof(int)");
                t.Equal("Byte[]", new byte[3].GetType().Name, "an array");
                t.Equal("String", "text".GetType().Name, "a string");
                t.Equal("String", NameOf<string>(), "typeof(T) in shared generic code");
                t.Equal("Int64", NameOf<long>(), "typeof(T) over a value type");
                t.Equal("CoreLibraryLanguageTests", typeof(CoreLibraryLanguageTests).Name, "a kernel class");
                object boxed = 5;
                t.Check(boxed.GetType() == typeof(int), "GetType() == typeof() for the same type");
                t.Check(typeof(int) != typeof(long), "different types are different");
            }
        }

        private sealed class Resource : IDisposable
        {
            private readonly List<string> _log;
            private readonly string _name;

            public Resource(List<string> log, string name)
            {
                _log = log;
                _name = name;
            }

            public void Dispose() => _log.Add(string.Concat("dispose ", _name));
        }

        private struct StructResource : IDisposable
        {
            public List<string> Log;

            public void Dispose() => Log.Add("dispose struct");
        }

        private static void ThrowInside(List<string> log)
        {
            using var first = new Resource(log, "first");
            using (new Resource(log, "second"))
            {
                log.Add("throw");
                throw new InvalidOperationException("inside using");
            }
        }

        private sealed class UsingTest : SelfTest
        {
            public override string Name => "corelib: using disposes on the normal and the exception path";

            public override void Run(SelfTestContext t)
            {
                var log = new List<string>();
                using (var r = new Resource(log, "a"))
                    log.Add("body");
                using (new StructResource { Log = log })
                    log.Add("struct body");
                try
                {
                    ThrowInside(log);
                }
                catch (InvalidOperationException e)
                {
                    log.Add(string.Concat("caught ", e.Message));
                }
                string all = string.Join(";", log.ToArray());
                t.Equal("body;dispose a;struct body;dispose struct;throw;dispose second;dispose first;caught inside using", all, "dispose order");
            }
        }

        private static ResourceGroup Group()
        {
            Scheduler.Groups.AddPath("host/system/selftest-lock", out ResourceGroup group);
            return group;
        }

        private sealed class LockState
        {
            public readonly object Gate = new object();
            public readonly Event Entered = new Event();
            public readonly Event Release = new Event();
            public readonly List<string> Log = new List<string>();
            public int Counter;
            public bool ReentryHeld;
        }

        private static void Holder(object argument)
        {
            var s = (LockState)argument;
            lock (s.Gate)
            {
                lock (s.Gate)                        // re-entry by the owner does not block
                    s.ReentryHeld = System.Threading.Monitor.IsEntered(s.Gate);
                s.Entered.Set();
                s.Release.Wait(5000);
                s.Log.Add("holder leaves");
            }
        }

        private static void Contender(object argument)
        {
            var s = (LockState)argument;
            lock (s.Gate)
                s.Log.Add("contender in");
        }

        private sealed class LockBlocksTest : SelfTest
        {
            public override string Name => "corelib: lock blocks a second world until the holder leaves";

            public override void Run(SelfTestContext t)
            {
                var s = new LockState();
                World holder = Scheduler.Spawn("selftest-lock-holder", WorldType.System, Group(), &Holder, s);
                t.Check(s.Entered.Wait(5000), "the holder got the lock");
                World contender = Scheduler.Spawn("selftest-lock-contender", WorldType.System, Group(), &Contender, s);
                Scheduler.Sleep(20);
                t.Equal(0, s.Log.Count, "the contender did not get in while the lock was held");
                t.Check(contender.State == WorldState.Waiting, "the contender is blocked (waiting), not spinning");
                t.Check(!System.Threading.Monitor.IsEntered(s.Gate), "this world does not hold the lock");
                t.Check(!System.Threading.Monitor.TryEnter(s.Gate), "TryEnter fails while another world holds the lock");
                s.Release.Set();
                Scheduler.Join(holder);
                Scheduler.Join(contender);
                t.Check(s.ReentryHeld, "the holder re-entered its own lock");
                t.Equal("holder leaves;contender in", string.Join(";", s.Log.ToArray()), "the contender got in after the holder left");
                t.Equal(0, ObjectLocks.Count, "no lock table entry is left");
                bool taken = System.Threading.Monitor.TryEnter(s.Gate);
                t.Check(taken && System.Threading.Monitor.IsEntered(s.Gate), "TryEnter takes a free lock");
                if (taken)
                    System.Threading.Monitor.Exit(s.Gate);
                bool threw = false;
                try
                {
                    System.Threading.Monitor.Exit(s.Gate);
                }
                catch (System.Threading.SynchronizationLockException)
                {
                    threw = true;
                }
                t.Check(threw, "leaving a lock one does not hold throws SynchronizationLockException");
            }
        }

        private static void SleepingHolder(object argument)
        {
            var s = (LockState)argument;
            lock (s.Gate)
            {
                s.Entered.Set();
                s.Release.Wait(1000000);             // until killed
            }
        }

        private static void FlaggingContender(object argument)
        {
            var s = (LockState)argument;
            lock (s.Gate)
                s.Counter = 1;
        }

        // The holder is forced to die inside the lock (KillNow: an ordinary kill would wait for its unlock): the kill
        // path releases its mutex and the waiting world gets in; the lock table forgets both.
        private sealed class LockHolderKilledTest : SelfTest
        {
            public override string Name => "corelib: a world forced to die inside a lock lets the waiter in";

            public override void Run(SelfTestContext t)
            {
                var s = new LockState();
                World holder = Scheduler.Spawn("selftest-lock-victim", WorldType.System, Group(), &SleepingHolder, s);
                t.Check(s.Entered.Wait(5000), "the holder got the lock");
                World contender = Scheduler.Spawn("selftest-lock-waiter", WorldType.System, Group(), &FlaggingContender, s);
                Scheduler.Sleep(20);
                t.Check(contender.State == WorldState.Waiting && s.Counter == 0, "the contender waits");
                t.Check(Scheduler.KillNow(holder), "the holder is killed");
                for (int i = 0; i < 200 && s.Counter == 0; i++)
                    Scheduler.Sleep(10);
                t.Equal(1, s.Counter, "the contender got in after the holder died");
                if (s.Counter == 0)
                    Scheduler.Kill(contender);
                Scheduler.Join(contender);
                t.Equal(0, ObjectLocks.Count, "no lock table entry is left");
            }
        }

        private static void Incrementer(object argument)
        {
            var s = (LockState)argument;
            for (int i = 0; i < 300; i++)
            {
                lock (s.Gate)
                {
                    int value = s.Counter;
                    if ((i & 3) == 0)
                        Scheduler.Yield();           // hold the lock across a switch: the others must wait
                    s.Counter = value + 1;
                }
            }
        }

        private sealed class LockStressTest : SelfTest
        {
            public override string Name => "corelib: lock under contention (no lost update, no lost wake-up)";

            public override void Run(SelfTestContext t)
            {
                var s = new LockState();
                var worlds = new World[4];
                for (int i = 0; i < worlds.Length; i++)
                    worlds[i] = Scheduler.Spawn("selftest-lock", WorldType.System, Group(), &Incrementer, s);
                for (int i = 0; i < worlds.Length; i++)
                    Scheduler.Join(worlds[i]);
                t.Equal(1200, s.Counter, "every increment happened exactly once");
                t.Equal(0, ObjectLocks.Count, "no lock table entry is left");
            }
        }
    }
}
