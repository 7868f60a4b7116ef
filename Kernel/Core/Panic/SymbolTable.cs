// SymbolTable.cs -- resolves code addresses to function names using the table embedded in the image.
//
// The build links the kernel twice: the first link's text symbols (`nm -n`) become the `.ksyms` section of the
// second, which sits after all code, so code addresses do not move. Format: one line per symbol,
// `<16 hex digits address> <name>\n`, sorted by address. Parsed in place at lookup time (no allocation: this
// runs on the panic path).
using Kernel.Boot;

namespace Kernel.Panic
{
    public static unsafe class SymbolTable
    {
        public struct Symbol
        {
            public ulong Address;
            public byte* Name;
            public int NameLength;
            public bool Found => Name != null;
        }

        public static bool IsPresent => ImageLayout.Current.SymbolsEnd > ImageLayout.Current.SymbolsStart;

        public static int Count
        {
            get
            {
                int n = 0;
                for (byte* p = (byte*)ImageLayout.Current.SymbolsStart; p < (byte*)ImageLayout.Current.SymbolsEnd; p++)
                    if (*p == '\n')
                        n++;
                return n;
            }
        }

        /// <summary>The symbol with the greatest address not above <paramref name="address"/>, if it is in the image's code.</summary>
        public static Symbol Lookup(ulong address)
        {
            Symbol best = default;
            ref ImageLayout image = ref ImageLayout.Current;
            if (address < image.TextStart || address >= image.TextEnd)
                return best;
            byte* p = (byte*)image.SymbolsStart;
            byte* end = (byte*)image.SymbolsEnd;
            while (p + 18 <= end)
            {
                ulong value = 0;
                for (int i = 0; i < 16; i++)
                    value = (value << 4) | HexDigit(p[i]);
                byte* name = p + 17;
                byte* q = name;
                while (q < end && *q != '\n')
                    q++;
                if (value > address)
                    break;
                best.Address = value;
                best.Name = name;
                best.NameLength = (int)(q - name);
                p = q + 1;
            }
            return best;
        }

        private static ulong HexDigit(byte c)
            => c >= '0' && c <= '9' ? (ulong)(c - '0') : c >= 'a' && c <= 'f' ? (ulong)(c - 'a' + 10) : c >= 'A' && c <= 'F' ? (ulong)(c - 'A' + 10) : 0;
    }
}
