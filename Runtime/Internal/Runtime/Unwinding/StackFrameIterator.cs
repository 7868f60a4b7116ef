// StackFrameIterator.cs -- walks the managed frames of one stack, from a register context to the last managed
// frame: for each frame its registers, its method (start, funclet kind, EH info, GC info) and the code address
// that identifies where in the method it is. Used by exception dispatch and by anything that needs the stack
// (backtraces, a collector's root scan).
//
// A step unwinds the current frame with its FDE's CFI. Where the return address lands decides what comes next:
//   managed code           -> the next frame;
//   a throw thunk          -> the context the thunk saved (the throw site; Physical walks only);
//   a funclet call thunk   -> Physical: the dispatcher's frame. Exception: the frame that owns the running funclet,
//                             taken from the ExInfo the thunk recorded ("collision"): an exception escaping a catch
//                             or finally handler continues from that handler's method, after its clause, and the
//                             frames the first exception already left behind are skipped;
//   a filter call thunk    -> the dispatcher, in both modes (it catches what escapes a filter);
//   anything else          -> the walk ends (native code: boot code, the interrupt entry, the world trampoline).
// It also ends after an UnmanagedCallersOnly method, whose caller is native by definition.
//
// Exact at call sites and at faulting instructions. ILC's CFI does not describe epilogues, so a context taken by
// an interrupt inside an epilogue cannot be unwound exactly (exceptions never start there).
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime.ExceptionHandling;

#pragma warning disable CS8500 // ExInfo holds the exception object; pointers to it are stack addresses

namespace Internal.Runtime.Unwinding
{
    public enum StackWalkMode : byte
    {
        /// <summary>Every frame physically on the stack, through the dispatcher's own frames (collectors, diagnostics).</summary>
        Physical,

        /// <summary>The frames an exception passes through (funclet invocations collapse onto their owner frames).</summary>
        Exception,
    }

    public enum StackWalkEnd : byte
    {
        NotEnded,
        NativeCode,           // returned into code without unwind data (the normal end of every stack)
        ReversePInvoke,       // an UnmanagedCallersOnly method: its caller is native
        UnwindFailed,         // CFI the interpreter refused, or a step that did not move up the stack
        ThrowSite,            // Exception mode reached a throw thunk (an exception escaped the dispatcher itself)
    }

    public unsafe struct StackFrameIterator
    {
        public const uint NoClause = 0xFFFFFFFF;

        private RegisterContext _registers;
        private MethodInfo _method;
        private byte* _fde;                 // the current frame's FDE (found once, in SetFrame)
        private ulong _controlPc;
        private uint _resumeAfterClause;
        private StackWalkMode _mode;
        private StackWalkEnd _end;
        private bool _valid;
        private bool _isFaultingFrame;
        private ulong _unwoundCallerSp;

        public bool IsValid => _valid;
        public StackWalkEnd End => _end;

        /// <summary>This frame's registers (callee-saved exact; scratch registers only in a faulting first frame).</summary>
        public RegisterContext Registers => _registers;

        public RegisterContext* RegistersPointer
        {
            get
            {
                fixed (RegisterContext* registers = &_registers)
                    return registers;
            }
        }

        public MethodInfo Method => _method;
        public ulong Ip => _registers.Ip;
        public ulong Sp => _registers.Sp;

        /// <summary>The address inside the method that the frame is at: the IP of a faulting instruction, else the
        /// return address minus one (inside the call, so a call that ends a try region or a method still counts).</summary>
        public ulong ControlPc => _controlPc;

        /// <summary>Offset of <see cref="ControlPc"/> from the method's main body (the offset EH clauses use).</summary>
        public uint CodeOffset => (uint)(_controlPc - _method.MethodStart);

        /// <summary>After <see cref="Next"/>: the caller's stack pointer (the CFA) of the frame it left, where that
        /// frame's stack ends; set even when the walk ended in native code, 0 when the unwind itself failed. A
        /// collector needs it to bound a frame and to find caller-SP-relative slots.</summary>
        public ulong UnwoundCallerSp => _unwoundCallerSp;

        /// <summary>True for a frame stopped at a faulting instruction rather than at a call.</summary>
        public bool IsFaultingFrame => _isFaultingFrame;

        /// <summary>After a collision with a running funclet, the index of that funclet's clause: clause searches in
        /// this frame continue after it. <see cref="NoClause"/> otherwise.</summary>
        public uint ResumeAfterClause => _resumeAfterClause;

        /// <summary>Fills <paramref name="context"/> with the calling method's frame as it is at this call (IP = the
        /// return address into it): the start of a walk of the current stack.</summary>
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "RhpCaptureCallerContext")]
        public static extern void CaptureCallerContext(RegisterContext* context);

        /// <summary>Starts at a context. False if its IP is not in managed code.</summary>
        public bool Init(RegisterContext* context, bool faultingInstruction, StackWalkMode mode)
        {
            _mode = mode;
            _registers = *context;
            _end = StackWalkEnd.NotEnded;
            return SetFrame(faultingInstruction);
        }

        /// <summary>Steps to the caller's frame. False when there is none (see <see cref="End"/>).</summary>
        public bool Next()
        {
            _unwoundCallerSp = 0;
            if (!_valid)
                return false;
            if (_method.IsReversePInvoke && !_method.IsFunclet)
                return Stop(StackWalkEnd.ReversePInvoke);
            RegisterContext caller = _registers;
            if (!CfaProgram.TryApplyRemembered(_controlPc, ref caller))
            {
                if (!FrameDescription.TryParse(_fde, out FrameDescription fde))
                    return Stop(StackWalkEnd.UnwindFailed);
                CfaProgram program = default;
                if (!program.TryRun(ref fde, _controlPc) || !program.TryApply(ref caller, fde.ReturnAddressRegister))
                    return Stop(StackWalkEnd.UnwindFailed);
                program.Remember(_controlPc);      // the next walk through this return address skips the CFI
            }
            if (caller.Sp <= _registers.Sp)
                return Stop(StackWalkEnd.UnwindFailed);
            _unwoundCallerSp = caller.Sp;
            if (caller.Ip == 0)
                return Stop(StackWalkEnd.NativeCode);

            bool faulting = false;
            switch (EHThunks.Classify(caller.Ip))
            {
                case ThunkKind.ThrowSite:
                case ThunkKind.HardwareFault:
                    if (_mode == StackWalkMode.Exception)
                        return Stop(StackWalkEnd.ThrowSite);
                    faulting = EHThunks.Classify(caller.Ip) == ThunkKind.HardwareFault;
                    caller = *(RegisterContext*)caller.Sp;
                    break;
                case ThunkKind.CatchFunclet:
                case ThunkKind.FinallyFunclet:
                    if (_mode == StackWalkMode.Exception)
                        return Collide(*(ExInfo**)(caller.Sp + EHThunks.FuncletFrameExInfo));
                    EHThunks.UnwindFuncletCall(ref caller);
                    break;
                case ThunkKind.FilterFunclet:
                    EHThunks.UnwindFuncletCall(ref caller);
                    break;
            }
            _registers = caller;
            return SetFrame(faulting);
        }

        private bool SetFrame(bool faultingInstruction)
        {
            _isFaultingFrame = faultingInstruction;
            _resumeAfterClause = NoClause;
            _controlPc = faultingInstruction ? _registers.Ip : _registers.Ip - 1;
            if (!MethodCache.TryFind(_controlPc, out _method, out _fde))
                return Stop(StackWalkEnd.NativeCode);
            _valid = true;
            return true;
        }

        // Continues from the frame whose funclet the ExInfo is running, exactly as that dispatch saw it.
        private bool Collide(ExInfo* running)
        {
            StackWalkMode mode = _mode;
            this = running->FrameIterator;
            _mode = mode;
            _resumeAfterClause = running->CurrentClause;
            return _valid;
        }

        private bool Stop(StackWalkEnd end)
        {
            _valid = false;
            _end = end;
            return false;
        }
    }
}
