// PreciseStackScanner.cs -- the collector's stack scanner: managed frames by their GC info, everything else word
// by word. Installed with GarbageCollector.SetStackScanner; it gets one stack's [low, high), whose lowest words are
// r15, r14, r13, r12, rbx, rbp and a return address (k_switch_world's and k_gc_spill_and_call's layout).
//
// Which part of a stack gets what (docs/GarbageCollector.md, "What each kind of frame gets"):
//   - the six spilled registers: through the frames that own them (the iterator's context carries them up the
//     walk, restoring what each frame saved): a frame's GC info names the registers live in it; a frame scanned
//     word by word has all its callee-saved registers marked, and so has the native code the walk ends in;
//   - a managed frame the iterator reaches at a call (IP = return address): precisely. The GC info's live slots at
//     the return address are marked: callee-saved registers from the iterator's context (exact at calls), stack
//     slots at SP / caller SP (the CFA) / rbp + offset; untracked slots always. Nothing else in [SP, CFA) counts,
//     so a stale or integer word there no longer keeps an object alive;
//   - a managed frame at a faulting instruction: precisely when the offset lies in an interruptible range (all
//     registers are known then), else conservatively;
//   - a managed frame whose GC info has no liveness for its offset, or whose slots would land outside the stack:
//     conservatively, [SP, CFA) and its callee-saved register values (all registers at a fault);
//   - the gaps between frames the iterator jumps over (the throw, fault and funclet-call thunks with the register
//     contexts they saved): conservatively;
//   - from the first frame the walk cannot pass up to the stack's top: conservatively. That is native code (the
//     interrupt entry with a preempted world's interrupt frame, and the interrupted frames above it, which may be
//     stopped anywhere, epilogues included; the world trampoline; boot code), an UnmanagedCallersOnly entry, or
//     a frame whose unwind failed.
// An interior pointer marks the object containing it (the marker resolves any word); pinning means nothing here,
// objects never move. Reporting a dead slot only keeps garbage alive; missing a live one would corrupt, so every
// doubt ends in a conservative scan.
using Internal.Runtime.GcInfo;
using Internal.Runtime.Unwinding;

namespace Internal.Runtime
{
    public static unsafe class PreciseStackScanner
    {
        private const int SpilledRegisterWords = 6;

        /// <summary>Frames reported from their GC info / scanned word by word, and precise slots marked, since the
        /// last <see cref="ResetStatistics"/> (the collector resets them per collection).</summary>
        public static ulong PreciseFrames, ConservativeFrames, PreciseSlots;

        public static void ResetStatistics() => PreciseFrames = ConservativeFrames = PreciseSlots = 0;

        private struct FrameScan
        {
            public RegisterContext* Registers;
            public ulong CallerSp;
            public ulong StackLow, StackHigh;
            public bool AllRegistersValid;      // a faulting frame: scratch registers are exact too
            public bool OutOfRange;             // a slot address outside the stack: misdecoded, be conservative
            public int FrameRegister;           // DWARF number of the method's frame register, -1 if none
            public bool Record;                 // keep what the decoder reports, for FrameLivenessCache
            public FrameLivenessCache.Recording Recording;
        }

        /// <summary>The scanner for <see cref="GarbageCollector.SetStackScanner"/>.</summary>
        public static void Scan(nuint low, nuint high)
        {
            ulong lowAddress = (ulong)low, highAddress = (ulong)high;
            if (highAddress - lowAddress < (SpilledRegisterWords + 1) * 8 || !CodeMap.IsRegistered)
            {
                Conservative(lowAddress, highAddress);
                return;
            }
            ulong* spilled = (ulong*)lowAddress;
            RegisterContext context = default;
            context[RegisterContext.R15] = spilled[0];
            context[RegisterContext.R14] = spilled[1];
            context[RegisterContext.R13] = spilled[2];
            context[RegisterContext.R12] = spilled[3];
            context[RegisterContext.Rbx] = spilled[4];
            context[RegisterContext.Rbp] = spilled[5];
            context.Ip = spilled[SpilledRegisterWords];
            context.Sp = lowAddress + (SpilledRegisterWords + 1) * 8;

            StackFrameIterator frames = default;
            if (!frames.Init(&context, false, StackWalkMode.Physical))
            {
                Conservative(lowAddress, highAddress);
                return;
            }
            // The spilled registers and the return address are not scanned as words: the registers reach the
            // frames that own them through the iterator's context (precisely by their GC info, or all of them for a
            // frame scanned word by word, or at the end of the walk), the return address is code.
            ulong covered = context.Sp;
            while (true)
            {
                ulong sp = frames.Sp;
                if (sp < covered || sp >= highAddress)
                {
                    MarkCalleeSaved(frames.RegistersPointer, false);
                    break;                                            // a frame out of order: give up on precision
                }
                if (sp > covered)
                    Conservative(covered, sp);                        // a thunk and the register context it saved
                RegisterContext registers = frames.Registers;
                MethodInfo method = frames.Method;
                bool faulting = frames.IsFaultingFrame;
                ulong ip = frames.Ip;
                bool more = frames.Next();
                ulong callerSp = frames.UnwoundCallerSp;
                if (callerSp == 0 || callerSp <= sp || callerSp > highAddress)
                {
                    // The frame's extent is unknown (an UnmanagedCallersOnly entry, a failed unwind): it and
                    // everything above go word by word, its registers are marked as they are.
                    ConservativeFrames++;
                    MarkCalleeSaved(&registers, faulting);
                    covered = sp;
                    break;
                }
                ScanFrame(&registers, method, ip, faulting, sp, callerSp, lowAddress, highAddress);
                covered = callerSp;
                if (!more)
                {
                    // Returned into native code: the callee-saved registers as the last managed frame leaves them
                    // are the native code's (an interrupted world's are in its interrupt frame, scanned below).
                    if (frames.End == StackWalkEnd.NativeCode)
                        MarkCalleeSaved(frames.RegistersPointer, false);
                    break;
                }
            }
            Conservative(covered, highAddress);
        }

        private static void ScanFrame(RegisterContext* registers, MethodInfo method, ulong ip, bool faulting, ulong sp, ulong callerSp, ulong low, ulong high)
        {
            FrameScan scan = default;
            scan.Registers = registers;
            scan.CallerSp = callerSp;
            scan.StackLow = low;
            scan.StackHigh = high;
            scan.AllRegistersValid = faulting;
            // A frame at a call whose live slots an earlier collection decoded: the same slots, without the GC info.
            if (!faulting && FrameLivenessCache.TryFind(ip, out int entry, out int frameRegister))
            {
                scan.FrameRegister = frameRegister;
                FrameLivenessCache.Replay(entry, &scan, &ReportSlot);
                if (!scan.OutOfRange)
                {
                    PreciseFrames++;
                    return;
                }
            }
            else
            {
                GcInfoDecoder decoder = default;
                if (method.GCInfo != null && decoder.Init(method.GCInfo))
                {
                    // GC info version 4 records a call's safe point at its return address, which is this frame's IP;
                    // a faulting frame's IP is the faulting instruction itself. The liveness at either is a safe
                    // point's or an interruptible range's; none recorded means the frame goes word by word.
                    ulong offset = ip - method.MethodStart;
                    if (offset < decoder.CodeLength)
                    {
                        scan.FrameRegister = decoder.StackBaseRegister >= 0 ? GcSlot.ToDwarfRegister(decoder.StackBaseRegister) : -1;
                        scan.Record = !faulting;
                        GcLiveness liveness = decoder.EnumerateLiveSlots((uint)offset, &scan, &ReportSlot);
                        if (liveness != GcLiveness.Unknown && !scan.OutOfRange)
                        {
                            if (scan.Record)
                                FrameLivenessCache.Store(ip, scan.FrameRegister, &scan.Recording);
                            PreciseFrames++;
                            return;
                        }
                    }
                }
            }
            ConservativeFrames++;
            Conservative(sp, callerSp);
            MarkCalleeSaved(registers, faulting);
        }

        // The registers a frame may own: the callee-saved ones (exact in every frame), all of them at a fault.
        private static void MarkCalleeSaved(RegisterContext* registers, bool allRegisters)
        {
            for (int r = 0; r < RegisterContext.Count; r++)
                if (r != RegisterContext.Rip && r != RegisterContext.Rsp && (allRegisters || RegisterContext.IsCalleeSaved(r)))
                    GarbageCollector.MarkFromStack((nuint)(*registers)[r]);
        }

        private static void ReportSlot(void* context, GcSlot* slot)
        {
            var scan = (FrameScan*)context;
            if (scan->Record)
                scan->Recording.Add(slot);
            if (slot->IsRegister)
            {
                int dwarf = GcSlot.ToDwarfRegister(slot->Register);
                if (dwarf < 0)
                {
                    scan->OutOfRange = true;
                    return;
                }
                // A scratch register holds nothing across a call (at a return address the GC info may still name
                // the call's result in rax/rdx, which the caller has not stored yet: not a root of this frame).
                if (!scan->AllRegistersValid && !RegisterContext.IsCalleeSaved(dwarf))
                    return;
                GarbageCollector.MarkFromStack((nuint)(*scan->Registers)[dwarf]);
                PreciseSlots++;
                return;
            }
            ulong address;
            switch (slot->Base)
            {
                case GcStackBase.Sp:
                    address = (*scan->Registers).Sp + (ulong)(long)slot->Offset;
                    break;
                case GcStackBase.CallerSp:
                    address = scan->CallerSp + (ulong)(long)slot->Offset;
                    break;
                default:
                    if (scan->FrameRegister < 0)
                    {
                        scan->OutOfRange = true;
                        return;
                    }
                    address = (*scan->Registers)[scan->FrameRegister] + (ulong)(long)slot->Offset;
                    break;
            }
            if (address < scan->StackLow || address + 8 > scan->StackHigh || (address & 7) != 0)
            {
                scan->OutOfRange = true;
                return;
            }
            GarbageCollector.MarkFromStack(*(nuint*)address);
            PreciseSlots++;
        }

        private static void Conservative(ulong start, ulong end)
        {
            if (end > start)
                GarbageCollector.ScanStackConservatively((nuint)start, (nuint)end);
        }
    }
}
