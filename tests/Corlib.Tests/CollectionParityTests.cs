// CollectionParityTests.cs -- the kernel's Dictionary, HashSet and Queue (the same source files, compiled for the
// host) against the BCL's on random operation sequences: every result, every exception type, the count and the
// enumeration order after each step.
extern alias ours;
using CsCheck;
using OurDictionary = ours::System.Collections.Generic.Dictionary<int, int>;
using OurStringDictionary = ours::System.Collections.Generic.Dictionary<string, string>;
using OurHashSet = ours::System.Collections.Generic.HashSet<int>;
using OurQueue = ours::System.Collections.Generic.Queue<string>;
using OurList = ours::System.Collections.Generic.List<string>;

namespace Corlib.Tests;

public class CollectionParityTests
{
    // Small key ranges make collisions, overwrites, removals of present keys and free-list reuse common.
    private static readonly Gen<(int Op, int Key, int Value)[]> Operations =
        Gen.Select(Gen.Int[0, 9], Gen.Int[-20, 20], Gen.Int).Array[0, 200];

    private static string Outcome(Func<object> action) => ParityOutcome.Of(action);

    [Fact]
    public void DictionaryMatchesTheBcl()
    {
        Operations.Sample(ops =>
        {
            var theirs = new Dictionary<int, int>();
            var mine = new OurDictionary();
            foreach (var (op, key, value) in ops)
            {
                string expected, actual;
                switch (op)
                {
                    case 0:
                        expected = Outcome(() => { theirs.Add(key, value); return 0; });
                        actual = Outcome(() => { mine.Add(key, value); return 0; });
                        break;
                    case 1:
                        expected = Outcome(() => theirs.TryAdd(key, value));
                        actual = Outcome(() => mine.TryAdd(key, value));
                        break;
                    case 2:
                    case 3:
                        expected = Outcome(() => theirs.Remove(key));
                        actual = Outcome(() => mine.Remove(key));
                        break;
                    case 4:
                        expected = Outcome(() => { theirs[key] = value; return 0; });
                        actual = Outcome(() => { mine[key] = value; return 0; });
                        break;
                    case 5:
                        expected = Outcome(() => theirs[key]);
                        actual = Outcome(() => mine[key]);
                        break;
                    case 6:
                        expected = Outcome(() => theirs.TryGetValue(key, out int v) + " " + v);
                        actual = Outcome(() => mine.TryGetValue(key, out int v) + " " + v);
                        break;
                    case 7:
                        expected = Outcome(() => theirs.ContainsKey(key) + " " + theirs.ContainsValue(value));
                        actual = Outcome(() => mine.ContainsKey(key) + " " + mine.ContainsValue(value));
                        break;
                    case 8:
                        expected = Outcome(() => theirs.Remove(key, out int v) + " " + v);
                        actual = Outcome(() => mine.Remove(key, out int v) + " " + v);
                        break;
                    default:
                        if (key % 5 != 0)
                            continue;   // clear rarely, or the tables stay small
                        theirs.Clear();
                        mine.Clear();
                        expected = actual = "";
                        break;
                }
                Assert.Equal(expected, actual);
                Assert.Equal(theirs.Count, mine.Count);
            }
            Assert.Equal(Enumerate(theirs), Enumerate(mine));
            Assert.Equal(string.Join(",", theirs.Keys), Keys(mine));
            Assert.Equal(string.Join(",", theirs.Values), Values(mine));
        });
    }

    private static string Enumerate(Dictionary<int, int> d)
    {
        var parts = new List<string>();
        foreach (var (k, v) in d)
            parts.Add(k + ":" + v);
        return string.Join(",", parts);
    }

    private static string Enumerate(OurDictionary d)
    {
        var parts = new List<string>();
        foreach (var (k, v) in d)
            parts.Add(k + ":" + v);
        return string.Join(",", parts);
    }

    private static string Keys(OurDictionary d)
    {
        var parts = new List<string>();
        foreach (int k in d.Keys)
            parts.Add(k.ToString());
        return string.Join(",", parts);
    }

    private static string Values(OurDictionary d)
    {
        var parts = new List<string>();
        foreach (int v in d.Values)
            parts.Add(v.ToString());
        return string.Join(",", parts);
    }

    [Fact]
    public void DictionaryOfStringsMatchesTheBcl()
    {
        Gen.Select(Gen.Int[0, 3], Gen.String[Gen.Char['a', 'd'], 0, 3]).Array[0, 100].Sample(ops =>
        {
            var theirs = new Dictionary<string, string>();
            var mine = new OurStringDictionary();
            foreach (var (op, key) in ops)
            {
                string expected = op switch
                {
                    0 => Outcome(() => { theirs.Add(key, key + "!"); return 0; }),
                    1 => Outcome(() => theirs.Remove(key)),
                    2 => Outcome(() => theirs[key]),
                    _ => Outcome(() => { theirs[new string(key.ToCharArray())] = "x"; return 0; }),
                };
                string actual = op switch
                {
                    0 => Outcome(() => { mine.Add(key, key + "!"); return 0; }),
                    1 => Outcome(() => mine.Remove(key)),
                    2 => Outcome(() => mine[key]),
                    // A different string object with the same characters is the same key.
                    _ => Outcome(() => { mine[new string(key.ToCharArray())] = "x"; return 0; }),
                };
                Assert.Equal(expected, actual);
                Assert.Equal(theirs.Count, mine.Count);
            }
            var mineText = new List<string>();
            foreach (var pair in mine)
                mineText.Add(pair.Key + "=" + pair.Value);
            Assert.Equal(string.Join(",", theirs.Select(p => p.Key + "=" + p.Value)), string.Join(",", mineText));
        });
    }

    [Fact]
    public void NullKeysAndEnumerationRulesMatchTheBcl()
    {
        var theirs = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };
        var mine = new ours::System.Collections.Generic.Dictionary<string, int>();
        mine["a"] = 1;
        mine["b"] = 2;
        Assert.Equal(Outcome(() => theirs[null]), Outcome(() => mine[null]));
        Assert.Equal(Outcome(() => theirs.Remove(null)), Outcome(() => mine.Remove(null)));
        // Adding while enumerating invalidates the enumerator; removing and overwriting do not (since .NET Core 3.0).
        Assert.Equal(ModifyWhileEnumerating(theirs, d => d["c"] = 3), ModifyWhileEnumerating(mine, d => d["c"] = 3));
        Assert.Equal(ModifyWhileEnumerating(theirs, d => d.Remove("a")), ModifyWhileEnumerating(mine, d => d.Remove("a")));
        Assert.Equal(ModifyWhileEnumerating(theirs, d => d["b"] = 9), ModifyWhileEnumerating(mine, d => d["b"] = 9));
        Assert.Equal(ModifyWhileEnumerating(theirs, d => d.Clear()), ModifyWhileEnumerating(mine, d => d.Clear()));
    }

    private static string ModifyWhileEnumerating(Dictionary<string, int> d, Action<Dictionary<string, int>> change)
        => Outcome(() => { foreach (var pair in d) change(d); return d.Count; });

    private static string ModifyWhileEnumerating(ours::System.Collections.Generic.Dictionary<string, int> d,
        Action<ours::System.Collections.Generic.Dictionary<string, int>> change)
        => Outcome(() => { foreach (var pair in d) change(d); return d.Count; });

    [Fact]
    public void HashSetMatchesTheBcl()
    {
        Operations.Sample(ops =>
        {
            var theirs = new HashSet<int>();
            var mine = new OurHashSet();
            foreach (var (op, key, _) in ops)
            {
                string expected = op switch
                {
                    < 4 => Outcome(() => theirs.Add(key)),
                    < 7 => Outcome(() => theirs.Remove(key)),
                    < 9 => Outcome(() => theirs.Contains(key)),
                    _ => Outcome(() => { theirs.Clear(); return 0; }),
                };
                string actual = op switch
                {
                    < 4 => Outcome(() => mine.Add(key)),
                    < 7 => Outcome(() => mine.Remove(key)),
                    < 9 => Outcome(() => mine.Contains(key)),
                    _ => Outcome(() => { mine.Clear(); return 0; }),
                };
                Assert.Equal(expected, actual);
                Assert.Equal(theirs.Count, mine.Count);
            }
            var mineItems = new List<int>();
            foreach (int item in mine)
                mineItems.Add(item);
            Assert.Equal(theirs.ToList(), mineItems);
        });
    }

    [Fact]
    public void HashSetOperationsMatchTheBcl()
    {
        Gen.Select(Gen.Int[0, 30].Array[0, 20], Gen.Int[0, 30].Array[0, 20], Gen.Int[0, 2]).Sample((a, b, op) =>
        {
            var theirs = new HashSet<int>(a);
            var mine = new OurHashSet();
            var other = new OurHashSet();
            foreach (int x in a)
                mine.Add(x);
            foreach (int x in b)
                other.Add(x);
            switch (op)
            {
                case 0: theirs.UnionWith(b); mine.UnionWith(other); break;
                case 1: theirs.ExceptWith(b); mine.ExceptWith(other); break;
                default: theirs.IntersectWith(b); mine.IntersectWith(other); break;
            }
            Assert.Equal(theirs.OrderBy(x => x), mine.ToArray().OrderBy(x => x));
            Assert.Equal(theirs.SetEquals(b), mine.SetEquals(other));
        });
    }

    [Fact]
    public void ListMatchesTheBcl()
    {
        Gen.Select(Gen.Int[0, 9], Gen.Int[-2, 12], Gen.String[Gen.Char['a', 'c'], 0, 2]).Array[0, 150].Sample(ops =>
        {
            var theirs = new List<string>();
            var mine = new OurList();
            foreach (var (op, index, item) in ops)
            {
                string expected = op switch
                {
                    < 3 => Outcome(() => { theirs.Add(item); return 0; }),
                    3 => Outcome(() => { theirs.Insert(index, item); return 0; }),
                    4 => Outcome(() => { theirs.RemoveAt(index); return 0; }),
                    5 => Outcome(() => theirs.Remove(item)),
                    6 => Outcome(() => theirs.IndexOf(item) + " " + theirs.Contains(item)),
                    7 => Outcome(() => theirs[index]),
                    8 => Outcome(() => { theirs[index] = item; return 0; }),
                    _ => Outcome(() => { if (index == 0) theirs.Clear(); return 0; }),
                };
                string actual = op switch
                {
                    < 3 => Outcome(() => { mine.Add(item); return 0; }),
                    3 => Outcome(() => { mine.Insert(index, item); return 0; }),
                    4 => Outcome(() => { mine.RemoveAt(index); return 0; }),
                    5 => Outcome(() => mine.Remove(item)),
                    6 => Outcome(() => mine.IndexOf(item) + " " + mine.Contains(item)),
                    7 => Outcome(() => mine[index]),
                    8 => Outcome(() => { mine[index] = item; return 0; }),
                    _ => Outcome(() => { if (index == 0) mine.Clear(); return 0; }),
                };
                Assert.Equal(expected, actual);
                Assert.Equal(theirs.Count, mine.Count);
            }
            Assert.Equal(theirs.ToArray(), mine.ToArray());
            var seen = new List<string>();
            foreach (string item in mine)
                seen.Add(item);
            Assert.Equal(theirs, seen);
            // Changing the list while enumerating it fails the same way.
            Assert.Equal(Outcome(() => { foreach (string s in theirs) theirs.Add("x"); return theirs.Count; }),
                Outcome(() => { foreach (string s in mine) mine.Add("x"); return mine.Count; }));
        });
    }

    [Fact]
    public void QueueMatchesTheBcl()
    {
        Gen.Select(Gen.Int[0, 5], Gen.String[0, 4]).Array[0, 200].Sample(ops =>
        {
            var theirs = new Queue<string>();
            var mine = new OurQueue();
            foreach (var (op, item) in ops)
            {
                string expected = op switch
                {
                    < 3 => Outcome(() => { theirs.Enqueue(item); return 0; }),
                    3 => Outcome(() => theirs.Dequeue()),
                    4 => Outcome(() => theirs.Peek() + theirs.TryPeek(out string p) + p),
                    _ => Outcome(() => theirs.TryDequeue(out string d) + d + theirs.Contains(item)),
                };
                string actual = op switch
                {
                    < 3 => Outcome(() => { mine.Enqueue(item); return 0; }),
                    3 => Outcome(() => mine.Dequeue()),
                    4 => Outcome(() => mine.Peek() + mine.TryPeek(out string p) + p),
                    _ => Outcome(() => mine.TryDequeue(out string d) + d + mine.Contains(item)),
                };
                Assert.Equal(expected, actual);
                Assert.Equal(theirs.Count, mine.Count);
            }
            var mineItems = new List<string>();
            foreach (string item in mine)
                mineItems.Add(item);
            Assert.Equal(theirs.ToArray(), mineItems);
            Assert.Equal(theirs.ToArray(), mine.ToArray());
        });
    }

    // The collections as IEnumerable<T>: LINQ (which only sees the interfaces, and disposes the enumerator) reads
    // the same sequence from ours as from the BCL's, for each collection and the dictionary's key and value views.
    [Fact]
    public void CollectionsEnumerateThroughIEnumerableAsTheBclDoes()
    {
        Gen.Int[-50, 50].Array[0, 60].Sample(values =>
        {
            var theirList = new List<int>(values);
            var ourList = new ours::System.Collections.Generic.List<int>();
            var theirQueue = new Queue<int>();
            var ourQueue = new ours::System.Collections.Generic.Queue<int>();
            var theirSet = new HashSet<int>();
            var ourSet = new ours::System.Collections.Generic.HashSet<int>();
            var theirMap = new Dictionary<int, int>();
            var ourMap = new OurDictionary();
            foreach (int v in values)
            {
                ourList.Add(v);
                theirQueue.Enqueue(v);
                ourQueue.Enqueue(v);
                theirSet.Add(v);
                ourSet.Add(v);
                theirMap[v] = -v;
                ourMap[v] = -v;
            }
            Assert.Equal(theirList, ((IEnumerable<int>)ourList).ToArray());
            Assert.Equal(theirQueue, ((IEnumerable<int>)ourQueue).ToArray());
            Assert.Equal(theirSet, ((IEnumerable<int>)ourSet).ToArray());
            Assert.Equal(theirMap, ((IEnumerable<KeyValuePair<int, int>>)ourMap).ToArray());
            Assert.Equal(theirMap.Keys, ((IEnumerable<int>)ourMap.Keys).ToArray());
            Assert.Equal(theirMap.Values, ((IEnumerable<int>)ourMap.Values).ToArray());
            Assert.Equal(theirList.Cast<object>(), ((System.Collections.IEnumerable)ourList).Cast<object>().ToArray());
        });
    }

    [Fact]
    public void AnInterfaceEnumeratorIsInvalidatedByAModificationAsInTheBcl()
    {
        var ourList = new ours::System.Collections.Generic.List<int> { 1, 2 };
        IEnumerator<int> e = ((IEnumerable<int>)ourList).GetEnumerator();
        Assert.True(e.MoveNext());
        ourList.Add(3);
        Assert.Throws<InvalidOperationException>(() => e.MoveNext());
    }
}
