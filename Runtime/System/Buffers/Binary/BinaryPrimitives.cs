// BinaryPrimitives.cs -- little- and big-endian integers read from and written to byte spans, with the BCL's names
// and signatures, so the kernel's on-disk and firmware formats (ACPI tables, partition tables, FAT, tar) share one
// reader and the same source compiles against the BCL in host tests. A span shorter than the integer throws
// ArgumentOutOfRangeException, as the BCL does; nothing is read or written then.
namespace System.Buffers.Binary
{
    public static class BinaryPrimitives
    {
        public static ushort ReadUInt16LittleEndian(ReadOnlySpan<byte> source)
        {
            Need(source.Length, 2);
            return (ushort)(source[0] | source[1] << 8);
        }

        public static uint ReadUInt32LittleEndian(ReadOnlySpan<byte> source)
        {
            Need(source.Length, 4);
            return (uint)(source[0] | source[1] << 8 | source[2] << 16 | source[3] << 24);
        }

        public static ulong ReadUInt64LittleEndian(ReadOnlySpan<byte> source)
        {
            Need(source.Length, 8);
            return ReadUInt32LittleEndian(source) | (ulong)ReadUInt32LittleEndian(source.Slice(4)) << 32;
        }

        public static short ReadInt16LittleEndian(ReadOnlySpan<byte> source) => (short)ReadUInt16LittleEndian(source);
        public static int ReadInt32LittleEndian(ReadOnlySpan<byte> source) => (int)ReadUInt32LittleEndian(source);
        public static long ReadInt64LittleEndian(ReadOnlySpan<byte> source) => (long)ReadUInt64LittleEndian(source);

        public static ushort ReadUInt16BigEndian(ReadOnlySpan<byte> source)
        {
            Need(source.Length, 2);
            return (ushort)(source[0] << 8 | source[1]);
        }

        public static uint ReadUInt32BigEndian(ReadOnlySpan<byte> source)
        {
            Need(source.Length, 4);
            return (uint)(source[0] << 24 | source[1] << 16 | source[2] << 8 | source[3]);
        }

        public static ulong ReadUInt64BigEndian(ReadOnlySpan<byte> source)
        {
            Need(source.Length, 8);
            return (ulong)ReadUInt32BigEndian(source) << 32 | ReadUInt32BigEndian(source.Slice(4));
        }

        public static void WriteUInt16LittleEndian(Span<byte> destination, ushort value)
        {
            Need(destination.Length, 2);
            destination[0] = (byte)value;
            destination[1] = (byte)(value >> 8);
        }

        public static void WriteUInt32LittleEndian(Span<byte> destination, uint value)
        {
            Need(destination.Length, 4);
            destination[0] = (byte)value;
            destination[1] = (byte)(value >> 8);
            destination[2] = (byte)(value >> 16);
            destination[3] = (byte)(value >> 24);
        }

        public static void WriteUInt64LittleEndian(Span<byte> destination, ulong value)
        {
            Need(destination.Length, 8);
            WriteUInt32LittleEndian(destination, (uint)value);
            WriteUInt32LittleEndian(destination.Slice(4), (uint)(value >> 32));
        }

        public static void WriteInt16LittleEndian(Span<byte> destination, short value) => WriteUInt16LittleEndian(destination, (ushort)value);
        public static void WriteInt32LittleEndian(Span<byte> destination, int value) => WriteUInt32LittleEndian(destination, (uint)value);
        public static void WriteInt64LittleEndian(Span<byte> destination, long value) => WriteUInt64LittleEndian(destination, (ulong)value);

        public static void WriteUInt16BigEndian(Span<byte> destination, ushort value)
        {
            Need(destination.Length, 2);
            destination[0] = (byte)(value >> 8);
            destination[1] = (byte)value;
        }

        public static void WriteUInt32BigEndian(Span<byte> destination, uint value)
        {
            Need(destination.Length, 4);
            destination[0] = (byte)(value >> 24);
            destination[1] = (byte)(value >> 16);
            destination[2] = (byte)(value >> 8);
            destination[3] = (byte)value;
        }

        private static void Need(int length, int bytes)
        {
            if (length < bytes)
                throw new ArgumentOutOfRangeException("length");
        }
    }
}
