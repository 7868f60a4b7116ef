// LinuxDirent.cs -- one getdents64 record (struct linux_dirent64): d_ino u64, d_off s64, d_reclen u16, d_type u8,
// then the NUL-terminated name, the record padded to 8 bytes. Shared by every directory a program can list.
using System;

namespace Kernel.User
{
    internal static unsafe class LinuxDirent
    {
        public const byte TypeDirectory = 4;

        /// <summary>Appends a record at <paramref name="used"/>; the bytes used after it, or -1 when it does not fit.</summary>
        public static int Append(Span<byte> into, int used, ulong inode, long nextOffset, byte type, string name)
        {
            int length = (19 + name.Length + 1 + 7) & ~7;
            if (used + length > into.Length)
                return -1;
            Span<byte> record = into.Slice(used, length);
            record.Clear();
            fixed (byte* r = record)
            {
                *(ulong*)r = inode;
                *(long*)(r + 8) = nextOffset;
                *(ushort*)(r + 16) = (ushort)length;
                r[18] = type;
                for (int i = 0; i < name.Length; i++)
                    r[19 + i] = (byte)name[i];
            }
            return used + length;
        }
    }
}
