// SymbolTable.cs -- resolves code addresses to function names, and MethodTable addresses to type names, using the
// table embedded in the image.
//
// The build links the kernel until the symbols (`nm -n`) of the previous link are the ones it embeds as `.ksyms`
// (build/link-kernel.sh): code symbols and the MethodTable symbols ILC names `_ZTV<length><mangled type name>`.
// Format: one line per symbol, `<16 hex digits address> <name>\n`, sorted by address. Parsed in place at lookup
// time (no allocation: this runs on the panic path).
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
            while (NextRecord(ref p, end, out ulong value, out byte* name, out byte* q))
            {
                if (value > address)
                    break;
                best.Address = value;
                best.Name = name;
                best.NameLength = (int)(q - name);
            }
            return best;
        }

        /// <summary>The type whose MethodTable is at <paramref name="methodTable"/>: its mangled name without the
        /// `_ZTV<length>` prefix (e.g. `S_P_CoreLib_System_NullReferenceException`), or not found.</summary>
        public static Symbol LookupType(ulong methodTable)
        {
            Symbol found = default;
            ref ImageLayout image = ref ImageLayout.Current;
            byte* p = (byte*)image.SymbolsStart;
            byte* end = (byte*)image.SymbolsEnd;
            while (NextRecord(ref p, end, out ulong value, out byte* name, out byte* q))
            {
                if (value > methodTable)
                    break;
                if (value == methodTable && q - name > 4 && name[0] == '_' && name[1] == 'Z' && name[2] == 'T' && name[3] == 'V')
                {
                    byte* n = name + 4;
                    while (n < q && *n >= '0' && *n <= '9')
                        n++;
                    found.Address = value;
                    found.Name = n;
                    found.NameLength = (int)(q - n);
                    return found;
                }
            }
            return found;
        }

        // One `.ksyms` record, `<16 hex digits> <name>\n`: its value, its name [name, nameEnd), and p moved past it.
        private static bool NextRecord(ref byte* p, byte* end, out ulong value, out byte* name, out byte* nameEnd)
        {
            value = 0;
            name = nameEnd = null;
            if (p + 18 > end)
                return false;
            for (int i = 0; i < 16; i++)
                value = (value << 4) | HexDigit(p[i]);
            name = p + 17;
            nameEnd = name;
            while (nameEnd < end && *nameEnd != '\n')
                nameEnd++;
            p = nameEnd + 1;
            return true;
        }

        /// <summary>`Name+0xOFFSET` for a code address (a return address is named by its call instruction, see
        /// Backtrace), or null outside the image's code. Allocates: not for the panic path.</summary>
        public static string Describe(ulong address, bool isReturnAddress)
        {
            Symbol symbol = Lookup(isReturnAddress ? address - 1 : address);
            if (!symbol.Found)
                return null;
            return string.Concat(Text(symbol.Name, symbol.NameLength), "+0x", (address - symbol.Address).ToString("x"));
        }

        /// <summary>A type's name from its MethodTable address, as DisplayTypeName shows it; null if unknown.</summary>
        /// <summary>The MethodTable's symbol as ILC mangled it (`S_P_CoreLib_System_Collections_Generic_List_1<Int32>`), for Type.Name.</summary>
        public static string MangledTypeName(ulong methodTable)
        {
            Symbol symbol = LookupType(methodTable);
            return symbol.Found ? Text(symbol.Name, symbol.NameLength) : null;
        }

        public static string DescribeType(ulong methodTable)
        {
            Symbol symbol = LookupType(methodTable);
            if (!symbol.Found)
                return null;
            int skip = AssemblyPrefixLength(symbol.Name, symbol.NameLength);
            char* chars = stackalloc char[symbol.NameLength];
            int n = 0;
            for (int i = skip; i < symbol.NameLength; i++)
                chars[n++] = symbol.Name[i] == '_' ? '.' : (char)symbol.Name[i];
            return new string(chars, 0, n);
        }

        /// <summary>
        /// ILC's mangled type names are `Assembly_Namespace_Type` with every '.' made '_'. The display form drops the
        /// assembly (one of the kernel's four) and turns the separators back into dots: `System.NullReferenceException`.
        /// (A '_' inside a type's own name becomes a dot too; kernel types do not use them.)
        /// </summary>
        public static int AssemblyPrefixLength(byte* name, int length)
        {
            if (StartsWith(name, length, "Kernel_Core_Kernel_"))
                return 12;
            if (StartsWith(name, length, "S_P_CoreLib_"))   // ILC's short form of System.Private.CoreLib, the core library
                return 12;
            if (StartsWith(name, length, "Drivers_"))
                return 8;
            if (StartsWith(name, length, "Kernel_"))
                return 7;
            return 0;
        }

        private static bool StartsWith(byte* name, int length, string prefix)
        {
            if (length < prefix.Length)
                return false;
            for (int i = 0; i < prefix.Length; i++)
                if (name[i] != prefix[i])
                    return false;
            return true;
        }

        private static string Text(byte* ascii, int length)
        {
            char* chars = stackalloc char[length];
            for (int i = 0; i < length; i++)
                chars[i] = (char)ascii[i];
            return new string(chars, 0, length);
        }

        private static ulong HexDigit(byte c)
            => c >= '0' && c <= '9' ? (ulong)(c - '0') : c >= 'a' && c <= 'f' ? (ulong)(c - 'a' + 10) : c >= 'A' && c <= 'F' ? (ulong)(c - 'A' + 10) : 0;
    }
}
