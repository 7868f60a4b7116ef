// GenericVirtualMethodResolver.cs -- finds the code a generic virtual method call runs for a receiver's type, from
// ILC's tables (GenericVirtualMethodTables.cs). The call site passes a RuntimeMethodHandle:
//   { MethodTable* declaring type; int32 metadata handle (0: ILC writes none for us); int32 type argument count;
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
            if (GenericVirtualMethodTables.InterfaceMethods(declaring->TypeDefinition) > 0)
                return ResolveInterfaceMethod(receiver, declaring, method->ArgumentCount, arguments);
            return ResolveClassMethod(receiver, declaring, method->ArgumentCount, arguments);
        }

        // Class GVM: the most derived type in the receiver's base chain that implements the declaring type's slot.
        private static nint ResolveClassMethod(MethodTable* receiver, MethodTable* declaring, int count, MethodTable** arguments)
        {
            MethodTable* declaringDefinition = declaring->TypeDefinition;
            int slots = GenericVirtualMethodTables.DeclaredSlots(declaringDefinition);
            if (slots == 0)
                throw Failure("no generic virtual method table entry for", declaring, receiver, count, arguments);
            for (MethodTable* type = receiver; type != null; type = type->BaseType)
            {
                int implemented = GenericVirtualMethodTables.ClassEntries(declaringDefinition, type->TypeDefinition);
                if (implemented == 0)
                    continue;
                // A type that overrides some but not all of the declaring type's generic virtual methods may not
                // override this one; without method identities in the tables that cannot be told apart.
                if (implemented < slots)
                    throw Failure("ambiguous (it overrides only some of the generic virtual methods of", declaring, type, count, arguments);
                return Code(type, declaring, receiver, count, arguments);
            }
            throw Failure("no implementation of", declaring, receiver, count, arguments);
        }

        // Interface GVM: the implementing class's method (then resolved as a class GVM, since a derived class may
        // override it), or failing that a default implementation in an interface.
        private static nint ResolveInterfaceMethod(MethodTable* receiver, MethodTable* declaring, int count, MethodTable** arguments)
        {
            int methods = GenericVirtualMethodTables.InterfaceMethods(declaring->TypeDefinition);
            for (int pass = 0; pass < 2; pass++)
            {
                bool defaults = pass == 1;
                for (MethodTable* type = receiver; type != null; type = type->BaseType)
                {
                    int matched = GenericVirtualMethodTables.InterfaceTargets(declaring, type, defaults, out MethodTable* target);
                    if (matched == 0)
                        continue;
                    if (matched < methods)
                        throw Failure("ambiguous (it implements only some of the generic methods of", declaring, type, count, arguments);
                    if (defaults)
                        return Code(target == declaring->TypeDefinition ? declaring : target, declaring, receiver, count, arguments);
                    for (MethodTable* owner = receiver; owner != null; owner = owner->BaseType)
                        if (owner->TypeDefinition == target)
                            return ResolveClassMethod(receiver, owner, count, arguments);
                    throw Failure("the implementing class is not a base of the receiver for", declaring, receiver, count, arguments);
                }
            }
            throw Failure("no implementation of", declaring, receiver, count, arguments);
        }

        private static nint Code(MethodTable* owner, MethodTable* declaring, MethodTable* receiver, int count, MethodTable** arguments)
        {
            int found = GenericVirtualMethodTables.ExactInstantiation(owner, count, arguments, out nint code);
            if (found == 1)
                return code;
            if (found > 1)
                throw Failure("ambiguous (several generic methods of this arity and type arguments on the implementing type) for", declaring, receiver, count, arguments);
            // Reference-type arguments run the shared (__Canon) body with a generic dictionary built here.
            code = SharedGenericMethods.Instantiate(owner, count, arguments);
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
