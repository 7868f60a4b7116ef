// StatLayout.cs -- FileStatus in the two layouts x86-64 Linux programs read: struct stat (144 bytes, fstat and
// newfstatat) and struct statx (256 bytes). Both are zeroed first, so reserved fields and the times we do not keep
// (access, change: the modification time stands in) are defined.
namespace Kernel.User
{
    public static unsafe class StatLayout
    {
        public const int StatBytes = 144, StatxBytes = 256;
        private const uint StatxBasicStats = 0x7FF;

        public static void WriteStat(in FileStatus s, byte* b)
        {
            Zero(b, StatBytes);
            *(ulong*)(b + 0) = s.Device;
            *(ulong*)(b + 8) = s.Inode;
            *(ulong*)(b + 16) = (ulong)s.Links;
            *(uint*)(b + 24) = (uint)s.Mode;
            // uid, gid 0: everything is root's
            *(ulong*)(b + 40) = s.RawDevice;
            *(long*)(b + 48) = s.Size;
            *(long*)(b + 56) = 4096;
            *(long*)(b + 64) = (s.Size + 511) / 512;
            *(long*)(b + 72) = s.ModificationTime;   // atime
            *(long*)(b + 88) = s.ModificationTime;   // mtime
            *(long*)(b + 104) = s.ModificationTime;  // ctime
        }

        public static void WriteStatx(in FileStatus s, byte* b)
        {
            Zero(b, StatxBytes);
            *(uint*)(b + 0) = StatxBasicStats;
            *(uint*)(b + 4) = 4096;
            *(uint*)(b + 16) = (uint)s.Links;
            *(ushort*)(b + 28) = (ushort)s.Mode;
            *(ulong*)(b + 32) = s.Inode;
            *(long*)(b + 40) = s.Size;
            *(long*)(b + 48) = (s.Size + 511) / 512;
            *(long*)(b + 0x40) = s.ModificationTime;   // atime
            *(long*)(b + 0x60) = s.ModificationTime;   // ctime
            *(long*)(b + 0x70) = s.ModificationTime;   // mtime
            *(uint*)(b + 0x80) = (uint)(s.RawDevice >> 8);
            *(uint*)(b + 0x84) = (uint)(s.RawDevice & 0xFF);
            *(uint*)(b + 0x88) = (uint)(s.Device >> 8);
            *(uint*)(b + 0x8C) = (uint)(s.Device & 0xFF);
        }

        private static void Zero(byte* b, int n)
        {
            for (int i = 0; i < n; i++)
                b[i] = 0;
        }
    }
}
