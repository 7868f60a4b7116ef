// TypeLoaderExports.cs -- the helper ILC's code calls for a generic virtual method call it could not bind at
// compile time (a virtual or interface method with its own type parameters, receiver type unknown): it returns the
// code to call. Resolution is Internal/Runtime/TypeLoader's; the cache makes every call after the first cheap.
using Internal.Runtime;
using Internal.Runtime.TypeLoader;

namespace System.Runtime
{
    public static class TypeLoaderExports
    {
        public static unsafe IntPtr GVMLookupForSlot(object obj, RuntimeMethodHandle slot)
        {
            nint receiver = (nint)obj.GetMethodTable();
            nint method = *(nint*)&slot;
            if (GenericVirtualMethodCache.TryGet(receiver, method, out nint code))
                return code;
            code = GenericVirtualMethodResolver.Resolve((MethodTable*)receiver, method);
            GenericVirtualMethodCache.Add(receiver, method, code);
            return code;
        }
    }

    /// <summary>
    /// A generic virtual method call the core library cannot resolve: an instantiation ILC did not compile as
    /// code, a method with no implementation in its tables, or a shared method whose generic dictionary needs more than
    /// type handles (see docs/Runtime.md).
    /// </summary>
    public sealed class GenericVirtualMethodResolutionException : NotSupportedException
    {
        public GenericVirtualMethodResolutionException(string message) : base(message) { }
    }
}
