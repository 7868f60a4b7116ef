// MethodInfo.cs -- what the image says about the method a PC belongs to: its start, whether the code is a funclet,
// and where its EH clauses and GC info are. Decoded from the LSDA ILC attaches to every FDE.
//
// The LSDA is NativeAOT's per-method unwind block (dotnet/runtime, UnixNativeCodeManager.cpp):
//   u8 flags: bits 0-1 kind (0 main body, 1 handler funclet, 2 filter funclet), 0x04 has EH info,
//             0x08 reverse P/Invoke (UnmanagedCallersOnly: native code called it), 0x10 has associated data.
//   funclet:   i32 relative pointer (from the field) to the main body's LSDA, then i32 = funclet start - method start.
//   main body: [i32 relative pointer to associated data], [i32 relative pointer to the EH info], then the GC info.
// Funclets are separate functions with their own FDE, placed after the main body; offsets in the EH clauses and
// the GC info are relative to the main body's start.
namespace Internal.Runtime.Unwinding
{
    public enum FuncletKind : byte
    {
        MainBody = 0,
        Handler = 1,          // catch, finally or fault handler
        Filter = 2,           // the `when` expression of a catch
    }

    public unsafe struct MethodInfo
    {
        private const byte KindMask = 0x03;
        private const byte HasEHInfoFlag = 0x04;
        private const byte ReversePInvokeFlag = 0x08;
        private const byte HasAssociatedDataFlag = 0x10;

        /// <summary>Start and end of this function's code (a funclet's own range for funclets).</summary>
        public ulong FunctionStart, FunctionEnd;

        /// <summary>Start of the method's main body: what EH clause and GC info offsets are relative to.</summary>
        public ulong MethodStart;

        public FuncletKind Kind;

        /// <summary>An UnmanagedCallersOnly method: its caller is native code, so exceptions never pass it.</summary>
        public bool IsReversePInvoke;

        /// <summary>The method's EH clauses (see <see cref="ExceptionHandling.EHClauseIterator"/>), or null.</summary>
        public byte* EHInfo;

        /// <summary>The method's GC info (CoreCLR GcInfo encoding), or null when the FDE has no LSDA.</summary>
        public byte* GCInfo;

        public byte* AssociatedData;

        public bool IsFunclet => Kind != FuncletKind.MainBody;

        /// <summary>Decodes the method information of the function an FDE describes.</summary>
        internal static MethodInfo From(ref FrameDescription fde)
        {
            var info = new MethodInfo { FunctionStart = fde.PcBegin, FunctionEnd = fde.PcEnd, MethodStart = fde.PcBegin };
            byte* p = fde.Lsda;
            if (p == null)
                return info;
            byte flags = *p++;
            info.Kind = (FuncletKind)(flags & KindMask);
            byte* main = fde.Lsda;
            if (info.Kind != FuncletKind.MainBody)
            {
                main = p + *(int*)p;
                p += 4;
                info.MethodStart = fde.PcBegin - (ulong)(long)*(int*)p;
            }
            // Everything else is described once, by the main body's block.
            p = main;
            byte mainFlags = *p++;
            info.IsReversePInvoke = (mainFlags & ReversePInvokeFlag) != 0;
            if ((mainFlags & HasAssociatedDataFlag) != 0)
            {
                info.AssociatedData = p + *(int*)p;
                p += 4;
            }
            if ((mainFlags & HasEHInfoFlag) != 0)
            {
                info.EHInfo = p + *(int*)p;
                p += 4;
            }
            info.GCInfo = p;
            return info;
        }

        /// <summary>The method information for a code address; false if it is not managed code.</summary>
        public static bool TryFind(ulong pc, out MethodInfo info)
        {
            if (!CodeMap.TryFind(pc, out FrameDescription fde))
            {
                info = default;
                return false;
            }
            info = From(ref fde);
            return true;
        }
    }
}
