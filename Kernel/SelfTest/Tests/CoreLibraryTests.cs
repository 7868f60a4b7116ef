// CoreLibraryTests.cs -- the core library's features as ILC compiles them: allocation and free, strings,
// generics, interfaces, delegates, statics, boxing, casts, spans.
using System;
using System.Collections.Generic;
using Internal.Runtime;

namespace Kernel.SelfTest.Tests
{
    internal static class CoreLibraryTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new AllocationTest());
            tests.Add(new StringTest());
            tests.Add(new GenericsTest());
            tests.Add(new InterfaceTest());
            tests.Add(new DelegateTest());
            tests.Add(new StaticsTest());
            tests.Add(new BoxingAndCastTest());
            tests.Add(new SpanTest());
            tests.Add(new ConcatAllocationTest());
            tests.Add(new BlockMemoryTest());
            tests.Add(new SimdIntrinsicsTest());
        }

        // Three- and four-piece Concat allocate exactly the result, no intermediate string (path joins did one extra
        // allocation per call before).
        private sealed class ConcatAllocationTest : SelfTest
        {
            public override string Name => "corelib: string.Concat of 3 and 4 pieces allocates once";

            public override void Run(SelfTestContext t)
            {
                string a = new string('a', 3);
                string b = new string('b', 2);
                string c = new string('c', 1);
                System.GC.TryStartNoGCRegion(0);   // a collection in between would change the counts
                ulong flags = Kernel.Arch.Cpu.SaveAndDisableInterrupts();
                ref SizeClassHeap heap = ref Allocator.Heap;
                ulong before = heap.LiveObjects;
                string three = string.Concat(a, b, c);
                ulong afterThree = heap.LiveObjects;
                string four = string.Concat(a, b, c, a);
                ulong afterFour = heap.LiveObjects;
                string skipsEmpty = string.Concat(a, "", c);
                ulong afterEmpty = heap.LiveObjects;
                Kernel.Arch.Cpu.RestoreInterrupts(flags);
                System.GC.EndNoGCRegion();
                t.Equal("aaabbc", three, "three pieces");
                t.Equal("aaabbcaaa", four, "four pieces");
                t.Equal("aaac", skipsEmpty, "an empty piece");
                t.Equal(1, (long)(afterThree - before), "objects made by Concat(a, b, c)");
                t.Equal(1, (long)(afterFour - afterThree), "objects made by Concat(a, b, c, d)");
                t.Equal(1, (long)(afterEmpty - afterFour), "objects made with an empty piece");
                Allocator.Free(three);
                Allocator.Free(four);
                Allocator.Free(skipsEmpty);
                Allocator.Free(a);
                Allocator.Free(b);
                Allocator.Free(c);
            }
        }

        // k_memset and k_memmove (eight bytes per iteration plus a tail) against byte loops: every length up to
        // 70 at every alignment up to 8, copies in both directions with every overlap distance, and the bytes
        // around each destination untouched.
        private sealed unsafe class BlockMemoryTest : SelfTest
        {
            public override string Name => "corelib: block fill and copy (all lengths, alignments, overlaps)";

            public override void Run(SelfTestContext t)
            {
                const int Size = 160;
                byte* a = stackalloc byte[Size];
                byte* expect = stackalloc byte[Size];
                int bad = 0;
                for (int length = 0; length <= 70 && bad == 0; length++)
                {
                    for (int at = 0; at <= 8 && bad == 0; at++)
                    {
                        Pattern(a, Size);
                        Pattern(expect, Size);
                        for (int i = 0; i < length; i++)
                            expect[at + i] = 0xA7;
                        Kernel.Arch.Cpu.SetMemory(a + at, 0xA7, (ulong)length);
                        bad += Differ(a, expect, Size);
                        for (int distance = -9; distance <= 9 && bad == 0; distance++)
                        {
                            int from = 40 + at;
                            int to = from + distance;
                            Pattern(a, Size);
                            Pattern(expect, Size);
                            for (int i = 0; i < length; i++)
                                expect[to + i] = (byte)(from + i);   // what Pattern put at the source
                            Kernel.Arch.Cpu.CopyMemory(a + to, a + from, (ulong)length);
                            bad += Differ(a, expect, Size);
                        }
                    }
                }
                t.Equal(0, bad, "cases whose result differs from the byte loop");
            }

            private static void Pattern(byte* p, int n)
            {
                for (int i = 0; i < n; i++)
                    p[i] = (byte)i;
            }

            private static int Differ(byte* x, byte* y, int n)
            {
                for (int i = 0; i < n; i++)
                    if (x[i] != y[i])
                        return 1;
                return 0;
            }
        }

        // The SSE2 intrinsics the core library declares for ILC (System.Runtime.Intrinsics): each against the
        // scalar arithmetic it stands for.
        private sealed unsafe class SimdIntrinsicsTest : SelfTest
        {
            public override string Name => "corelib: SSE2 intrinsics (PSADBW, PADDW, PEXTRW, PCMPEQB, PMOVMSKB)";

            public override void Run(SelfTestContext t)
            {
                byte* p = stackalloc byte[32];
                long sum = 0;
                for (int i = 0; i < 32; i++)
                {
                    p[i] = (byte)(i * 37 + 11);
                    sum += p[i];
                }
                p[5] = 0;
                sum -= (byte)(5 * 37 + 11);
                System.Runtime.Intrinsics.Vector128<byte> zero = default;
                var lo = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(p);
                var hi = System.Runtime.Intrinsics.X86.Sse2.LoadVector128(p + 16);
                var lanes = System.Runtime.Intrinsics.X86.Sse2.Add(
                    System.Runtime.Intrinsics.X86.Sse2.SumAbsoluteDifferences(lo, zero),
                    System.Runtime.Intrinsics.X86.Sse2.SumAbsoluteDifferences(hi, zero));
                long simd = System.Runtime.Intrinsics.X86.Sse2.Extract(lanes, 0) + System.Runtime.Intrinsics.X86.Sse2.Extract(lanes, 4);
                t.Equal(sum, simd, "byte sum by PSADBW + PADDW + PEXTRW");
                int mask = System.Runtime.Intrinsics.X86.Sse2.MoveMask(System.Runtime.Intrinsics.X86.Sse2.CompareEqual(lo, zero));
                t.Equal(1 << 5, mask, "PCMPEQB + PMOVMSKB find the zero byte at index 5");
            }
        }

        private sealed class Node
        {
            public int Value;
            public Node Next;
        }

        private sealed class AllocationTest : SelfTest
        {
            public override string Name => "corelib: allocation and free";

            public override void Run(SelfTestContext t)
            {
                // Read every counter before any check: a check formats its message, and that allocates. Interrupts
                // off: other worlds and interrupt handlers also allocate from the kernel heap.
                System.GC.TryStartNoGCRegion(0);   // a collection in between would change the counts
                ulong flags = Kernel.Arch.Cpu.SaveAndDisableInterrupts();
                ref SizeClassHeap heap = ref Allocator.Heap;
                ulong liveBefore = heap.LiveObjects;
                ulong bytesBefore = heap.BytesInUse;
                Node head = null;
                for (int i = 0; i < 1000; i++)
                    head = new Node { Value = i, Next = head };
                ulong liveAfterAllocating = heap.LiveObjects;
                int sum = 0;
                for (Node n = head; n != null; n = n.Next)
                    sum += n.Value;
                while (head != null)
                {
                    Node next = head.Next;
                    Allocator.Free(head);
                    head = next;
                }
                ulong liveAfterFreeing = heap.LiveObjects;
                ulong bytesAfterFreeing = heap.BytesInUse;
                byte[] big = new byte[100000];
                bool bigZeroed = big.Length == 100000 && big[0] == 0 && big[99999] == 0;
                Allocator.Free(big);
                ulong bytesAfterLarge = heap.BytesInUse;
                Kernel.Arch.Cpu.RestoreInterrupts(flags);
                System.GC.EndNoGCRegion();
                t.Equal(499500, sum, "sum over 1000 allocated nodes");
                t.Equal((long)liveBefore + 1000, (long)liveAfterAllocating, "live objects after 1000 allocations");
                t.Equal((long)liveBefore, (long)liveAfterFreeing, "live objects after freeing them");
                t.Equal((long)bytesBefore, (long)bytesAfterFreeing, "heap bytes in use after freeing");
                t.Check(bigZeroed, "large array is zeroed");
                t.Equal((long)bytesBefore, (long)bytesAfterLarge, "heap bytes after freeing a large array");
                int[] reused = new int[16];
                t.Check(reused[15] == 0, "reused memory is zeroed");
                Allocator.Free(reused);
            }
        }

        private sealed class StringTest : SelfTest
        {
            public override string Name => "corelib: strings";

            public override void Run(SelfTestContext t)
            {
                string s = string.Concat("vm", "kernel");
                t.Equal("vmkernel", s, "concat");
                t.Check(s == "vmkernel" && s != "vmk", "equality");
                t.Equal(2, s.IndexOf('k'), "IndexOf");
                t.Equal("kern", s.Substring(2, 4), "Substring");
                t.Check(s.StartsWith("vm") && s.EndsWith("nel"), "StartsWith/EndsWith");
                t.Equal("-42", (-42).ToString(), "int.ToString");
                t.Equal("18446744073709551615", ulong.MaxValue.ToString(), "ulong.ToString");
                t.Equal("00FF", 255.ToString("X4"), "hex format");
                t.Check(int.TryParse("1234", out int parsed) && parsed == 1234, "int.TryParse");
                t.Check(!int.TryParse("12a", out _), "int.TryParse rejects junk");
                string label = s switch { "vmkernel" => "yes", _ => "no" };
                t.Equal("yes", label, "switch on string");
                t.Equal("  ab", "ab".PadLeft(4), "PadLeft");
                t.Equal("AB", "ab".ToUpperInvariant(), "ToUpperInvariant");
            }
        }

        private sealed class Box<T>
        {
            public T Value;
            public Box(T value) => Value = value;
        }

        private static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;

        private struct Version : IComparable<Version>
        {
            public int Number;
            public int CompareTo(Version other) => Number - other.Number;
        }

        private sealed class GenericsTest : SelfTest
        {
            public override string Name => "corelib: generics";

            public override void Run(SelfTestContext t)
            {
                var ints = new Box<int>(7);
                var strings = new Box<string>("seven");
                t.Equal(7, ints.Value, "Box<int>");
                t.Equal("seven", strings.Value, "Box<string>");
                var list = new List<int>();
                for (int i = 0; i < 100; i++)
                    list.Add(i * i);
                list.RemoveAt(0);
                t.Equal(99, list.Count, "List<int>.Count");
                t.Equal(1, list[0], "List<int> after RemoveAt");
                int total = 0;
                foreach (int v in list)
                    total += v;
                t.Equal(328350, total, "foreach over List<int>");
                t.Equal(9, Max(new Version { Number = 3 }, new Version { Number = 9 }).Number, "constrained generic method over a struct");
            }
        }

        private interface IShape
        {
            int Area();
            string Kind => "shape";
        }

        private sealed class Square : IShape
        {
            public int Side;
            public int Area() => Side * Side;
        }

        private sealed class Rectangle : IShape
        {
            public int W, H;
            public int Area() => W * H;
            public string Kind => "rectangle";
        }

        private sealed class Triangle : IShape
        {
            public int B, H;
            public int Area() => B * H / 2;
        }

        private sealed class InterfaceTest : SelfTest
        {
            public override string Name => "corelib: interfaces";

            public override void Run(SelfTestContext t)
            {
                IShape[] shapes = { new Square { Side = 3 }, new Rectangle { W = 2, H = 5 }, new Triangle { B = 4, H = 3 } };
                int total = 0;
                for (int i = 0; i < shapes.Length; i++)
                    total += shapes[i].Area();
                t.Equal(25, total, "interface dispatch over three implementations");
                t.Equal("shape", shapes[0].Kind, "default interface method");
                t.Equal("rectangle", shapes[1].Kind, "overridden default interface method");
                t.Check(shapes[1] is Rectangle && !(shapes[0] is Rectangle), "is on classes");
            }
        }

        private sealed class DelegateTest : SelfTest
        {
            public override string Name => "corelib: delegates";

            private int _calls;
            private void Count() => _calls++;
            private static int Twice(int x) => x * 2;

            public override void Run(SelfTestContext t)
            {
                Func<int, int> twice = Twice;
                t.Equal(42, twice(21), "static method delegate");
                Action instance = Count;
                instance();
                instance();
                t.Equal(2, _calls, "instance method delegate");
                int captured = 10;
                Func<int, int> add = x => x + captured;
                captured = 32;
                t.Equal(42, add(10), "closure sees the captured variable");
                unsafe
                {
                    delegate*<int, int> pointer = &Twice;
                    t.Equal(8, pointer(4), "function pointer");
                }
            }
        }

        private static class Lazy
        {
            public static int Initialized;
            public static readonly string Greeting = Compute();

            private static string Compute()
            {
                Initialized++;
                return "hello";
            }
        }

        private static readonly int[] s_table = { 1, 2, 3, 5, 8 };
        private static string s_reference = "static";

        private sealed class StaticsTest : SelfTest
        {
            public override string Name => "corelib: statics";

            public override void Run(SelfTestContext t)
            {
                t.Equal(5, s_table.Length, "preinitialized static array");
                t.Equal(8, s_table[4], "preinitialized static array element");
                t.Equal("static", s_reference, "reference-type static");
                s_reference = "changed";
                t.Equal("changed", s_reference, "static written and read back");
                t.Equal("hello", Lazy.Greeting, "static constructor result");
                t.Equal(1, Lazy.Initialized, "static constructor ran once");
            }
        }

        private sealed class BoxingAndCastTest : SelfTest
        {
            public override string Name => "corelib: boxing and casts";

            public override void Run(SelfTestContext t)
            {
                object boxed = 1234;
                t.Check(boxed is int, "boxed int is int");
                t.Equal(1234, (int)boxed, "unbox");
                object text = "text";
                t.Check(text is string && !(text is int), "type tests");
                t.Equal("1234", boxed.ToString(), "virtual call on a boxed value");
            }
        }

        private sealed class SpanTest : SelfTest
        {
            public override string Name => "corelib: spans";

            public override unsafe void Run(SelfTestContext t)
            {
                Span<byte> stack = stackalloc byte[64];
                stack.Fill(7);
                t.Equal(7, stack[63], "stackalloc span fill");
                byte[] array = new byte[16];
                stack.Slice(10, 16).CopyTo(array);
                t.Equal(7, array[15], "span CopyTo array");
                ReadOnlySpan<char> chars = "kernel";
                t.Equal('n', chars.Slice(3)[0], "string as span");
            }
        }
    }
}
