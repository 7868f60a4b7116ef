// InteropAttributes.cs -- layout and native-entry attributes.
namespace System.Runtime.InteropServices
{
    [AttributeUsage(AttributeTargets.Method, Inherited = false)]
    public sealed class UnmanagedCallersOnlyAttribute : Attribute
    {
        public Type[] CallConvs;
        public string EntryPoint;
        public UnmanagedCallersOnlyAttribute() { }
    }

    public sealed class SuppressGCTransitionAttribute : Attribute { }

    public enum LayoutKind { Sequential = 0, Explicit = 2, Auto = 3 }

    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
    public sealed class StructLayoutAttribute : Attribute
    {
        public StructLayoutAttribute(LayoutKind layoutKind) { }
        public int Pack;
        public int Size;
    }

    [AttributeUsage(AttributeTargets.Field, Inherited = false)]
    public sealed class FieldOffsetAttribute : Attribute { public FieldOffsetAttribute(int offset) { } }

    public sealed class InAttribute : Attribute { }
    public sealed class OutAttribute : Attribute { }

    public unsafe interface IDynamicInterfaceCastable
    {
        // ILC resolves this by name while scanning; the kernel has no dynamically castable objects.
        internal static IntPtr GetDynamicInterfaceImplementation(IDynamicInterfaceCastable instance, Internal.Runtime.MethodTable* interfaceType, ushort slot)
        {
            Internal.Runtime.RuntimeEnv.FailFast("IDynamicInterfaceCastable is not supported");
            return 0;
        }
    }
}

namespace System.Runtime
{
    /// <summary>Emits the method under the given native symbol name.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RuntimeExportAttribute : Attribute
    {
        public RuntimeExportAttribute(string entry) { }
    }

    /// <summary>Calls the given native symbol directly, with no p/invoke transition.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class RuntimeImportAttribute : Attribute
    {
        public RuntimeImportAttribute(string entry) { }
        public RuntimeImportAttribute(string lib, string entry) { }
    }
}
