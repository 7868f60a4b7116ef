// ExceptionDispatch.cs -- two-pass exception dispatch over the frames the unwinder yields, as NativeAOT does it:
//   pass 1 walks from the throw site to the first clause that catches (a catch of a matching type, or a `when`
//          filter that says yes; filters run here, before any finally), recording the backtrace on the way;
//   pass 2 walks the same frames again running every finally/fault handler between the throw site and the
//          catching clause, innermost first, then calls the catch handler and resumes the method after it.
// A dispatch with no catching clause is unhandled: the kernel's handler decides (panic, or end the world); no
// finally runs for it. Everything a dispatch needs lives in its ExInfo on this stack, linked into the running
// thread's chain, so threads (worlds) dispatch independently and handlers may throw again (nested dispatches).
using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime.Unwinding;

#pragma warning disable CS8500 // ExInfo holds the exception object; pointers to it are stack addresses

namespace Internal.Runtime.ExceptionHandling
{
    public static unsafe class ExceptionDispatch
    {
        private const uint NoClause = StackFrameIterator.NoClause;

        // Handlers that throw while a dispatch runs nest dispatches; this many means a handler keeps failing.
        private const int MaxNestedDispatches = 16;

        private static delegate*<Exception, void> s_unhandled;

        /// <summary>What happens to an exception no clause catches (never returns). Without one: fail fast.</summary>
        public static void SetUnhandledExceptionHandler(delegate*<Exception, void> handler) => s_unhandled = handler;

        /// <summary>Entered from the throw thunks (Kernel/Boot/exceptions.asm) with the throw site's registers.</summary>
        [RuntimeExport("RhpDispatchException")]
        private static void Dispatch(object exception, ExceptionKind kind, RegisterContext* context)
        {
            ThreadExceptionState* thread = ThreadExceptionState.Current;
            if (thread->Depth >= MaxNestedDispatches)
                RuntimeEnv.FailFast("exception dispatch nested too deeply (handlers keep throwing)");
            exception = ExceptionToDispatch(exception, kind, thread);

            ExInfo exInfo = default;
            exInfo.Exception = exception;
            exInfo.Kind = kind;
            exInfo.ThrowContext = context;
            exInfo.Thread = thread;
            exInfo.Previous = thread->Head;
            exInfo.PassNumber = 1;
            exInfo.CurrentClause = NoClause;
            thread->Head = &exInfo;

            bool faulting = kind == ExceptionKind.HardwareNullReference || kind == ExceptionKind.HardwareDivideByZero;
            Exception managed = exception as Exception;

            // Pass 1: find the catching clause; filters run here.
            StackFrameIterator frames = default;
            ulong handler = 0, handlingSp = 0;
            uint catchClause = NoClause;
            bool firstFrame = true;
            for (bool valid = frames.Init(context, faulting, StackWalkMode.Exception); valid; valid = frames.Next())
            {
                if (managed != null)
                    RecordFrame(managed, ref frames, kind, firstFrame);
                firstFrame = false;
                if (FindFirstPassHandler(exception, ref frames, out catchClause, out handler))
                {
                    handlingSp = frames.Sp;
                    break;
                }
            }
            if (handler == 0)
                Unhandled(exception);

            // Pass 2: run the finally handlers up to the catching clause, then the catch handler.
            exInfo.PassNumber = 2;
            bool reached = false;
            for (bool valid = frames.Init(context, faulting, StackWalkMode.Exception); valid; valid = frames.Next())
            {
                exInfo.FrameIterator = frames;
                if (frames.Sp == handlingSp)
                {
                    RunFinallyHandlers(&exInfo, catchClause);
                    reached = true;
                    break;
                }
                RunFinallyHandlers(&exInfo, NoClause);
            }
            if (!reached)
                RuntimeEnv.FailFast("exception dispatch: the second pass did not reach the catching frame");

            exInfo.CurrentClause = catchClause;
            exInfo.ResumeSp = handlingSp;
            FuncletCalls.Catch(exception, handler, exInfo.FrameIterator.RegistersPointer, &exInfo);
            RuntimeEnv.FailFast("exception dispatch: a catch handler returned into the dispatcher");
        }

        private static object ExceptionToDispatch(object exception, ExceptionKind kind, ThreadExceptionState* thread)
        {
            switch (kind)
            {
                case ExceptionKind.Rethrow:
                    // `throw;` is only legal in a catch handler, whose dispatch is the innermost one in flight.
                    if (thread->Head == null)
                        RuntimeEnv.FailFast("rethrow with no exception being handled");
                    return thread->Head->Exception;
                case ExceptionKind.HardwareNullReference:
                    return new NullReferenceException();
                case ExceptionKind.HardwareDivideByZero:
                    return new DivideByZeroException();
                default:
                    return exception ?? new NullReferenceException();   // `throw null`
            }
        }

        // A fresh throw starts the exception's backtrace at its first frame; a rethrow keeps it and adds only the
        // frames beyond those it already has (the rethrowing handler and its method are already there).
        private static void RecordFrame(Exception exception, ref StackFrameIterator frames, ExceptionKind kind, bool firstFrame)
        {
            if (kind != ExceptionKind.Rethrow)
            {
                if (firstFrame)
                    exception.ResetStackTrace();
            }
            else if (frames.Sp <= exception.LastStackFrameSp)
            {
                return;
            }
            exception.AppendStackFrame(frames.Ip, frames.Sp, frames.IsFaultingFrame);
        }

        private static bool FindFirstPassHandler(object exception, ref StackFrameIterator frames, out uint clauseIndex, out ulong handler)
        {
            clauseIndex = NoClause;
            handler = 0;
            MethodInfo method = frames.Method;
            var clauses = new EHClauseIterator(method.EHInfo, method.MethodStart);
            uint offset = frames.CodeOffset;
            var skip = new ClauseSkipper(frames.ResumeAfterClause);
            for (uint index = 0; clauses.Next(out EHClause clause); index++)
            {
                if (skip.Skips(index, ref clause))
                    continue;
                if (clause.Kind == EHClauseKind.Fault || !clause.TryContains(offset))
                    continue;
                bool catches = clause.Kind == EHClauseKind.Typed
                    ? TypeCast.IsInstanceOfException(clause.CatchType, exception)
                    : RunFilter(exception, clause.FilterAddress, frames.RegistersPointer);
                if (catches)
                {
                    clauseIndex = index;
                    handler = clause.HandlerAddress;
                    return true;
                }
            }
            return false;
        }

        // An exception escaping a filter means "no" (ECMA-335 I.12.4.2.7); the catch-all swallows it and the nested
        // dispatch that found it resumes here.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool RunFilter(object exception, ulong filter, RegisterContext* frame)
        {
            try
            {
                return FuncletCalls.Filter(exception, filter, frame) != 0;
            }
            catch
            {
                return false;
            }
        }

        // Runs the frame's finally/fault handlers whose try covers the frame's position, innermost first, up to (not
        // including) clause `limit` (the catching clause, in the catching frame).
        private static void RunFinallyHandlers(ExInfo* exInfo, uint limit)
        {
            ref StackFrameIterator frames = ref exInfo->FrameIterator;
            MethodInfo method = frames.Method;
            var clauses = new EHClauseIterator(method.EHInfo, method.MethodStart);
            uint offset = frames.CodeOffset;
            var skip = new ClauseSkipper(frames.ResumeAfterClause);
            for (uint index = 0; index < limit && clauses.Next(out EHClause clause); index++)
            {
                if (skip.Skips(index, ref clause))
                    continue;
                if (clause.Kind != EHClauseKind.Fault || !clause.TryContains(offset))
                    continue;
                exInfo->CurrentClause = index;
                FuncletCalls.Finally(clause.HandlerAddress, frames.RegistersPointer, exInfo);
                exInfo->CurrentClause = NoClause;
            }
        }

        private static void Unhandled(object exception)
        {
            Exception managed = exception as Exception;
            if (s_unhandled != null && managed != null)
                s_unhandled(managed);
            RuntimeEnv.FailFast("unhandled exception");
        }

        /// <summary>
        /// Where a search resumes in a frame reached by collision (an exception escaping clause N's handler): clauses
        /// up to N are skipped, and so are the following ones that guard the very same try region (the other catch
        /// clauses of that try block, which must not see an exception thrown by a sibling handler). ILC separates
        /// distinct try blocks with identical ranges by an empty clause, which ends the skipping.
        /// </summary>
        private struct ClauseSkipper
        {
            private uint _after;
            private bool _skipping;
            private uint _lastTryStart, _lastTryEnd;

            public ClauseSkipper(uint resumeAfterClause)
            {
                _after = resumeAfterClause;
                _skipping = resumeAfterClause != NoClause;
                _lastTryStart = _lastTryEnd = 0;
            }

            public bool Skips(uint index, ref EHClause clause)
            {
                if (!_skipping)
                    return false;
                if (index <= _after)
                {
                    _lastTryStart = clause.TryStartOffset;
                    _lastTryEnd = clause.TryEndOffset;
                    return true;
                }
                if (clause.TryStartOffset == _lastTryStart && clause.TryEndOffset == _lastTryEnd)
                    return true;
                _skipping = false;
                return false;
            }
        }
    }
}
