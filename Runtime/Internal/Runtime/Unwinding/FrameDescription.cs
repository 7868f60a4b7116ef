// FrameDescription.cs -- one .eh_frame FDE with the parts of its CIE the unwinder needs: the code range it covers,
// its LSDA (for ILC code: the method's NativeAOT info), and where its CFA instructions are.
//
// Format (LSB Core, "The .eh_frame section"; DWARF 4 section 6.4.1 for the CIE fields):
//   CIE: u32 length, u32 id (0), u8 version (1 or 3), augmentation string ("zLR" from ILC), uleb code alignment,
//        sleb data alignment, return-address register (u8 in version 1, uleb in 3), then with 'z' a uleb length
//        and per letter: 'L' LSDA encoding, 'R' FDE pointer encoding, 'P' personality (encoding + pointer),
//        'S' signal frame; then the initial instructions.
//   FDE: u32 length, u32 offset back to its CIE (from this field), pc_begin (R encoding), pc_range (R format),
//        with 'z' a uleb length and the LSDA pointer (L encoding), then the instructions.
// A 0xFFFFFFFF length (64-bit DWARF) does not occur in a kernel image and is refused.
namespace Internal.Runtime.Unwinding
{
    internal unsafe struct FrameDescription
    {
        public byte* Entry;                 // the FDE itself
        public ulong PcBegin, PcEnd;
        public byte* Lsda;
        public ulong CodeAlignment;
        public long DataAlignment;
        public int ReturnAddressRegister;
        public bool IsSignalFrame;
        public byte* CieInstructions, CieInstructionsEnd;
        public byte* Instructions, InstructionsEnd;

        public bool Contains(ulong pc) => pc >= PcBegin && pc < PcEnd;

        public static bool TryParse(byte* fde, out FrameDescription result)
        {
            result = default;
            var r = new DwarfReader(fde);
            uint length = r.ReadUInt32();
            if (length == 0 || length == 0xFFFFFFFF)
                return false;
            byte* end = r.Position + length;
            byte* idField = r.Position;
            uint cieOffset = r.ReadUInt32();
            if (cieOffset == 0)
                return false;                       // a CIE, not an FDE
            if (!TryParseCie(idField - cieOffset, ref result, out byte fdeEncoding, out byte lsdaEncoding, out bool hasAugmentationData))
                return false;
            if (!r.TryReadEncodedPointer(fdeEncoding, 0, out ulong begin) || !r.TryReadEncodedLength(fdeEncoding, out ulong range))
                return false;
            result.PcBegin = begin;
            result.PcEnd = begin + range;
            if (hasAugmentationData)
            {
                ulong augmentationLength = r.ReadUleb128();
                byte* afterAugmentation = r.Position + augmentationLength;
                if (lsdaEncoding != DwarfReader.EncodingOmit)
                {
                    if (!r.TryReadEncodedPointer(lsdaEncoding, 0, out ulong lsda))
                        return false;
                    result.Lsda = (byte*)lsda;
                }
                r.Position = afterAugmentation;
            }
            result.Instructions = r.Position;
            result.InstructionsEnd = end;
            result.Entry = fde;
            return true;
        }

        private static bool TryParseCie(byte* cie, ref FrameDescription result, out byte fdeEncoding, out byte lsdaEncoding, out bool hasAugmentationData)
        {
            fdeEncoding = 0;                         // absolute 8-byte pointers unless 'R' says otherwise
            lsdaEncoding = DwarfReader.EncodingOmit;
            hasAugmentationData = false;
            var r = new DwarfReader(cie);
            uint length = r.ReadUInt32();
            if (length == 0 || length == 0xFFFFFFFF)
                return false;
            byte* end = r.Position + length;
            if (r.ReadUInt32() != 0)
                return false;
            byte version = r.ReadByte();
            if (version != 1 && version != 3)
                return false;
            byte* augmentation = r.ReadCString();
            result.CodeAlignment = r.ReadUleb128();
            result.DataAlignment = r.ReadSleb128();
            result.ReturnAddressRegister = version == 1 ? r.ReadByte() : (int)r.ReadUleb128();
            if (*augmentation == 'z')
            {
                hasAugmentationData = true;
                ulong augmentationLength = r.ReadUleb128();
                byte* afterAugmentation = r.Position + augmentationLength;
                for (byte* a = augmentation + 1; *a != 0; a++)
                {
                    switch (*a)
                    {
                        case (byte)'L':
                            lsdaEncoding = r.ReadByte();
                            break;
                        case (byte)'R':
                            fdeEncoding = r.ReadByte();
                            break;
                        case (byte)'P':
                            if (!r.TryReadEncodedPointer(r.ReadByte(), 0, out _))
                                return false;
                            break;
                        case (byte)'S':
                            result.IsSignalFrame = true;
                            break;
                        default:
                            return false;
                    }
                }
                r.Position = afterAugmentation;
            }
            else if (*augmentation != 0)
            {
                return false;                        // an augmentation we cannot skip without 'z'
            }
            result.CieInstructions = r.Position;
            result.CieInstructionsEnd = end;
            return true;
        }
    }
}
