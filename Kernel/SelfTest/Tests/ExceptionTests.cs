// ExceptionTests.cs -- exceptions in the running kernel: the unwinder on a known call chain; throw and catch
// across frames and through interface, virtual and delegate calls; nested try/catch/finally order; filters
// before inner finally blocks; rethrow and the backtrace; handlers that throw; faults as exceptions; two worlds
// dispatching at the same time; an unhandled exception ending only a helper world.
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Internal.Runtime.ExceptionHandling;
using Internal.Runtime.Unwinding;
using Kernel.Memory;
using Kernel.Panic;
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.SelfTest.Tests
{
    internal static unsafe class ExceptionTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new UnwinderCallChainTest());
            tests.Add(new WalkDuringDispatchTest());
            tests.Add(new ThrowCatchTest());
            tests.Add(new CatchByBaseTypeTest());
            tests.Add(new NestedOrderTest());
            tests.Add(new FilterBeforeFinallyTest());
            tests.Add(new ThroughCallsTest());
            tests.Add(new RethrowBacktraceTest());
            tests.Add(new FinallyExitsTest());
            tests.Add(new ThrowingHandlersTest());
            tests.Add(new HardwareFaultsTest());
            tests.Add(new CompilerChecksTest());
            tests.Add(new TwoWorldsTest());
            tests.Add(new UnhandledInHelperWorldTest());
        }

        // ------------------------------------------------------------------------------------------------ helpers

        private static string s_log;

        private static void Log(string step) => s_log = string.Concat(s_log, step);

        private static bool LogAndReturn(string step, bool result)
        {
            Log(step);
            return result;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(string message) => throw new InvalidOperationException(message);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Opaque(int value) => value;

        private static int Depth => ThreadExceptionState.Current->Depth;

        // The method containing a return address (its call instruction), as the panic backtrace names it.
        private static ulong FunctionOf(ulong returnAddress) => SymbolTable.Lookup(returnAddress - 1).Address;

        private static void NoDispatchLeft(SelfTestContext t)
            => t.Equal(0, Depth, "no exception dispatch is left in this world's chain");

        private sealed class TestException : Exception
        {
            public readonly object Owner;
            public readonly int Round;

            public TestException(object owner, int round) : base("test") { Owner = owner; Round = round; }
        }

        private sealed class OtherException : Exception
        {
            public OtherException(string message) : base(message) { }
        }

        // ------------------------------------------------------------------------------------------------ unwinder

        private sealed class Walk
        {
            public readonly ulong[] Starts = new ulong[8];
            public int Count;
            public int Total;
            public StackWalkEnd End;
            public FuncletKind FirstKind = (FuncletKind)0xFF;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ChainA(Walk walk) => ChainB(walk) + 1;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ChainB(Walk walk) => ChainC(walk) + 1;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ChainC(Walk walk)
        {
            RegisterContext context;
            StackFrameIterator.CaptureCallerContext(&context);
            StackFrameIterator frames = default;
            for (bool valid = frames.Init(&context, false, StackWalkMode.Physical); valid; valid = frames.Next())
            {
                if (walk.Count == 0)
                    walk.FirstKind = frames.Method.Kind;
                if (walk.Count < walk.Starts.Length)
                    walk.Starts[walk.Count++] = frames.Method.MethodStart;
                walk.Total++;
            }
            walk.End = frames.End;
            return 1;
        }

        private sealed class UnwinderCallChainTest : SelfTest
        {
            public override string Name => "exceptions: the unwinder walks a known call chain to the stack's end";

            public override void Run(SelfTestContext t)
            {
                t.Check(CodeMap.IsRegistered && CodeMap.FdeCount > 500, string.Concat("the image's FDE table is registered (", CodeMap.FdeCount.ToString(), " FDEs)"));
                var walk = new Walk();
                t.Equal(3, ChainA(walk), "the chain ran");
                t.Check(walk.Count >= 4, string.Concat("frames walked: ", walk.Total.ToString()));
                t.Equal((long)(ulong)(delegate*<Walk, int>)&ChainC, (long)walk.Starts[0], "frame 0 is ChainC");
                t.Equal((long)(ulong)(delegate*<Walk, int>)&ChainB, (long)walk.Starts[1], "frame 1 is ChainB");
                t.Equal((long)(ulong)(delegate*<Walk, int>)&ChainA, (long)walk.Starts[2], "frame 2 is ChainA");
                t.Check(walk.FirstKind == FuncletKind.MainBody, "frame 0 is a main body, not a funclet");
                // The boot world's stack ends in KernelEntry, an UnmanagedCallersOnly method called by boot.asm.
                t.Check(walk.End == StackWalkEnd.ReversePInvoke, string.Concat("the walk ended at the native caller (end ", ((int)walk.End).ToString(), ")"));
                t.Check(walk.Total > 5 && walk.Total < 40, string.Concat("a plausible stack depth: ", walk.Total.ToString()));
                MethodInfo code;
                t.Check(MethodInfo.TryFind((ulong)(delegate*<Walk, int>)&ChainB + 1, out code) && code.MethodStart == (ulong)(delegate*<Walk, int>)&ChainB,
                    "MethodInfo finds a method from an address inside it");
                t.Check(!CodeMap.IsManagedCode(EHThunks.HardwareFaultEntry), "assembly code has no unwind data");
            }
        }

        // A collector's view of a stack in the middle of a dispatch (Physical: every frame on the stack, through the
        // dispatcher and its thunks) and the dispatcher's own view (Exception: funclets collapse onto their method).
        private sealed class DispatchWalk
        {
            public int Frames, Funclets, DispatcherFrames, ThrowerFrames, FaultingFrames, CollidedFrames, OwnerFrames;
            public StackWalkEnd End;
        }

        private static DispatchWalk s_walk;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void WalkHere(StackWalkMode mode, ulong thrower, ulong owner)
        {
            var walk = new DispatchWalk();
            RegisterContext context;
            StackFrameIterator.CaptureCallerContext(&context);
            StackFrameIterator frames = default;
            for (bool valid = frames.Init(&context, false, mode); valid; valid = frames.Next())
            {
                walk.Frames++;
                MethodInfo method = frames.Method;
                if (method.IsFunclet)
                    walk.Funclets++;
                else if (method.MethodStart == owner)
                    walk.OwnerFrames++;
                if (method.MethodStart == thrower)
                    walk.ThrowerFrames++;
                if (frames.IsFaultingFrame)
                    walk.FaultingFrames++;
                if (frames.ResumeAfterClause != StackFrameIterator.NoClause)
                    walk.CollidedFrames++;
                if (IsDispatcher(method.MethodStart))
                    walk.DispatcherFrames++;
            }
            walk.End = frames.End;
            s_walk = walk;
        }

        private static bool IsDispatcher(ulong methodStart)
        {
            SymbolTable.Symbol symbol = SymbolTable.Lookup(methodStart);
            const string prefix = "S_P_CoreLib_Internal_Runtime_ExceptionHandling_ExceptionDispatch__";
            if (symbol.NameLength < prefix.Length)
                return false;
            for (int i = 0; i < prefix.Length; i++)
                if (symbol.Name[i] != prefix[i])
                    return false;
            return true;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowAndWalkInFinally(StackWalkMode mode)
        {
            try
            {
                Throw("walk");
            }
            finally
            {
                WalkHere(mode, (ulong)(delegate*<string, void>)&Throw, (ulong)(delegate*<StackWalkMode, void>)&ThrowAndWalkInFinally);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FaultAndWalkInFinally()
        {
            try
            {
                LengthOf(null);
            }
            finally
            {
                WalkHere(StackWalkMode.Physical, (ulong)(delegate*<string, int>)&LengthOf, 0);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void WalkInCatch()
        {
            try
            {
                Throw("walk");
            }
            catch (InvalidOperationException)
            {
                WalkHere(StackWalkMode.Exception, (ulong)(delegate*<string, void>)&Throw, (ulong)(delegate*<void>)&WalkInCatch);
            }
        }

        private sealed class WalkDuringDispatchTest : SelfTest
        {
            public override string Name => "exceptions: stack walks in the middle of a dispatch (collector and dispatcher views)";

            public override void Run(SelfTestContext t)
            {
                s_walk = null;
                try { ThrowAndWalkInFinally(StackWalkMode.Physical); } catch (InvalidOperationException) { }
                DispatchWalk w = s_walk;
                t.Check(w != null && w.End == StackWalkEnd.ReversePInvoke, "physical: the walk from a finally handler reaches the stack's end");
                if (w != null)
                {
                    t.Check(w.Funclets == 1, string.Concat("physical: the finally funclet is one frame (", w.Funclets.ToString(), ")"));
                    t.Check(w.DispatcherFrames >= 2, string.Concat("physical: through the dispatcher's frames (", w.DispatcherFrames.ToString(), ")"));
                    t.Check(w.ThrowerFrames == 1, "physical: through the throw thunk to the throw site");
                    t.Check(w.OwnerFrames == 1, "physical: and the finally's own method once, below the throw site");
                    t.Check(w.CollidedFrames == 0, "physical: no collisions");
                }

                s_walk = null;
                try { FaultAndWalkInFinally(); } catch (NullReferenceException) { }
                w = s_walk;
                t.Check(w != null && w.End == StackWalkEnd.ReversePInvoke && w.ThrowerFrames == 1 && w.FaultingFrames == 1,
                    "physical: from a finally during a fault's dispatch, the faulting frame is found and marked");

                s_walk = null;
                try { ThrowAndWalkInFinally(StackWalkMode.Exception); } catch (InvalidOperationException) { }
                w = s_walk;
                t.Check(w != null && w.End == StackWalkEnd.ReversePInvoke, "exception: the walk from a finally handler reaches the stack's end");
                if (w != null)
                {
                    t.Check(w.DispatcherFrames == 0 && w.ThrowerFrames == 0, "exception: the dispatcher and the abandoned frames are skipped");
                    t.Check(w.CollidedFrames == 1 && w.OwnerFrames == 1, "exception: the funclet collapses onto its method, after its clause");
                }

                s_walk = null;
                WalkInCatch();
                w = s_walk;
                t.Check(w != null && w.Funclets == 1 && w.CollidedFrames == 1 && w.OwnerFrames == 1 && w.DispatcherFrames == 0,
                    "exception: from a catch handler, the same");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ basics

        private sealed class ThrowCatchTest : SelfTest
        {
            public override string Name => "exceptions: throw across frames, catch by type";

            public override void Run(SelfTestContext t)
            {
                string caught = null;
                int depthInHandler = -1;
                try
                {
                    Throw("across");
                    caught = "not thrown";
                }
                catch (OtherException)
                {
                    caught = "wrong clause";
                }
                catch (InvalidOperationException e)
                {
                    caught = e.Message;
                    depthInHandler = Depth;
                }
                t.Equal("across", caught, "the matching clause caught the exception");
                var wrapped = new InvalidOperationException("outer", new ArgumentNullException("name"));
                t.Check(wrapped.StackTrace == null, "an exception never thrown has no stack trace");
                t.Equal("System.InvalidOperationException: outer ---> System.ArgumentNullException: Value cannot be null. (Parameter 'name')\n   --- End of inner exception stack trace ---",
                    wrapped.ToString(), "ToString names the types and includes the inner exception");
                t.Check(wrapped.GetBaseException() is ArgumentNullException, "GetBaseException is the innermost");
                t.Equal(1, depthInHandler, "one dispatch in flight while its catch handler runs");
                NoDispatchLeft(t);

                object thrown = null;
                try
                {
                    throw null;
                }
                catch (NullReferenceException e)
                {
                    thrown = e;
                }
                t.Check(thrown != null, "`throw null` throws NullReferenceException");
            }
        }

        private sealed class CatchByBaseTypeTest : SelfTest
        {
            public override string Name => "exceptions: catch by base type, object and the catch-all";

            public override void Run(SelfTestContext t)
            {
                int hits = 0;
                try { throw new ArgumentOutOfRangeException("index"); }
                catch (ArgumentException e) { hits += e.ParamName == "index" ? 1 : 100; }
                try { throw new DivideByZeroException(); }
                catch (ArithmeticException) { hits++; }
                try { Throw("x"); }
                catch (SystemException) { hits++; }
                try { Throw("x"); }
                catch (Exception) { hits++; }
                try { Throw("x"); }
                catch { hits++; }
                t.Equal(5, hits, "each throw caught by a clause of a base type");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ ordering

        private sealed class NestedOrderTest : SelfTest
        {
            public override string Name => "exceptions: nested try/catch/finally run in order";

            public override void Run(SelfTestContext t)
            {
                s_log = "";
                try
                {
                    try
                    {
                        try
                        {
                            Log("a");
                            Throw("x");
                            Log("!");
                        }
                        finally
                        {
                            Log("b");
                        }
                    }
                    catch (ArgumentException)
                    {
                        Log("!");
                    }
                    finally
                    {
                        Log("c");
                    }
                    Log("!");
                }
                catch (InvalidOperationException e)
                {
                    Log("d");
                    Log(e.Message);
                }
                finally
                {
                    Log("e");
                }
                Log("f");
                t.Equal("abcdxef", s_log, "order of try, finally, catch and the code after");
                NoDispatchLeft(t);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowWithInnerFinally()
        {
            try
            {
                Log("t");
                Throw("inner");
            }
            finally
            {
                Log("F");
            }
        }

        private sealed class FilterBeforeFinallyTest : SelfTest
        {
            public override string Name => "exceptions: `when` filters run before inner finally blocks";

            public override void Run(SelfTestContext t)
            {
                s_log = "";
                try
                {
                    ThrowWithInnerFinally();
                }
                catch (InvalidOperationException) when (LogAndReturn("1", false))
                {
                    Log("!");
                }
                catch (InvalidOperationException e) when (LogAndReturn("2", e.Message == "inner"))
                {
                    Log("C");
                }
                t.Equal("t12FC", s_log, "both filters ran, then the inner finally, then the catch");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ calls

        private interface IAction
        {
            int Act(int value);
        }

        private sealed class ActionA : IAction { public int Act(int value) => value + 1; }
        private sealed class ActionB : IAction { public int Act(int value) => value > 0 ? throw new OtherException("interface") : value; }
        private sealed class ActionC : IAction { public int Act(int value) => value * 2; }

        private abstract class Shape
        {
            public abstract int Area();
        }

        private sealed class Square : Shape { public override int Area() => 4; }
        private sealed class Broken : Shape { public override int Area() => throw new OtherException("virtual"); }

        private sealed class ThroughCallsTest : SelfTest
        {
            public override string Name => "exceptions: through interface, virtual and delegate calls";

            public override void Run(SelfTestContext t)
            {
                IAction[] actions = { new ActionA(), new ActionB(), new ActionC() };
                string caught = null;
                try
                {
                    int sum = 0;
                    for (int i = 0; i < actions.Length; i++)
                        sum += actions[Opaque(i)].Act(5);
                    caught = sum.ToString();
                }
                catch (OtherException e)
                {
                    caught = e.Message;
                }
                t.Equal("interface", caught, "through an interface call");

                Shape[] shapes = { new Square(), new Broken() };
                try
                {
                    int total = 0;
                    for (int i = 0; i < shapes.Length; i++)
                        total += shapes[Opaque(i)].Area();
                    caught = total.ToString();
                }
                catch (OtherException e)
                {
                    caught = e.Message;
                }
                t.Equal("virtual", caught, "through a virtual call");

                int captured = Opaque(3);
                Func<int, int> lambda = x => x > captured ? throw new OtherException("delegate") : x;
                Action<string> method = Throw;
                try
                {
                    caught = lambda(Opaque(10)).ToString();
                }
                catch (OtherException e)
                {
                    caught = e.Message;
                }
                t.Equal("delegate", caught, "through a closure delegate");
                try
                {
                    method("static delegate");
                }
                catch (InvalidOperationException e)
                {
                    caught = e.Message;
                }
                t.Equal("static delegate", caught, "through a delegate to a static method");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ rethrow

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowDeep() => throw new InvalidOperationException("deep");

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Rethrow()
        {
            try
            {
                ThrowDeep();
            }
            catch (InvalidOperationException)
            {
                Log("r");
                throw;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowAgain()
        {
            try
            {
                ThrowDeep();
            }
            catch (InvalidOperationException e)
            {
#pragma warning disable CA2200 // restarting the backtrace is what this checks
                throw e;
#pragma warning restore CA2200
            }
        }

        private static bool HasFrameIn(Exception e, ulong function)
        {
            for (int i = 0; i < ExceptionFrames.Count(e); i++)
                if (FunctionOf(ExceptionFrames.Ip(e, i)) == function)
                    return true;
            return false;
        }

        private sealed class RethrowBacktraceTest : SelfTest
        {
            public override string Name => "exceptions: `throw;` keeps the original backtrace, `throw e` restarts it";

            public override void Run(SelfTestContext t)
            {
                ulong deep = (ulong)(delegate*<void>)&ThrowDeep;
                ulong rethrow = (ulong)(delegate*<void>)&Rethrow;
                ulong throwAgain = (ulong)(delegate*<void>)&ThrowAgain;
                s_log = "";
                Exception caught = null;
                try
                {
                    Rethrow();
                }
                catch (InvalidOperationException e)
                {
                    caught = e;
                }
                t.Check(caught != null && s_log == "r", "the rethrown exception reached the outer catch");
                if (caught != null)
                {
                    t.Check(ExceptionFrames.Count(caught) >= 3, string.Concat("frames recorded: ", ExceptionFrames.Count(caught).ToString()));
                    t.Equal((long)deep, (long)FunctionOf(ExceptionFrames.Ip(caught, 0)), "frame 0 is still the original throw site (ThrowDeep)");
                    t.Equal((long)rethrow, (long)FunctionOf(ExceptionFrames.Ip(caught, 1)), "frame 1 is the method that rethrew");
                    t.Check(HasFrameIn(caught, FunctionOf(ExceptionFrames.Ip(caught, ExceptionFrames.Count(caught) - 1))) && ExceptionFrames.Count(caught) == 3,
                        "then the catching method, once (the rethrow added no duplicate frames)");
                    string trace = caught.StackTrace;
                    t.Check(trace != null && trace.IndexOf("ThrowDeep") > 0 && trace.IndexOf("Rethrow") > 0, string.Concat("StackTrace names the methods: ", trace ?? "(null)"));
                }

                caught = null;
                try
                {
                    ThrowAgain();
                }
                catch (InvalidOperationException e)
                {
                    caught = e;
                }
                t.Check(caught != null, "`throw e` reached the outer catch");
                if (caught != null)
                {
                    t.Equal((long)throwAgain, (long)FunctionOf(ExceptionFrames.Ip(caught, 0)), "`throw e` starts the backtrace where it throws");
                    t.Check(!HasFrameIn(caught, deep), "and the original throw site is gone");
                }
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ finally

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int WithFinally(bool fail)
        {
            try
            {
                Log("T");
                if (fail)
                    Throw("fail");
                return Opaque(7);
            }
            finally
            {
                Log("F");
            }
        }

        private sealed class FinallyExitsTest : SelfTest
        {
            public override string Name => "exceptions: finally runs on normal and exceptional exit";

            public override void Run(SelfTestContext t)
            {
                s_log = "";
                t.Equal(7, WithFinally(false), "the try block's return value");
                t.Equal("TF", s_log, "finally on a normal return");
                s_log = "";
                try
                {
                    WithFinally(true);
                }
                catch (InvalidOperationException)
                {
                    Log("C");
                }
                t.Equal("TFC", s_log, "finally on the way out of a throw, before the catch");
                s_log = "";
                for (int i = 0; i < 3; i++)
                {
                    try
                    {
                        if (Opaque(i) == 1)
                            continue;
                        Log(i.ToString());
                    }
                    finally
                    {
                        Log("f");
                    }
                }
                t.Equal("0ff2f", s_log, "finally on `continue`");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ handlers that throw

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowFromFinally()
        {
            try
            {
                Throw("first");
            }
            finally
            {
                throw new OtherException("from finally");
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowFromCatch()
        {
            try
            {
                Throw("first");
            }
            catch (InvalidOperationException)
            {
                Log("c");
                throw new OtherException("from catch");
            }
            catch (OtherException)
            {
                Log("!");                  // a sibling clause never sees what a handler of its try throws
            }
        }

        private static bool ThrowingFilter() => throw new OtherException("from filter");

        // A finally that throws when left normally. Its nested try keeps the compiler from cloning it into the normal
        // path, so it is a funclet called from the method's body: its exception must not run it a second time.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void FinallyThrowsOnNormalExit()
        {
            try
            {
                Log("t");
            }
            finally
            {
                Log("f");
                try
                {
                    if (Opaque(1) == 1)
                        throw new OtherException("from a normal finally");
                }
                finally
                {
                    Log("n");
                }
            }
        }

        private sealed class ThrowingHandlersTest : SelfTest
        {
            public override string Name => "exceptions: from finally and catch handlers; a throwing filter says no";

            public override void Run(SelfTestContext t)
            {
                string caught = null;
                try
                {
                    ThrowFromFinally();
                }
                catch (InvalidOperationException)
                {
                    caught = "the replaced exception";
                }
                catch (OtherException e)
                {
                    caught = e.Message;
                }
                t.Equal("from finally", caught, "an exception escaping a finally replaces the one in flight");
                NoDispatchLeft(t);

                s_log = "";
                caught = null;
                try
                {
                    ThrowFromCatch();
                }
                catch (OtherException e)
                {
                    caught = e.Message;
                }
                t.Equal("from catch", caught, "an exception escaping a catch handler goes to the caller");
                t.Equal("c", s_log, "the catch ran once and its sibling clause never");
                NoDispatchLeft(t);

                s_log = "";
                try
                {
                    Throw("filtered");
                }
                catch (InvalidOperationException) when (ThrowingFilter())
                {
                    Log("!");
                }
                catch (InvalidOperationException e)
                {
                    Log(e.Message);
                }
                t.Equal("filtered", s_log, "a filter that throws counts as false");
                NoDispatchLeft(t);

                s_log = "";
                try
                {
                    Throw("outer");
                }
                catch (InvalidOperationException e)
                {
                    try
                    {
                        throw new OtherException("inner");
                    }
                    catch (OtherException inner)
                    {
                        Log(inner.Message);
                        Log(Depth.ToString());
                    }
                    Log(e.Message);
                    Log(Depth.ToString());
                }
                t.Equal("inner2outer1", s_log, "a throw and catch inside a catch handler, dispatches nested then unlinked");
                NoDispatchLeft(t);

                s_log = "";
                caught = null;
                try
                {
                    FinallyThrowsOnNormalExit();
                }
                catch (OtherException e)
                {
                    caught = e.Message;
                }
                t.Equal("from a normal finally", caught, "an exception from a finally run on the normal path");
                t.Equal("tfn", s_log, "that finally ran once");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ faults

        private sealed class Holder
        {
            public int Value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int LengthOf(string s) => s.Length;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Store(Holder h) => h.Value = 1;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Divide(int a, int b) => a / b;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long Remainder(long a, long b) => a % b;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static byte ReadAt(ulong address) => *(byte*)address;

        private sealed class HardwareFaultsTest : SelfTest
        {
            public override string Name => "exceptions: null dereference and divide by zero faults become exceptions";

            public override void Run(SelfTestContext t)
            {
                Exception caught = null;
                try
                {
                    LengthOf(null);
                }
                catch (NullReferenceException e)
                {
                    caught = e;
                }
                t.Check(caught != null, "reading through null throws NullReferenceException");
                if (caught != null)
                {
                    t.Check(ExceptionFrames.IsFaultingFrame(caught, 0), "frame 0 is the faulting instruction");
                    t.Equal((long)(ulong)(delegate*<string, int>)&LengthOf, (long)SymbolTable.Lookup(ExceptionFrames.Ip(caught, 0)).Address, "in LengthOf");
                }
                int hits = 0;
                try { Store(null); } catch (NullReferenceException) { hits++; }
                try { Divide(Opaque(1), Opaque(0)); } catch (DivideByZeroException) { hits++; }
                try { Remainder(Opaque(1), Opaque(0)); } catch (DivideByZeroException) { hits++; }
                t.Equal(3, hits, "null store, int division and long remainder by zero");
                // A field far from the object start: anything below 64 KiB is the null guard (the kernel maps nothing
                // in the lower half).
                if (Paging.Query(0x2000) == 0)
                {
                    hits = 0;
                    try { ReadAt(0x2000); } catch (NullReferenceException) { hits++; }
                    t.Equal(1, hits, "a read 8 KiB past null");
                }
                for (int i = 0; i < 100; i++)
                {
                    try { LengthOf(null); } catch (NullReferenceException) { hits++; }
                }
                t.Check(hits >= 100, "a hundred faults in a row");
                NoDispatchLeft(t);
            }
        }

        private static bool Throws<T>(Func<int> body) where T : Exception
        {
            try
            {
                body();
                return false;
            }
            catch (T)
            {
                return true;
            }
        }

        private sealed class CompilerChecksTest : SelfTest
        {
            public override string Name => "exceptions: bounds, overflow and cast checks throw";

            public override void Run(SelfTestContext t)
            {
                int[] array = new int[3];
                object boxed = "text";
                t.Check(Throws<IndexOutOfRangeException>(() => array[Opaque(5)] = 1), "store past the end of an array");
                t.Check(Throws<IndexOutOfRangeException>(() => array[Opaque(-1)]), "load before the start of an array");
                t.Check(Throws<OverflowException>(() => checked(int.MaxValue + Opaque(1))), "checked int addition");
                t.Check(Throws<OverflowException>(() => checked((byte)Opaque(300))), "checked narrowing");
                // (To a type that has instances: ILC drops casts to a class nothing ever allocates.)
                object other = new OtherException("not a racer");
                t.Check(Throws<InvalidCastException>(() => ((Racer)other).Caught), "cast to an unrelated class");
                t.Check(Throws<InvalidCastException>(() => (int)boxed), "unbox of the wrong type");
                NoDispatchLeft(t);
            }
        }

        // ------------------------------------------------------------------------------------------------ worlds

        private sealed class Racer
        {
            public int Caught;
            public int Wrong;
            public int Finally;
        }

        private const int RaceRounds = 200;

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ThrowTagged(Racer racer, int round)
        {
            try
            {
                throw new TestException(racer, round);
            }
            finally
            {
                racer.Finally++;
                Scheduler.Yield();          // switch worlds in the middle of the second pass
            }
        }

        private static bool YieldThen(bool result)
        {
            Scheduler.Yield();              // and in the middle of the first pass
            return result;
        }

        private static void Race(object argument)
        {
            var racer = (Racer)argument;
            for (int round = 0; round < RaceRounds; round++)
            {
                try
                {
                    ThrowTagged(racer, round);
                }
                catch (TestException e) when (YieldThen(true))
                {
                    if (e.Owner == racer && e.Round == round && Depth == 1)
                        racer.Caught++;
                    else
                        racer.Wrong++;
                }
            }
        }

        private static ResourceGroup Group()
        {
            Scheduler.Groups.AddPath("host/system/selftest-exceptions", out ResourceGroup group);
            return group;
        }

        private sealed class TwoWorldsTest : SelfTest
        {
            public override string Name => "exceptions: two worlds throwing at the same time catch their own";

            public override void Run(SelfTestContext t)
            {
                var first = new Racer();
                var second = new Racer();
                World a = Scheduler.Spawn("selftest-throw-a", WorldType.System, Group(), &Race, first);
                World b = Scheduler.Spawn("selftest-throw-b", WorldType.System, Group(), &Race, second);
                t.Check(a != null && b != null, "both worlds started");
                if (a == null || b == null)
                    return;
                Scheduler.Join(a);
                Scheduler.Join(b);
                t.Equal(RaceRounds, first.Caught, "world A caught each of its exceptions");
                t.Equal(RaceRounds, second.Caught, "world B caught each of its exceptions");
                t.Equal(0, first.Wrong + second.Wrong, "no world saw the other's exception");
                t.Equal(2 * RaceRounds, first.Finally + second.Finally, "every finally ran");
                NoDispatchLeft(t);
            }
        }

        private sealed class Flag
        {
            public int Value;
        }

        private static void ThrowUnhandled(object argument)
        {
            ((Flag)argument).Value = 1;
            try
            {
                Throw("nobody catches this");
            }
            finally
            {
                ((Flag)argument).Value = 2;     // an unhandled exception runs no finally
            }
        }

        private sealed class UnhandledInHelperWorldTest : SelfTest
        {
            public override string Name => "exceptions: an unhandled exception ends a helper world, not the kernel";

            public override void Run(SelfTestContext t)
            {
                var flag = new Flag();
                World w = Scheduler.Spawn("selftest-unhandled", WorldType.System | WorldType.Helper, Group(), &ThrowUnhandled, flag);
                t.Check(w != null, "the helper world started");
                if (w == null)
                    return;
                int status = Scheduler.Join(w);
                t.Equal(UnhandledExceptionPolicy.ExitStatus, status, "it ended with the unhandled-exception status");
                t.Equal(1, flag.Value, "it ran up to the throw, and its finally did not run");
                t.Check(!UnhandledExceptionPolicy.EndsOnlyTheWorld(Scheduler.Current), "the self-test world itself is a kernel world");
            }
        }
    }
}
