// MetadataContract.cs -- what ILC 10 expects of a core library named System.Private.CoreLib, beyond what it expects
// of any system module. The core library carries that name so that ILC writes reflection metadata handles into its
// generic virtual method tables (docs/Runtime.md, "Generic virtual methods"); with the name comes ILC's reflection
// support, which looks for these (facts from dotnet/runtime's ILCompiler.Compiler sources, checked by building):
//
// - CustomAttributeBasedDependencyAlgorithm: the `get_CustomAttributes` accessor of each record of its metadata
//   reader (Internal.Metadata.NativeFormat.TypeDefinition, Method, Field, Parameter, GenericParameter, Property,
//   Event, ScopeDefinition, the last also `get_ModuleCustomAttributes`). They are only the condition "the program
//   reads custom attributes": the kernel never calls them, so the attributes' data is never kept.
// - DynamicInvokeMethodThunk: System.ByReference and its field `Value`, which the reflection-invoke thunks ILC
//   generates read arguments through. The kernel never invokes by reflection; the thunks are dead code ILC keeps.
namespace Internal.Metadata.NativeFormat
{
    internal struct TypeDefinition
    {
        public int CustomAttributes => 0;
    }

    internal struct Method
    {
        public int CustomAttributes => 0;
    }

    internal struct Field
    {
        public int CustomAttributes => 0;
    }

    internal struct Parameter
    {
        public int CustomAttributes => 0;
    }

    internal struct GenericParameter
    {
        public int CustomAttributes => 0;
    }

    internal struct Property
    {
        public int CustomAttributes => 0;
    }

    internal struct Event
    {
        public int CustomAttributes => 0;
    }

    internal struct ScopeDefinition
    {
        public int CustomAttributes => 0;
        public int ModuleCustomAttributes => 0;
    }
}

namespace System
{
    /// <summary>A managed pointer in a struct: how ILC's reflection-invoke thunks read their arguments.</summary>
    internal readonly ref struct ByReference
    {
        public readonly ref byte Value;

        public ByReference(ref byte value) => Value = ref value;
    }
}
