// FileMode.cs -- Unix mode bits (type and permissions, with the sticky bit VisorFS uses to mark persistent files)
// and the `ls -l` mode string.
namespace Kernel.VisorFs
{
    public enum FileKind
    {
        None,
        File,
        Directory,
        Symlink,
        CharDevice,
        BlockDevice,
        Fifo,
    }

    public static class FileMode
    {
        public const int Sticky = 0x200;      // 01000: a file whose changes backup.sh saves
        public const int SetGid = 0x400;      // 02000
        public const int SetUid = 0x800;      // 04000
        public const int PermissionMask = 0xFFF;

        /// <summary>`drwxr-xr-t` appended to a line (no allocation).</summary>
        public static unsafe void Append(ref Kernel.Text.LineBuilder line, FileKind kind, int mode)
        {
            char* c = stackalloc char[10];
            Format(kind, mode, c);
            for (int i = 0; i < 10; i++)
                line.Append(c[i]);
        }

        /// <summary>`drwxr-xr-t`: type letter, then rwx triplets; s/S and t/T as ls prints them.</summary>
        public static unsafe string ToText(FileKind kind, int mode)
        {
            char* c = stackalloc char[10];
            Format(kind, mode, c);
            return new string(c, 0, 10);
        }

        private static unsafe void Format(FileKind kind, int mode, char* c)
        {
            c[0] = kind switch
            {
                FileKind.Directory => 'd',
                FileKind.Symlink => 'l',
                FileKind.CharDevice => 'c',
                FileKind.BlockDevice => 'b',
                FileKind.Fifo => 'p',
                _ => '-',
            };
            for (int i = 0; i < 3; i++)
            {
                int bits = (mode >> (6 - 3 * i)) & 7;
                c[1 + 3 * i] = (bits & 4) != 0 ? 'r' : '-';
                c[2 + 3 * i] = (bits & 2) != 0 ? 'w' : '-';
                c[3 + 3 * i] = (bits & 1) != 0 ? 'x' : '-';
            }
            if ((mode & SetUid) != 0)
                c[3] = c[3] == 'x' ? 's' : 'S';
            if ((mode & SetGid) != 0)
                c[6] = c[6] == 'x' ? 's' : 'S';
            if ((mode & Sticky) != 0)
                c[9] = c[9] == 'x' ? 't' : 'T';
        }

        /// <summary>Octal text with a leading 0 (`01777`), as ESXi's mount lines print a ramdisk's mode.</summary>
        public static string Octal(int mode)
        {
            var c = new char[8];
            int n = 0;
            do
            {
                c[7 - n++] = (char)('0' + (mode & 7));
                mode >>= 3;
            }
            while (mode != 0 && n < 7);
            c[7 - n++] = '0';
            string text = new string(c, 8 - n, n);
            return text;
        }

        /// <summary>Parses an octal mode (`1777`, `0755`); false when it is not octal or above 07777.</summary>
        public static bool TryParseOctal(string text, out int mode)
        {
            mode = 0;
            if (text == null || text.Length == 0 || text.Length > 6)
                return false;
            for (int i = 0; i < text.Length; i++)
            {
                char ch = text[i];
                if (ch < '0' || ch > '7')
                    return false;
                mode = mode * 8 + (ch - '0');
            }
            return mode <= 0xFFF;
        }
    }
}
