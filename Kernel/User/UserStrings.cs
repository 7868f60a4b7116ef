// UserStrings.cs -- a NUL-terminated string from the program (a path, an argument): copied a page piece at a time,
// so a string that ends just before an unmapped page is read whole and never -EFAULT for the page after it.
namespace Kernel.User
{
    public static unsafe class UserStrings
    {
        public const int PathMax = 4096;

        /// <summary>0 and the string, or -EFAULT (bad pointer) / -ENAMETOOLONG (no NUL within max bytes).</summary>
        public static long CopyIn(ulong address, int max, out string text)
        {
            text = null;
            if (address == 0)
                return -LinuxError.EFAULT;
            char[] chars = new char[max < 256 ? max : 256];
            byte* piece = stackalloc byte[256];
            int length = 0;
            while (length < max)
            {
                ulong at = address + (ulong)length;
                ulong toPage = 4096 - (at & 4095);
                int n = toPage < 256 ? (int)toPage : 256;
                if (!UserMemory.CopyIn(piece, at, (ulong)n))
                    return -LinuxError.EFAULT;
                for (int i = 0; i < n; i++)
                {
                    if (piece[i] == 0)
                    {
                        text = new string(chars, 0, length);
                        return 0;
                    }
                    if (length == max)
                        break;
                    if (length == chars.Length)
                    {
                        char[] larger = new char[chars.Length * 2 < max ? chars.Length * 2 : max];
                        for (int c = 0; c < length; c++)
                            larger[c] = chars[c];
                        chars = larger;
                    }
                    chars[length++] = (char)piece[i];
                }
            }
            return -LinuxError.ENAMETOOLONG;
        }
    }
}
