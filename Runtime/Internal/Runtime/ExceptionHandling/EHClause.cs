// EHClause.cs -- one exception-handling clause of a method, and the iterator that decodes a method's clause list
// from the EH info ILC writes (dotnet/runtime: CorInfoImpl.RyuJit.cs EncodeEHInfo, read back by
// UnixNativeCodeManager::EHEnumNext).
//
// Format: a compressed count, then per clause: compressed try start offset; compressed (try length << 2 | kind);
// then by kind: typed -> compressed handler offset and an int32 relative pointer (from the field) to the catch
// type's MethodTable; fault (finally and fault) -> compressed handler offset; filter -> compressed handler offset
// and compressed filter offset. Offsets are from the method's main body. Clauses are ordered innermost first.
// "Compressed" is NativeAOT's NativePrimitiveEncoder: the low bits of the first byte give the length
// (x0: 1 byte, x01: 2, x011: 3, x0111: 4, 01111: a 4-byte value follows).
// ILC separates runs of clauses whose try regions coincide but belong to different try blocks by an empty fault
// clause (offset 0, length 0): it never matches, and it stops a search that skips "the same try" (see
// ExceptionDispatch).
namespace Internal.Runtime.ExceptionHandling
{
    public enum EHClauseKind : byte
    {
        Typed = 0,            // catch (T)
        Fault = 1,            // finally or fault: runs on the second pass
        Filter = 2,           // catch when (...)
    }

    public unsafe struct EHClause
    {
        public EHClauseKind Kind;
        public uint TryStartOffset, TryEndOffset;
        public ulong HandlerAddress;
        public ulong FilterAddress;
        public MethodTable* CatchType;

        /// <summary>Whether the try region covers a code offset (closed start, open end: the iterator hands out
        /// return addresses minus one, and faulting instructions as they are).</summary>
        public bool TryContains(uint codeOffset) => codeOffset >= TryStartOffset && codeOffset < TryEndOffset;
    }

    public unsafe struct EHClauseIterator
    {
        private byte* _next;
        private ulong _methodStart;
        private uint _remaining;

        public EHClauseIterator(byte* ehInfo, ulong methodStart)
        {
            _next = ehInfo;
            _methodStart = methodStart;
            _remaining = ehInfo != null ? ReadCompressed(ref _next) : 0;
        }

        public uint Count => _remaining;

        public bool Next(out EHClause clause)
        {
            clause = default;
            if (_remaining == 0)
                return false;
            _remaining--;
            clause.TryStartOffset = ReadCompressed(ref _next);
            uint lengthAndKind = ReadCompressed(ref _next);
            clause.Kind = (EHClauseKind)(lengthAndKind & 3);
            clause.TryEndOffset = clause.TryStartOffset + (lengthAndKind >> 2);
            clause.HandlerAddress = _methodStart + ReadCompressed(ref _next);
            switch (clause.Kind)
            {
                case EHClauseKind.Typed:
                    clause.CatchType = (MethodTable*)(_next + *(int*)_next);
                    _next += 4;
                    break;
                case EHClauseKind.Filter:
                    clause.FilterAddress = _methodStart + ReadCompressed(ref _next);
                    break;
            }
            return true;
        }

        internal static uint ReadCompressed(ref byte* p)
        {
            uint first = *p;
            if ((first & 1) == 0)
            {
                p += 1;
                return first >> 1;
            }
            if ((first & 2) == 0)
            {
                uint value = (first >> 2) | ((uint)p[1] << 6);
                p += 2;
                return value;
            }
            if ((first & 4) == 0)
            {
                uint value = (first >> 3) | ((uint)p[1] << 5) | ((uint)p[2] << 13);
                p += 3;
                return value;
            }
            if ((first & 8) == 0)
            {
                uint value = (first >> 4) | ((uint)p[1] << 4) | ((uint)p[2] << 12) | ((uint)p[3] << 20);
                p += 4;
                return value;
            }
            uint wide = *(uint*)(p + 1);
            p += 5;
            return wide;
        }
    }
}
