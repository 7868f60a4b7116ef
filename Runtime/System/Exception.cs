// Exception.cs -- the base of every exception: message, inner exception, and the backtrace the dispatcher
// records while the exception travels (Internal.Runtime.ExceptionHandling).
using Internal.Runtime.ExceptionHandling;

namespace System
{
    public class Exception
    {
        // Frames deeper than this are not recorded (the dispatch itself goes on): a backtrace is for reading.
        private const int MaxRecordedFrames = 64;

        private readonly string _message;
        private readonly Exception _innerException;

        // (IP, SP) of each frame the exception passed, throw site first; written by the first pass of each dispatch.
        // SP's bit 0 (always clear in a real SP) marks a frame stopped at a faulting instruction, not at a call.
        private ulong[] _stackTrace;
        private int _stackFrames;

        public Exception() { }

        public Exception(string message) { _message = message; }

        public Exception(string message, Exception innerException)
        {
            _message = message;
            _innerException = innerException;
        }

        public virtual string Message => _message ?? "Exception of type 'System.Exception' was thrown.";

        public Exception InnerException => _innerException;

        /// <summary>The frames from the throw site to the catching frame, one line each (`   at NAME+0xOFF`), or
        /// null if the exception was never thrown.</summary>
        public virtual string StackTrace => _stackFrames == 0 ? null : ExceptionText.FormatStackTrace(this);

        public virtual Exception GetBaseException()
        {
            Exception e = this;
            while (e._innerException != null)
                e = e._innerException;
            return e;
        }

        public override string ToString() => ExceptionText.Describe(this);

        internal int StackFrameCount => _stackFrames;

        internal ulong StackFrameIp(int index) => _stackTrace[index * 2];

        internal ulong StackFrameSp(int index) => _stackTrace[index * 2 + 1] & ~1UL;

        internal bool IsFaultingStackFrame(int index) => (_stackTrace[index * 2 + 1] & 1) != 0;

        internal ulong LastStackFrameSp => _stackFrames == 0 ? 0 : _stackTrace[_stackFrames * 2 - 1] & ~1UL;

        internal void ResetStackTrace() => _stackFrames = 0;

        internal void AppendStackFrame(ulong ip, ulong sp, bool faulting)
        {
            if (_stackFrames == MaxRecordedFrames)
                return;
            if (_stackTrace == null || _stackTrace.Length < (_stackFrames + 1) * 2)
            {
                ulong[] grown = new ulong[_stackTrace == null ? 16 : _stackTrace.Length * 2];
                for (int i = 0; i < _stackFrames * 2; i++)
                    grown[i] = _stackTrace[i];
                _stackTrace = grown;
            }
            _stackTrace[_stackFrames * 2] = ip;
            _stackTrace[_stackFrames * 2 + 1] = faulting ? sp | 1 : sp;
            _stackFrames++;
        }
    }
}
