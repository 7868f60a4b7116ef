// TypeNameResolver.cs -- names for MethodTables. The core library has no symbols of its own: the kernel installs a
// lookup of the MethodTable's mangled symbol in its embedded symbol table (the panic screen's), and Type.Name parses
// that (TypeNames); FullName is the panic screen's display form.
namespace Internal.Runtime
{
    public static unsafe class TypeNameResolver
    {
        private static delegate*<ulong, string> s_mangledName;

        public static void SetResolver(delegate*<ulong, string> mangledName) => s_mangledName = mangledName;

        public static string MangledName(ulong methodTable) => s_mangledName != null ? s_mangledName(methodTable) : null;

        public static string DisplayName(ulong methodTable)
            => ExceptionHandling.ExceptionText.TypeNameOf(methodTable);
    }
}
