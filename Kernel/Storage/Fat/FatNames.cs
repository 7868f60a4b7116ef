// FatNames.cs -- names on a FAT volume: the 11-byte short (8.3) name, its display form, the checksum that ties long
// name entries to it, which long names are legal, and the short name made up for a long one ("LONGFI~1.TXT", the
// basis-name algorithm of the FAT specification, 7.2, simplified to ASCII: other characters become '_').
// Comparisons fold ASCII case only, the same in the kernel and on the host, so a lookup never depends on culture.
namespace Kernel.Storage.Fat
{
    public static class FatNames
    {
        public const int MaxLongName = 255;

        /// <summary>The long-name checksum of an 11-byte short name (FAT spec 7.2).</summary>
        public static byte Checksum(byte[] shortName, int at)
        {
            byte sum = 0;
            for (int i = 0; i < 11; i++)
                sum = (byte)(((sum & 1) << 7) + (sum >> 1) + shortName[at + i]);
            return sum;
        }

        /// <summary>"NAME.EXT" from the entry at <paramref name="at"/>, lowered where NTRes (byte 12) says so, as Windows and Linux show it.</summary>
        public static string ShortText(byte[] entry, int at)
        {
            byte flags = at + 12 < entry.Length ? entry[at + 12] : (byte)0;   // a bare 11-byte name has no case flags
            var chars = new char[12];
            int n = 0;
            for (int i = 0; i < 8 && entry[at + i] != ' '; i++)
            {
                byte c = entry[at + i];
                if (i == 0 && c == 0x05)
                    c = 0xE5;   // a name starting with 0xE5 is stored as 0x05
                chars[n++] = Display(c, (flags & 0x08) != 0);
            }
            if (entry[at + 8] != ' ')
            {
                chars[n++] = '.';
                for (int i = 8; i < 11 && entry[at + i] != ' '; i++)
                    chars[n++] = Display(entry[at + i], (flags & 0x10) != 0);
            }
            return new string(chars, 0, n);
        }

        /// <summary>An 11-byte label field (boot sector or root entry) without its trailing spaces; "" for none or NO NAME.</summary>
        public static string LabelText(byte[] b, int at)
        {
            int n = 11;
            while (n > 0 && (b[at + n - 1] == ' ' || b[at + n - 1] == 0))
                n--;
            var chars = new char[n];
            for (int i = 0; i < n; i++)
                chars[i] = Display(b[at + i], false);
            string text = new string(chars);
            return text == "NO NAME" ? "" : text;
        }

        /// <summary>Whether <paramref name="name"/> may be stored as a long name (and so created).</summary>
        public static bool IsValidLongName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > MaxLongName || name == "." || name == "..")
                return false;
            char last = name[name.Length - 1];
            if (last == '.' || last == ' ')
                return false;   // Windows strips these; refusing keeps the name the user typed
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c < 0x20 || c == '"' || c == '*' || c == '/' || c == ':' || c == '<' || c == '>' || c == '?' || c == '\\' || c == '|' || c == 0x7F)
                    return false;
            }
            return true;
        }

        /// <summary>
        /// The short name of <paramref name="name"/> when it is already a valid upper-case 8.3 name (no long entries needed),
        /// else null.
        /// </summary>
        public static byte[] ExactShortName(string name)
        {
            int dot = name.LastIndexOf('.');
            int baseLength = dot < 0 ? name.Length : dot;
            int extLength = dot < 0 ? 0 : name.Length - dot - 1;
            if (baseLength < 1 || baseLength > 8 || extLength > 3 || (dot >= 0 && extLength == 0))
                return null;
            var s = Blank();
            for (int i = 0; i < name.Length; i++)
            {
                if (i == dot)
                    continue;
                char c = name[i];
                if (!IsShortChar(c) || (c >= 'a' && c <= 'z'))
                    return null;
                if (i < baseLength)
                    s[i] = (byte)c;
                else
                    s[8 + i - dot - 1] = (byte)c;
            }
            if (s[0] == 0xE5)
                return null;
            return s;
        }

        /// <summary>The basis short name with numeric tail <paramref name="tail"/> (1, 2, ...): "LONGFI~1TXT".</summary>
        public static byte[] MadeUpShortName(string name, int tail)
        {
            var s = Blank();
            int dot = name.LastIndexOf('.');
            int end = dot > 0 ? dot : name.Length;
            var basis = new byte[8];
            int n = 0;
            for (int i = 0; i < end && n < 8; i++)
            {
                byte c = ShortOf(name[i]);
                if (c != 0)
                    basis[n++] = c;
            }
            if (n == 0)
                basis[n++] = (byte)'_';
            string digits = tail.ToString();
            int keep = n < 7 - digits.Length ? n : 7 - digits.Length;
            for (int i = 0; i < keep; i++)
                s[i] = basis[i];
            s[keep] = (byte)'~';
            for (int i = 0; i < digits.Length; i++)
                s[keep + 1 + i] = (byte)digits[i];
            if (dot > 0)
            {
                int e = 0;
                for (int i = dot + 1; i < name.Length && e < 3; i++)
                {
                    byte c = ShortOf(name[i]);
                    if (c != 0)
                        s[8 + e++] = c;
                }
            }
            return s;
        }

        /// <summary>ASCII case-insensitive equality, as FAT compares names.</summary>
        public static bool SameName(string a, string b)
        {
            if (a.Length != b.Length)
                return false;
            for (int i = 0; i < a.Length; i++)
                if (Fold(a[i]) != Fold(b[i]))
                    return false;
            return true;
        }

        public static bool SameShort(byte[] a, int aAt, byte[] b, int bAt)
        {
            for (int i = 0; i < 11; i++)
                if (a[aAt + i] != b[bAt + i])
                    return false;
            return true;
        }

        /// <summary>ASCII upper case (other characters unchanged).</summary>
        public static string Upper(string name)
        {
            var chars = new char[name.Length];
            for (int i = 0; i < name.Length; i++)
                chars[i] = Fold(name[i]);
            return new string(chars);
        }

        /// <summary>"." (dots 1) or ".." (dots 2) as an 11-byte short name at <paramref name="at"/>.</summary>
        public static void DotName(byte[] data, int at, int dots)
        {
            for (int i = 0; i < 11; i++)
                data[at + i] = (byte)(i < dots ? '.' : ' ');
        }

        /// <summary>
        /// Long-name entry number <paramref name="order"/> (1-based; the last part is flagged 0x40) of
        /// <paramref name="name"/>: 13 UTF-16 units at offsets 1, 14 and 28, a 0 after the name and 0xFFFF padding.
        /// </summary>
        public static void WriteLongEntry(byte[] data, int at, string name, int order, bool last, byte checksum)
        {
            data[at] = (byte)(order | (last ? 0x40 : 0));
            data[at + 11] = 0x0F;
            data[at + 12] = 0;
            data[at + 13] = checksum;
            data[at + 26] = data[at + 27] = 0;
            for (int i = 0; i < 13; i++)
            {
                int index = (order - 1) * 13 + i;
                uint unit = index < name.Length ? name[index] : index == name.Length ? 0u : 0xFFFFu;
                int offset = LongOffsets[i];
                data[at + offset] = (byte)unit;
                data[at + offset + 1] = (byte)(unit >> 8);
            }
        }

        /// <summary>Where the 13 characters of a long-name entry sit.</summary>
        public static readonly int[] LongOffsets = { 1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30 };

        private static char Fold(char c) => c >= 'a' && c <= 'z' ? (char)(c - 32) : c;

        private static byte[] Blank()
        {
            var s = new byte[11];
            for (int i = 0; i < 11; i++)
                s[i] = (byte)' ';
            return s;
        }

        // The short-name byte for a long-name character: upper-cased, '_' for what 8.3 cannot hold, 0 to drop it.
        private static byte ShortOf(char c)
        {
            if (c == ' ' || c == '.')
                return 0;
            c = Fold(c);
            return IsShortChar(c) ? (byte)c : (byte)'_';
        }

        private static bool IsShortChar(char c)
        {
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
                return true;
            return c == '$' || c == '%' || c == '\'' || c == '-' || c == '_' || c == '@' || c == '~' || c == '`' || c == '!'
                || c == '(' || c == ')' || c == '{' || c == '}' || c == '^' || c == '#' || c == '&';
        }

        // A short-name byte as text: ASCII as is (lowered on request), anything else as '?' (the OEM code page is unknown).
        private static char Display(byte c, bool lower)
        {
            if (c < 0x20 || c > 0x7E)
                return '?';
            char ch = (char)c;
            return lower && ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
        }
    }
}
