// ModeExpression.cs -- chmod's MODE argument: octal ("644", "1755") or symbolic clauses ("+t", "u+x,go-w", "a=rX"),
// applied to a file's current mode. Pure arithmetic, so it is tested on the host against coreutils' rules.
namespace Kernel.VisorFs
{
    public static class ModeExpression
    {
        private const int Read = 4, Write = 2, Execute = 1;
        // FileMode's bits, repeated so this file stands alone in the host tests (FileMode needs the kernel heap).
        private const int SetUid = 0x800, SetGid = 0x400, Sticky = 0x200;
        private const int UserShift = 6, GroupShift = 3, OtherShift = 0;

        /// <summary>
        /// The mode <paramref name="expression"/> gives a file whose mode is <paramref name="current"/> (permission bits
        /// 07777). False for anything malformed: an octal number above 07777, an unknown letter, an empty clause.
        /// Symbolic clauses follow POSIX chmod: who is any of `ugoa` (none means all), then one or more of `+`, `-`,
        /// `=` each followed by any of `rwxXst` or by one of `ugo` (copy that class's bits). `X` is execute only for
        /// directories or when some execute bit is already set. With no `who`, POSIX would mask by the umask; VisorFS
        /// has no umask (everything runs as root with 022 applied at creation), so all classes are affected.
        /// </summary>
        public static bool TryApply(string expression, int current, bool isDirectory, out int mode)
        {
            mode = current & 0xFFF;
            if (expression == null || expression.Length == 0)
                return false;
            if (expression[0] >= '0' && expression[0] <= '7')
                return TryOctal(expression, out mode);
            int i = 0;
            while (true)
            {
                // who
                int who = 0;
                for (; i < expression.Length; i++)
                {
                    char c = expression[i];
                    if (c == 'u') who |= 1;
                    else if (c == 'g') who |= 2;
                    else if (c == 'o') who |= 4;
                    else if (c == 'a') who |= 7;
                    else break;
                }
                if (who == 0)
                    who = 7;
                if (i >= expression.Length || !IsOperator(expression[i]))
                    return false;
                while (i < expression.Length && IsOperator(expression[i]))
                {
                    char op = expression[i++];
                    int perms = 0;     // rwx pattern (3 bits) to spread over the chosen classes
                    int special = 0;   // s and t: set-id and sticky bits
                    bool copied = false;
                    for (; i < expression.Length && expression[i] != ',' && !IsOperator(expression[i]); i++)
                    {
                        char c = expression[i];
                        if (copied)
                            return false;   // a class copy ("g=u") stands alone
                        if (c == 'r') perms |= Read;
                        else if (c == 'w') perms |= Write;
                        else if (c == 'x') perms |= Execute;
                        else if (c == 'X') { if (isDirectory || (mode & 0x49) != 0) perms |= Execute; }
                        else if (c == 's') special |= ((who & 1) != 0 ? SetUid : 0) | ((who & 2) != 0 ? SetGid : 0);
                        else if (c == 't') special |= Sticky;
                        else if ((c == 'u' || c == 'g' || c == 'o') && !copied && perms == 0 && special == 0)
                        {
                            int shift = c == 'u' ? UserShift : c == 'g' ? GroupShift : OtherShift;
                            perms = (mode >> shift) & 7;
                            copied = true;
                        }
                        else
                            return false;
                    }
                    int bits = Spread(perms, who) | special;
                    if (op == '+')
                        mode |= bits;
                    else if (op == '-')
                        mode &= ~bits;
                    else
                    {
                        // '=': clear the chosen classes' rwx (and their set-id bits; 't' only when all are chosen).
                        int clear = Spread(7, who) | ((who & 1) != 0 ? SetUid : 0) | ((who & 2) != 0 ? SetGid : 0)
                            | (who == 7 ? Sticky : 0);
                        mode = (mode & ~clear) | bits;
                    }
                }
                if (i >= expression.Length)
                    return true;
                if (expression[i] != ',' || i + 1 >= expression.Length)
                    return false;
                i++;
            }
        }

        private static bool IsOperator(char c) => c == '+' || c == '-' || c == '=';

        private static int Spread(int perms, int who)
        {
            int bits = 0;
            if ((who & 1) != 0) bits |= perms << UserShift;
            if ((who & 2) != 0) bits |= perms << GroupShift;
            if ((who & 4) != 0) bits |= perms << OtherShift;
            return bits;
        }

        private static bool TryOctal(string s, out int mode)
        {
            mode = 0;
            if (s.Length > 4)
                return false;
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (c < '0' || c > '7')
                    return false;
                mode = (mode << 3) | (c - '0');
            }
            return true;
        }
    }
}
