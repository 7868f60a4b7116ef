// GenericVirtualMethodResolver.cs -- finds the code a generic virtual method call runs for a receiver's type, from
// ILC's tables (GenericVirtualMethodTables.cs). The call site passes a RuntimeMethodHandle:
//   { MethodTable* declaring type; int32 metadata handle of the method; int32 type argument count;
//     MethodTable* type arguments... }
using System;
using System.Runtime;

namespace Internal.Runtime.TypeLoader
{
    internal static unsafe class GenericVirtualMethodResolver
    {
        private struct MethodHandleData
        {
            public MethodTable* DeclaringType;
            public int MetadataHandle;
            public int ArgumentCount;
        }

        /// <summary>The code to call: an entry point, or a fat pointer to shared code and its dictionary.</summary>
        public static nint Resolve(MethodTable* receiver, nint methodHandle)
        {
            MethodHandleData* method = (MethodHandleData*)methodHandle;
            MethodTable** arguments = (MethodTable**)(method + 1);
            MethodTable* declaring = method->DeclaringType;
            uint handle = (uint)method->MetadataHandle;
            if (handle == 0)
                throw Failure("the call site's method handle has no metadata handle (was the core library built as System.Private.CoreLib?) for", declaring, receiver, method->ArgumentCount, arguments);
            if (GenericVirtualMethodTables.IsInterfaceWithGenericMethods(declaring->TypeDefinition))
                return ResolveInterfaceMethod(receiver, declaring, handle, method->ArgumentCount, arguments);
            return ResolveClassMethod(receiver, declaring, handle, method->ArgumentCount, arguments);
        }

        // Class GVM: the most derived type in the receiver's base chain with an entry for this method (a type has
        // one only where it overrides it, or declares it).
        private static nint ResolveClassMethod(MethodTable* receiver, MethodTable* declaring, uint method, int count, MethodTable** arguments)
        {
            MethodTable* declaringDefinition = declaring->TypeDefinition;
            for (MethodTable* type = receiver; type != null; type = type->BaseType)
                if (GenericVirtualMethodTables.ClassImplementation(declaringDefinition, type->TypeDefinition, method, out uint implementation))
                    return Code(type, implementation, declaring, receiver, count, arguments);
            throw Failure("no implementation of", declaring, receiver, count, arguments);
        }

        // Interface GVM: the implementing class's method (then resolved as a class GVM, since a derived class may
        // override it), or failing that a default implementation in an interface.
        private static nint ResolveInterfaceMethod(MethodTable* receiver, MethodTable* declaring, uint method, int count, MethodTable** arguments)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                bool defaults = pass == 1;
                for (MethodTable* type = receiver; type != null; type = type->BaseType)
                {
                    if (!GenericVirtualMethodTables.InterfaceTarget(declaring, method, type, defaults, out MethodTable* target, out uint targetMethod))
                        continue;
                    if (defaults)
                        return Code(target == declaring->TypeDefinition ? declaring : target, targetMethod, declaring, receiver, count, arguments);
                    for (MethodTable* owner = receiver; owner != null; owner = owner->BaseType)
                        if (owner->TypeDefinition == target)
                            return ResolveClassMethod(receiver, owner, targetMethod, count, arguments);
                    throw Failure("the implementing class is not a base of the receiver for", declaring, receiver, count, arguments);
                }
            }
            throw Failure("no implementation of", declaring, receiver, count, arguments);
        }

        private static nint Code(MethodTable* owner, uint method, MethodTable* declaring, MethodTable* receiver, int count, MethodTable** arguments)
        {
            int found = GenericVirtualMethodTables.ExactInstantiation(owner, method, count, arguments, out nint code);
            if (found == 1)
                return code;
            if (found > 1)
                throw Failure("ambiguous (several compiled bodies for one method and type arguments) for", declaring, receiver, count, arguments);
            // Reference-type arguments run the shared (__Canon) body with a generic dictionary built here.
            code = SharedGenericMethods.Instantiate(owner, method, count, arguments);
            if (code != 0)
                return code;
            throw Failure("no compiled code for the instantiation of", declaring, receiver, count, arguments);
        }

        private static GenericVirtualMethodResolutionException Failure(string why, MethodTable* declaring, MethodTable* receiver, int count, MethodTable** arguments)
        {
            var text = new System.Text.StringBuilder();
            text.Append("Generic virtual method call: ").Append(why).Append(' ').Append(Name(declaring)).Append(".<");
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                    text.Append(", ");
                text.Append(Name(arguments[i]));
            }
            text.Append(">(...) on ").Append(Name(receiver));
            return new GenericVirtualMethodResolutionException(text.ToString());
        }

        private static string Name(MethodTable* type) => Type.GetTypeFromHandle(new RuntimeTypeHandle((nint)type)).FullName;
    }
}
