// TypeNames.cs -- Type.Name from ILC's mangled MethodTable symbol (the kernel's symbol table keeps them for the panic
// screen): `S_P_CoreLib_System_Collections_Generic_List_1<Int32>` is "List`1", `Boxed_Int32` "Int32", `__Array<UInt8>`
// "Byte[]". The mangling turns '.', '+' and '`' all into '_', so a type whose own name contains '_' loses the part
// before it (kernel and core library types have none). Shared source: also compiled into tests/Corlib.Tests.
namespace Internal.Runtime
{
    public static class TypeNames
    {
        public static string SimpleName(string mangled)
        {
            if (mangled.StartsWith("__Array<") && mangled.EndsWith(">"))
                return string.Concat(SimpleName(mangled.Substring(8, mangled.Length - 9)), "[]");
            if (mangled.StartsWith("Boxed_"))
                mangled = mangled.Substring(6);
            int arguments = mangled.IndexOf('<');
            string definition = arguments >= 0 ? mangled.Substring(0, arguments) : mangled;
            int last = definition.LastIndexOf('_');
            string tail = definition.Substring(last + 1);
            if (last > 0 && IsArity(tail))
            {
                // `List_1` is List`1: the arity is the last segment, the name the one before it.
                string withoutArity = definition.Substring(0, last);
                return string.Concat(withoutArity.Substring(withoutArity.LastIndexOf('_') + 1), "`", tail);
            }
            return PrimitiveName(tail);
        }

        private static bool IsArity(string segment)
        {
            if (segment.Length == 0 || segment.Length > 2 || segment[0] == '0')
                return false;
            for (int i = 0; i < segment.Length; i++)
                if (segment[i] < '0' || segment[i] > '9')
                    return false;
            return true;
        }

        // ILC names the 8-bit integers by their size; the BCL's names are SByte and Byte.
        private static string PrimitiveName(string name)
        {
            if (name == "Int8")
                return "SByte";
            if (name == "UInt8")
                return "Byte";
            return name;
        }
    }
}
