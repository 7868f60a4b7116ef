// OptionSyntax.cs -- the value syntaxes kernel options accept beyond a fixed list: a host name (RFC 1123: it goes
// into the prompt, the log and uname, so `]`, spaces or control characters would break them) and a whole number of
// seconds in a range. Pure logic: host-tested.
namespace Kernel.Init
{
    public static class OptionSyntax
    {
        /// <summary>RFC 1123 host name: dot-separated labels of letters, digits and '-', 1-63 characters each, not
        /// starting or ending with '-'; at most 253 characters in all.</summary>
        public static bool IsHostName(string value)
        {
            if (value == null || value.Length == 0 || value.Length > 253)
                return false;
            int labelLength = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '.')
                {
                    if (labelLength == 0 || value[i - 1] == '-')
                        return false;
                    labelLength = 0;
                    continue;
                }
                bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                if (!letterOrDigit && (c != '-' || labelLength == 0))
                    return false;
                if (++labelLength > 63)
                    return false;
            }
            return labelLength > 0 && value[value.Length - 1] != '-';
        }

        /// <summary>A decimal whole number from <paramref name="min"/> to <paramref name="max"/>, digits only.</summary>
        public static bool IsWholeNumber(string value, long min, long max)
        {
            if (value == null || value.Length == 0 || value.Length > 18)
                return false;
            long n = 0;
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < '0' || c > '9')
                    return false;
                n = n * 10 + (c - '0');
            }
            return n >= min && n <= max;
        }
    }
}
