// DwarfReader.cs -- reads the primitive encodings of .eh_frame and .eh_frame_hdr: LEB128 numbers and the
// DW_EH_PE_* pointer encodings (LSB Core specification, "Exception Frames").
namespace Internal.Runtime.Unwinding
{
    internal unsafe struct DwarfReader
    {
        // DW_EH_PE_*: low nibble = value format, high bits = what the value is relative to.
        public const byte EncodingOmit = 0xFF;
        private const byte FormatMask = 0x0F;
        private const byte ApplicationMask = 0x70;
        private const byte Indirect = 0x80;
        private const byte AbsolutePointer = 0x00, Uleb128 = 0x01, Udata2 = 0x02, Udata4 = 0x03, Udata8 = 0x04;
        private const byte Sleb128 = 0x09, Sdata2 = 0x0A, Sdata4 = 0x0B, Sdata8 = 0x0C;
        private const byte PcRelative = 0x10, DataRelative = 0x30;

        public byte* Position;

        public DwarfReader(byte* position) => Position = position;

        public byte ReadByte() => *Position++;

        public ushort ReadUInt16()
        {
            ushort value = *(ushort*)Position;
            Position += 2;
            return value;
        }

        public uint ReadUInt32()
        {
            uint value = *(uint*)Position;
            Position += 4;
            return value;
        }

        public int ReadInt32() => (int)ReadUInt32();

        public ulong ReadUInt64()
        {
            ulong value = *(ulong*)Position;
            Position += 8;
            return value;
        }

        public ulong ReadUleb128()
        {
            ulong result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *Position++;
                if (shift < 64)
                    result |= (ulong)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            return result;
        }

        public long ReadSleb128()
        {
            long result = 0;
            int shift = 0;
            byte b;
            do
            {
                b = *Position++;
                if (shift < 64)
                    result |= (long)(b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);
            if (shift < 64 && (b & 0x40) != 0)
                result |= -1L << shift;
            return result;
        }

        /// <summary>Skips a NUL-terminated string and returns its start.</summary>
        public byte* ReadCString()
        {
            byte* start = Position;
            while (*Position != 0)
                Position++;
            Position++;
            return start;
        }

        /// <summary>
        /// Reads a pointer in the given DW_EH_PE encoding. pc-relative values are relative to the field's own address,
        /// data-relative ones to <paramref name="dataBase"/> (the .eh_frame_hdr start). Returns false for encodings
        /// the kernel's image never contains (text- or function-relative, aligned).
        /// </summary>
        public bool TryReadEncodedPointer(byte encoding, ulong dataBase, out ulong value)
        {
            value = 0;
            if (encoding == EncodingOmit)
                return true;
            ulong fieldAddress = (ulong)Position;
            switch (encoding & FormatMask)
            {
                case AbsolutePointer: value = ReadUInt64(); break;
                case Uleb128: value = ReadUleb128(); break;
                case Udata2: value = ReadUInt16(); break;
                case Udata4: value = ReadUInt32(); break;
                case Udata8: value = ReadUInt64(); break;
                case Sleb128: value = (ulong)ReadSleb128(); break;
                case Sdata2: value = (ulong)(long)(short)ReadUInt16(); break;
                case Sdata4: value = (ulong)(long)ReadInt32(); break;
                case Sdata8: value = ReadUInt64(); break;
                default: return false;
            }
            switch (encoding & ApplicationMask)
            {
                case 0: break;
                case PcRelative: value += fieldAddress; break;
                case DataRelative: value += dataBase; break;
                default: return false;
            }
            if ((encoding & Indirect) != 0)
                value = *(ulong*)value;
            return true;
        }

        /// <summary>The value part of an encoding only (an FDE's address range is a length, not an address).</summary>
        public bool TryReadEncodedLength(byte encoding, out ulong value)
            => TryReadEncodedPointer((byte)(encoding & FormatMask), 0, out value);
    }
}
