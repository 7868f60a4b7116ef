// GcInfoDecoder.cs -- reads the GC info ILC (RyuJIT) writes for every x64 method: which registers and stack slots
// hold references at which code offsets. The format is dotnet/runtime's GcInfoEncoder, GCINFO_VERSION 4 (.NET 10:
// no return kind in the header), with the AMD64 encoding bases of gcinfotypes.h. It follows each method's LSDA in
// the image (MethodInfo.GCInfo). Layout, in bits (GcInfoBitReader):
//
//   header   slim: 0, has-rbp-frame bit, code length, safe point count.
//            fat:  1, 10 flag bits, code length, [prolog size - 1, epilog size] (GS cookie; prolog only for a
//                  generics context), [GS cookie slot], [generics context slot], [stack base register],
//                  [EnC preserved area size], [reverse P/Invoke frame slot], outgoing argument area size,
//                  safe point count, interruptible range count.
//   safe points: count x ceil(log2(code length)) bits, sorted: each the offset of a call's return address - 1.
//   interruptible ranges: (start delta, length - 1) pairs, each start relative to the previous range's end.
//   slot table: register count, stack slot count, untracked count (each behind a presence bit), then the slots:
//            registers (number, 2 flag bits; after a slot without flags only a delta to the next number), tracked
//            stack slots and untracked slots (2 base bits, offset / 8, 2 flag bits; deltas likewise).
//   live state, tracked slots only: at safe points either one bit per slot per safe point, or an indirection
//            table into deduplicated, byte-aligned vectors that are plain or run-length encoded (alternating skip
//            and report runs); for the interruptible ranges, chunks of 64 code bytes, each with a could-be-live
//            vector, the final state of those slots and, per slot, the offsets where its liveness flips.
//
// Everything is decoded in place, on demand, without allocating (it runs inside a collection).
namespace Internal.Runtime.GcInfo
{
    public enum GcLiveness : byte
    {
        /// <summary>The offset is a call's safe point: the tracked slots live across the call were reported.</summary>
        SafePoint,

        /// <summary>The offset is inside a fully interruptible range: its exact live set was reported.</summary>
        Interruptible,

        /// <summary>The method tracks no slots at all: the untracked ones (if any) are everything there is.</summary>
        NoTrackedSlots,

        /// <summary>No liveness is recorded for the offset (or the info is malformed): the caller must scan the
        /// frame some other way. Nothing was reported.</summary>
        Unknown,
    }

    public unsafe struct GcInfoDecoder
    {
        // Header flags (GcInfoHeaderFlags).
        public const uint IsVarArgFlag = 0x1;
        public const uint HasSecurityObjectFlag = 0x2;
        public const uint HasGSCookieFlag = 0x4;
        public const uint HasPSPSymFlag = 0x8;
        public const uint GenericsContextMask = 0x30;
        public const uint HasStackBaseRegisterFlag = 0x40;
        public const uint WantsReportOnlyLeafFlag = 0x80;
        public const uint HasEditAndContinueInfoFlag = 0x100;
        public const uint ReversePInvokeFrameFlag = 0x200;
        private const int FlagBits = 10;

        // AMD64 encoding bases (gcinfotypes.h, AMD64GcInfoEncoding).
        private const int CodeLengthBase = 8;
        private const int NormPrologSizeBase = 5;
        private const int NormEpilogSizeBase = 3;
        private const int StackSlotFieldBase = 6;       // security object, GS cookie, PSPSym, generics context
        private const int StackBaseRegisterBase = 3;
        private const int EditAndContinueAreaBase = 4;
        private const int ReversePInvokeFrameBase = 6;
        private const int SizeOfStackAreaBase = 3;
        private const int NumSafePointsBase = 2;
        private const int NumInterruptibleRangesBase = 1;
        private const int RangeDelta1Base = 6;
        private const int RangeDelta2Base = 6;
        private const int NumRegistersBase = 2;
        private const int NumStackSlotsBase = 2;
        private const int NumUntrackedSlotsBase = 1;
        private const int RegisterBase = 3;
        private const int RegisterDeltaBase = 2;
        private const int StackSlotBase = 6;
        private const int StackSlotDeltaBase = 4;
        private const int PointerSizeBase = 3;
        private const int RleRunBase = 2;
        private const int RleSkipBase = 4;
        private const int ChunkSizeLog2 = 6;
        private const uint ChunkSize = 1u << ChunkSizeLog2;     // normalized code offsets per chunk
        private const int StackBaseRegisterXor = 5;             // rbp is encoded as 0

        /// <summary>Sanity bounds: a kernel method is far below these; a value past them means misdecoding.</summary>
        private const uint MaxSlots = 4096, MaxCodeLength = 1u << 24;

        private GcInfoBitReader _reader;

        public bool IsSlimHeader;
        public uint Flags;
        public uint CodeLength;
        public uint PrologSize, EpilogSize;         // 0 when not encoded
        public int GSCookieSlot, GenericsContextSlot, ReversePInvokeFrameSlot;
        /// <summary>The frame register in the instruction encoding's numbering (5: rbp); -1 when the method has none.</summary>
        public int StackBaseRegister;
        public uint SizeOfEditAndContinuePreservedArea;
        public uint SizeOfStackOutgoingAndScratchArea;
        public uint NumSafePoints;
        public uint NumInterruptibleRanges;
        public uint NumRegisters, NumStackSlots, NumUntrackedSlots;

        private int _safePointBits;
        private ulong _safePointsPosition, _rangesPosition, _slotTablePosition, _liveStatePosition;

        // Init decodes the whole slot table once (to find the live state behind it) and keeps the first slots, and
        // the decoding state after them, so an enumeration does not decode the table a second time.
        private const int CachedSlots = 16;
        private fixed int _cachedOffset[CachedSlots];
        private fixed byte _cachedRegister[CachedSlots];
        private fixed byte _cachedBase[CachedSlots];
        private fixed byte _cachedFlags[CachedSlots];
        private uint _cachedCount;
        private SlotCursor _afterCache;

        public uint NumTrackedSlots => NumRegisters + NumStackSlots;
        public uint NumSlots => NumRegisters + NumStackSlots + NumUntrackedSlots;

        /// <summary>Bits of the info read to the end of the slot table (the live state follows).</summary>
        public ulong LiveStatePosition => _liveStatePosition;

        /// <summary>Decodes the header and locates the tables. False for info this decoder does not understand.</summary>
        public bool Init(byte* info)
        {
            this = default;
            _reader = new GcInfoBitReader(info);
            StackBaseRegister = -1;
            GSCookieSlot = GenericsContextSlot = ReversePInvokeFrameSlot = -1;
            IsSlimHeader = !_reader.ReadBit();
            if (IsSlimHeader)
            {
                Flags = _reader.ReadBit() ? HasStackBaseRegisterFlag : 0;
                CodeLength = (uint)_reader.DecodeVarLengthUnsigned(CodeLengthBase);
                if ((Flags & HasStackBaseRegisterFlag) != 0)
                    StackBaseRegister = StackBaseRegisterXor;
                NumSafePoints = (uint)_reader.DecodeVarLengthUnsigned(NumSafePointsBase);
            }
            else
            {
                Flags = (uint)_reader.Read(FlagBits);
                CodeLength = (uint)_reader.DecodeVarLengthUnsigned(CodeLengthBase);
                bool hasGenericsContext = (Flags & GenericsContextMask) != 0;
                if ((Flags & HasGSCookieFlag) != 0)
                {
                    PrologSize = (uint)_reader.DecodeVarLengthUnsigned(NormPrologSizeBase) + 1;
                    EpilogSize = (uint)_reader.DecodeVarLengthUnsigned(NormEpilogSizeBase);
                }
                else if (hasGenericsContext || (Flags & HasSecurityObjectFlag) != 0)
                {
                    PrologSize = (uint)_reader.DecodeVarLengthUnsigned(NormPrologSizeBase) + 1;
                }
                // Older encoders' fields, read where they stood should an image carry them (ILC 10 writes neither).
                if ((Flags & HasSecurityObjectFlag) != 0)
                    _reader.DecodeVarLengthSigned(StackSlotFieldBase);
                if ((Flags & HasGSCookieFlag) != 0)
                    GSCookieSlot = (int)_reader.DecodeVarLengthSigned(StackSlotFieldBase) << 3;
                if ((Flags & HasPSPSymFlag) != 0)
                    _reader.DecodeVarLengthSigned(StackSlotFieldBase);
                if (hasGenericsContext)
                    GenericsContextSlot = (int)_reader.DecodeVarLengthSigned(StackSlotFieldBase) << 3;
                if ((Flags & HasStackBaseRegisterFlag) != 0)
                    StackBaseRegister = (int)((uint)_reader.DecodeVarLengthUnsigned(StackBaseRegisterBase) ^ StackBaseRegisterXor);
                if ((Flags & HasEditAndContinueInfoFlag) != 0)
                    SizeOfEditAndContinuePreservedArea = (uint)_reader.DecodeVarLengthUnsigned(EditAndContinueAreaBase);
                if ((Flags & ReversePInvokeFrameFlag) != 0)
                    ReversePInvokeFrameSlot = (int)_reader.DecodeVarLengthSigned(ReversePInvokeFrameBase) << 3;
                SizeOfStackOutgoingAndScratchArea = (uint)_reader.DecodeVarLengthUnsigned(SizeOfStackAreaBase) << 3;
                NumSafePoints = (uint)_reader.DecodeVarLengthUnsigned(NumSafePointsBase);
                NumInterruptibleRanges = (uint)_reader.DecodeVarLengthUnsigned(NumInterruptibleRangesBase);
            }
            if (CodeLength == 0 || CodeLength > MaxCodeLength || NumSafePoints > CodeLength || NumInterruptibleRanges > CodeLength)
                return false;
            if (StackBaseRegister > 15 || StackBaseRegister == 4)
                return false;

            _safePointBits = GcInfoBitReader.CeilOfLog2(CodeLength);
            _safePointsPosition = _reader.Position;
            _rangesPosition = _safePointsPosition + NumSafePoints * (ulong)_safePointBits;
            _reader.Position = _rangesPosition;
            for (uint i = 0; i < NumInterruptibleRanges; i++)
            {
                _reader.DecodeVarLengthUnsigned(RangeDelta1Base);
                _reader.DecodeVarLengthUnsigned(RangeDelta2Base);
            }
            _slotTablePosition = _reader.Position;
            if (_reader.ReadBit())
                NumRegisters = (uint)_reader.DecodeVarLengthUnsigned(NumRegistersBase);
            if (_reader.ReadBit())
            {
                NumStackSlots = (uint)_reader.DecodeVarLengthUnsigned(NumStackSlotsBase);
                NumUntrackedSlots = (uint)_reader.DecodeVarLengthUnsigned(NumUntrackedSlotsBase);
            }
            if (NumSlots > MaxSlots)
                return false;
            // Walk the slot table once to find where the live state starts (and to check every slot is sane).
            SlotCursor cursor = default;
            cursor.Start(ref this);
            for (uint i = 0; i < NumSlots; i++)
            {
                if (!cursor.MoveTo(i))
                    return false;
                if (i < CachedSlots)
                {
                    GcSlot slot = cursor.Current;
                    _cachedOffset[i] = slot.Offset;
                    _cachedRegister[i] = slot.Register;
                    _cachedBase[i] = (byte)slot.Base;
                    _cachedFlags[i] = slot.Flags;
                    _cachedCount = i + 1;
                    if (_cachedCount == CachedSlots)
                        _afterCache = cursor;
                }
            }
            _liveStatePosition = cursor.Reader.Position;
            return true;
        }

        /// <summary>The code offset of safe point <paramref name="index"/> (a return address - 1).</summary>
        public uint GetSafePoint(uint index)
        {
            GcInfoBitReader r = _reader;
            r.Position = _safePointsPosition + index * (ulong)_safePointBits;
            return (uint)r.Read(_safePointBits);
        }

        /// <summary>Binary search of the sorted safe point table.</summary>
        public bool TryFindSafePoint(uint codeOffset, out uint index)
        {
            uint low = 0, high = NumSafePoints;
            while (low < high)
            {
                uint mid = (low + high) >> 1;
                uint value = GetSafePoint(mid);
                if (value == codeOffset)
                {
                    index = mid;
                    return true;
                }
                if (value < codeOffset)
                    low = mid + 1;
                else
                    high = mid;
            }
            index = NumSafePoints;
            return false;
        }

        /// <summary>Interruptible range <paramref name="index"/>: [start, stop) code offsets.</summary>
        public void GetInterruptibleRange(uint index, out uint start, out uint stop)
        {
            GcInfoBitReader r = _reader;
            r.Position = _rangesPosition;
            uint lastStop = 0;
            start = stop = 0;
            for (uint i = 0; i <= index && i < NumInterruptibleRanges; i++)
            {
                start = lastStop + (uint)r.DecodeVarLengthUnsigned(RangeDelta1Base);
                stop = start + (uint)r.DecodeVarLengthUnsigned(RangeDelta2Base) + 1;
                lastStop = stop;
            }
        }

        /// <summary>Slot <paramref name="index"/> of the slot table (registers, then tracked stack slots, then untracked).</summary>
        public bool TryGetSlot(uint index, out GcSlot slot)
        {
            SlotCursor cursor = default;
            cursor.Start(ref this);
            bool ok = cursor.MoveTo(index);
            slot = cursor.Current;
            return ok;
        }

        /// <summary>
        /// Reports every slot live at <paramref name="codeOffset"/> (the untracked ones too) to
        /// <paramref name="report"/>(<paramref name="context"/>, slot). A call site is found among the safe points
        /// first, anything else in the interruptible ranges; see <see cref="GcLiveness"/> for the outcomes.
        /// </summary>
        public GcLiveness EnumerateLiveSlots(uint codeOffset, void* context, delegate*<void*, GcSlot*, void> report)
        {
            uint numTracked = NumTrackedSlots;
            if (numTracked == 0)
            {
                ReportUntracked(context, report);
                return GcLiveness.NoTrackedSlots;
            }
            uint safePoint = 0;
            bool atSafePoint = NumSafePoints != 0 && TryFindSafePoint(codeOffset, out safePoint);
            uint pseudoOffset = 0, interruptibleLength = 0;
            bool inRange = false;
            if (!atSafePoint)
            {
                GcInfoBitReader ranges = _reader;
                ranges.Position = _rangesPosition;
                uint lastStop = 0;
                for (uint i = 0; i < NumInterruptibleRanges; i++)
                {
                    uint start = lastStop + (uint)ranges.DecodeVarLengthUnsigned(RangeDelta1Base);
                    uint length = (uint)ranges.DecodeVarLengthUnsigned(RangeDelta2Base) + 1;
                    if (codeOffset >= start && codeOffset < start + length)
                    {
                        inRange = true;
                        pseudoOffset = interruptibleLength + codeOffset - start;
                    }
                    interruptibleLength += length;
                    lastStop = start + length;
                }
                if (!inRange)
                    return GcLiveness.Unknown;
            }

            SlotCursor cursor = _afterCache;
            GcInfoBitReader r = _reader;
            r.Position = _liveStatePosition;
            uint indirectBits = 0;
            if (NumSafePoints != 0 && r.ReadBit())
                indirectBits = (uint)r.DecodeVarLengthUnsigned(PointerSizeBase) + 1;

            if (atSafePoint)
            {
                uint index = safePoint;
                if (indirectBits != 0)
                {
                    ulong tablePosition = r.Position;
                    r.Skip(index * (ulong)indirectBits);
                    ulong vectorOffset = r.Read((int)indirectBits);
                    ulong vectorsStart = (tablePosition + NumSafePoints * (ulong)indirectBits + 7) & ~7UL;
                    r.Position = vectorsStart + vectorOffset;
                    if (r.ReadBit())
                        return ReportRunLengthEncoded(ref r, ref cursor, context, report) ? FinishWithUntracked(ref cursor, context, report, GcLiveness.SafePoint) : GcLiveness.Unknown;
                }
                else
                {
                    r.Skip(index * (ulong)numTracked);
                }
                for (uint slot = 0; slot < numTracked; slot++)
                {
                    if (r.ReadBit())
                    {
                        if (!FetchSlot(ref cursor, slot, out GcSlot s))
                            return GcLiveness.Unknown;
                        report(context, &s);
                    }
                }
                return FinishWithUntracked(ref cursor, context, report, GcLiveness.SafePoint);
            }

            // Fully interruptible: skip the safe points' vectors, find the chunk holding the offset.
            r.Skip(NumSafePoints * (ulong)numTracked);
            uint numChunks = (interruptibleLength + ChunkSize - 1) / ChunkSize;
            uint breakChunk = pseudoOffset / ChunkSize;
            int pointerBits = (int)r.DecodeVarLengthUnsigned(PointerSizeBase);
            if (pointerBits == 0)
                return FinishWithUntracked(ref cursor, context, report, GcLiveness.Interruptible);
            ulong pointerTable = r.Position;
            uint chunk = breakChunk;
            ulong chunkPointer;
            while (true)
            {
                r.Position = pointerTable + chunk * (ulong)pointerBits;
                chunkPointer = r.Read(pointerBits);
                if (chunkPointer != 0)
                    break;
                if (chunk == 0)      // no chunk up to here records anything: no tracked slot is live yet
                    return FinishWithUntracked(ref cursor, context, report, GcLiveness.Interruptible);
                chunk--;
            }
            ulong chunksStart = (pointerTable + numChunks * (ulong)pointerBits + 7) & ~7UL;
            r.Position = chunksStart + chunkPointer - 1;

            // The could-be-live vector, plain or run-length encoded; count its slots first.
            GcInfoBitReader couldBeLive = r;
            uint numCouldBeLive = 0;
            if (r.ReadBit())
            {
                bool skip = !r.ReadBit();
                bool counting = true;
                uint read = (uint)r.DecodeVarLengthUnsigned(skip ? RleSkipBase : RleRunBase);
                skip = !skip;
                while (read < numTracked)
                {
                    uint count = (uint)r.DecodeVarLengthUnsigned(skip ? RleSkipBase : RleRunBase) + 1;
                    if (counting)
                        numCouldBeLive += count;
                    read += count;
                    skip = !skip;
                    counting = !counting;
                }
                if (read != numTracked)
                    return GcLiveness.Unknown;
            }
            else
            {
                for (uint i = 0; i < numTracked; i++)
                    if (r.ReadBit())
                        numCouldBeLive++;
            }
            GcInfoBitReader finalState = r;
            r.Skip(numCouldBeLive);          // r now reads the transitions

            uint slotIndex = 0;
            bool simple = !couldBeLive.ReadBit();
            bool skipFirst = false;
            uint run = 0;
            if (!simple)
            {
                skipFirst = !couldBeLive.ReadBit();
                slotIndex = uint.MaxValue;   // the first run's length lands it on its first slot
            }
            uint offsetInChunk = pseudoOffset % ChunkSize;
            for (uint i = 0; i < numCouldBeLive; i++)
            {
                if (simple)
                {
                    while (!couldBeLive.ReadBit())
                    {
                        if (++slotIndex >= numTracked)
                            return GcLiveness.Unknown;
                    }
                }
                else if (run > 0)
                {
                    run--;
                }
                else if (skipFirst)
                {
                    slotIndex += (uint)couldBeLive.DecodeVarLengthUnsigned(RleSkipBase) + 1;
                    run = (uint)couldBeLive.DecodeVarLengthUnsigned(RleRunBase);
                }
                else
                {
                    slotIndex += (uint)couldBeLive.DecodeVarLengthUnsigned(RleRunBase) + 1;
                    run = (uint)couldBeLive.DecodeVarLengthUnsigned(RleSkipBase);
                }
                bool live = finalState.ReadBit();
                if (chunk == breakChunk)
                {
                    // Transitions after the offset flip the final state back to what it is at the offset.
                    while (r.ReadBit())
                    {
                        uint transition = (uint)r.Read(ChunkSizeLog2);
                        if (transition > offsetInChunk)
                            live = !live;
                    }
                }
                if (live)
                {
                    if (slotIndex >= numTracked || !FetchSlot(ref cursor, slotIndex, out GcSlot s))
                        return GcLiveness.Unknown;
                    report(context, &s);
                }
                slotIndex++;
            }
            return FinishWithUntracked(ref cursor, context, report, GcLiveness.Interruptible);
        }

        // A safe point's run-length encoded vector: alternating skip and report runs, starting with either.
        private bool ReportRunLengthEncoded(ref GcInfoBitReader r, ref SlotCursor cursor, void* context, delegate*<void*, GcSlot*, void> report)
        {
            uint numTracked = NumTrackedSlots;
            bool skip = !r.ReadBit();
            bool reporting = true;
            uint read = (uint)r.DecodeVarLengthUnsigned(skip ? RleSkipBase : RleRunBase);
            skip = !skip;
            while (read < numTracked)
            {
                uint count = (uint)r.DecodeVarLengthUnsigned(skip ? RleSkipBase : RleRunBase) + 1;
                if (reporting)
                {
                    for (uint slot = read; slot < read + count && slot < numTracked; slot++)
                    {
                        if (!FetchSlot(ref cursor, slot, out GcSlot s))
                            return false;
                        report(context, &s);
                    }
                }
                read += count;
                skip = !skip;
                reporting = !reporting;
            }
            return read == numTracked;
        }

        private GcLiveness FinishWithUntracked(ref SlotCursor cursor, void* context, delegate*<void*, GcSlot*, void> report, GcLiveness result)
        {
            for (uint slot = NumTrackedSlots; slot < NumSlots; slot++)
            {
                if (!FetchSlot(ref cursor, slot, out GcSlot s))
                    return GcLiveness.Unknown;
                report(context, &s);
            }
            return result;
        }

        private void ReportUntracked(void* context, delegate*<void*, GcSlot*, void> report)
        {
            SlotCursor cursor = _afterCache;
            FinishWithUntracked(ref cursor, context, report, GcLiveness.NoTrackedSlots);
        }

        // Slot <paramref name="index"/>: from the cache, or decoded on from where the cache ends (indices only grow
        // during one enumeration, so <paramref name="cursor"/>, starting as the state after the cache, moves forward).
        private bool FetchSlot(ref SlotCursor cursor, uint index, out GcSlot slot)
        {
            if (index < _cachedCount)
            {
                slot = default;
                slot.IsRegister = index < NumRegisters;
                slot.IsUntracked = index >= NumTrackedSlots;
                slot.Offset = _cachedOffset[index];
                slot.Register = _cachedRegister[index];
                slot.Base = (GcStackBase)_cachedBase[index];
                slot.Flags = _cachedFlags[index];
                return true;
            }
            bool ok = cursor.MoveTo(index);
            slot = cursor.Current;
            return ok;
        }

        // Decodes the slot table front to back; the live state always names slots in increasing order, so one
        // forward pass per enumeration is enough (no table of decoded slots, nothing allocated).
        private struct SlotCursor
        {
            public GcInfoBitReader Reader;
            public GcSlot Current;
            private uint _decoded;         // slots decoded so far; Current is slot _decoded - 1
            private uint _registers, _tracked, _total;
            private int _normalizedOffset;

            public void Start(ref GcInfoDecoder decoder)
            {
                Reader = decoder._reader;
                Reader.Position = decoder._slotTablePosition;
                // Re-read the counts to position the reader on the first slot.
                if (Reader.ReadBit())
                    Reader.DecodeVarLengthUnsigned(NumRegistersBase);
                if (Reader.ReadBit())
                {
                    Reader.DecodeVarLengthUnsigned(NumStackSlotsBase);
                    Reader.DecodeVarLengthUnsigned(NumUntrackedSlotsBase);
                }
                _registers = decoder.NumRegisters;
                _tracked = decoder.NumTrackedSlots;
                _total = decoder.NumSlots;
                _decoded = 0;
                Current = default;
            }

            public bool MoveTo(uint index)
            {
                if (index >= _total || (_decoded > 0 && index < _decoded - 1))
                    return false;
                while (_decoded <= index)
                {
                    if (_decoded < _registers)
                    {
                        if (_decoded == 0 || Current.Flags != 0)
                        {
                            Current.Register = (byte)Reader.DecodeVarLengthUnsigned(RegisterBase);
                            Current.Flags = (byte)Reader.Read(2);
                        }
                        else
                        {
                            Current.Register = (byte)(Current.Register + Reader.DecodeVarLengthUnsigned(RegisterDeltaBase) + 1);
                        }
                        Current.IsRegister = true;
                        if (Current.Register > 15 || Current.Register == 4)
                            return false;
                    }
                    else
                    {
                        bool first = _decoded == _registers || _decoded == _tracked;
                        Current.IsRegister = false;
                        Current.IsUntracked = _decoded >= _tracked;
                        Current.Base = (GcStackBase)Reader.Read(2);
                        if (first || Current.Flags != 0)
                        {
                            _normalizedOffset = (int)Reader.DecodeVarLengthSigned(StackSlotBase);
                            Current.Flags = (byte)Reader.Read(2);
                        }
                        else
                        {
                            _normalizedOffset += (int)Reader.DecodeVarLengthUnsigned(StackSlotDeltaBase);
                        }
                        Current.Offset = _normalizedOffset << 3;
                        Current.Register = 0;
                        if (Current.Base > GcStackBase.FrameRegister)
                            return false;
                    }
                    _decoded++;
                }
                return true;
            }
        }
    }
}
