// GenericVirtualMethodTables.cs -- ILC 10's three generic virtual method tables, as NativeFormat hashtables of
// tuples of unsigned integers (facts from dotnet/runtime's GenericVirtualMethodTableNode,
// InterfaceGenericVirtualMethodTableNode and ExactMethodInstantiationsNode, checked against the kernel's image):
//
//   class GVMs (section 318), one entry per (virtual method, type that implements it):
//     { declaring type, implementing type, declaring method, implementing method }
//     types: indices into the common fixups table (generic type definitions); methods: reflection metadata
//     handles (ILC writes them only because the core library is named System.Private.CoreLib; otherwise all 0).
//   interface GVMs (section 319), one entry per interface method:
//     { interface, method, target count, { target method, target type, implementer count,
//       { implementing type, signature count, { native layout offset of the interface as implemented } } } }
//     the target type is the class whose method implements it, or the interface itself for a default method.
//   exact instantiations (section 336), one entry per compiled unshared instantiation:
//     { declaring type, method, type argument count, type arguments..., entry point }
//     types and code: indices into the native references table (instantiated types, boxed for structs).
//
// A method is identified by its metadata handle: the call site's RuntimeMethodHandle carries the declaring method's,
// the class and interface tables map it to the implementing method's, and the instantiation tables key bodies by it.
// The handles are compared, never looked up: the metadata blob itself is not read.
namespace Internal.Runtime.TypeLoader
{
    internal static unsafe class GenericVirtualMethodTables
    {
        private static byte* Section(int id)
        {
            byte* start = ModuleBlobs.Find(id, out byte* end);
            return start == end ? null : start;
        }

        /// <summary>
        /// The class GVM entry for the generic virtual method <paramref name="method"/> (a metadata handle) of
        /// <paramref name="declaring"/> implemented by <paramref name="implementing"/> itself (both generic
        /// definitions): true with the implementing method's handle, false when that type does not override it.
        /// </summary>
        public static bool ClassImplementation(MethodTable* declaring, MethodTable* implementing, uint method, out uint implementation)
        {
            implementation = 0;
            byte* table = Section(ModuleBlobs.GenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            if (table == null || fixups == null)
                return false;
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
            {
                MethodTable* d = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                MethodTable* i = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                if (d != declaring || i != implementing || NativeFormat.DecodeUnsigned(ref p) != method)
                    continue;
                implementation = NativeFormat.DecodeUnsigned(ref p);
                return true;
            }
            return false;
        }

        /// <summary>Whether the type definition declares generic methods of an interface (the interface table has it).</summary>
        public static bool IsInterfaceWithGenericMethods(MethodTable* interfaceDefinition)
        {
            byte* table = Section(ModuleBlobs.InterfaceGenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            if (table == null || fixups == null)
                return false;
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
                if (ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p)) == interfaceDefinition)
                    return true;
            return false;
        }

        /// <summary>
        /// The target of the interface generic method <paramref name="method"/> (a metadata handle) of
        /// <paramref name="interfaceType"/> that the type <paramref name="implementing"/> (exact: its type
        /// parameters give meaning to the signatures) provides for exactly that interface, default implementations
        /// or not as asked: true with the target type (a class definition, or an interface for a default method) and
        /// the target method's handle.
        /// </summary>
        public static bool InterfaceTarget(MethodTable* interfaceType, uint method, MethodTable* implementing, bool defaults, out MethodTable* target, out uint targetMethod)
        {
            target = null;
            targetMethod = 0;
            byte* table = Section(ModuleBlobs.InterfaceGenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            byte* layout = Section(ModuleBlobs.NativeLayoutInfo);
            byte* references = Section(ModuleBlobs.NativeReferences);
            if (table == null || fixups == null || layout == null || references == null)
                return false;
            MethodTable* interfaceDefinition = interfaceType->TypeDefinition;
            MethodTable* implementingDefinition = implementing->TypeDefinition;
            var context = new GenericContext { Owner = implementing };
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
            {
                if (ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p)) != interfaceDefinition)
                    continue;
                if (NativeFormat.DecodeUnsigned(ref p) != method)
                    continue;
                uint targets = NativeFormat.DecodeUnsigned(ref p);
                for (uint t = 0; t < targets; t++)
                {
                    uint candidateMethod = NativeFormat.DecodeUnsigned(ref p);
                    MethodTable* targetType = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                    // A default method's target is an interface: this one, or another the implementer has.
                    bool isDefault = targetType == interfaceDefinition || implementing->ImplementsInterface(targetType);
                    uint implementers = NativeFormat.DecodeUnsigned(ref p);
                    for (uint k = 0; k < implementers; k++)
                    {
                        MethodTable* implementer = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                        uint signatures = NativeFormat.DecodeUnsigned(ref p);
                        for (uint s = 0; s < signatures; s++)
                        {
                            byte* signature = layout + NativeFormat.DecodeUnsigned(ref p);
                            if (implementer != implementingDefinition || isDefault != defaults)
                                continue;
                            // Exact matches first; a variant match (IVisitor<object> for an IVisitor<string>) is
                            // the caller's second try.
                            if (NativeLayoutTypes.Matches(signature, interfaceType, references, &context))
                            {
                                target = targetType;
                                targetMethod = candidateMethod;
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }

        /// <summary>
        /// The compiled code of the unshared instantiation of a generic method declared on <paramref name="type"/>
        /// (exactly that type: for a struct its boxed MethodTable, whose entry is the unboxing stub) and identified by
        /// its metadata handle <paramref name="method"/>. Returns how many distinct bodies match (more than one would
        /// be a table this reader misunderstands).
        /// </summary>
        public static int ExactInstantiation(MethodTable* type, uint method, int argumentCount, MethodTable** arguments, out nint code)
        {
            code = 0;
            byte* table = Section(ModuleBlobs.ExactMethodInstantiations);
            byte* references = Section(ModuleBlobs.NativeReferences);
            if (table == null || references == null)
                return 0;
            int found = 0;
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
            {
                if (ModuleBlobs.ExternalType(references, NativeFormat.DecodeUnsigned(ref p)) != type)
                    continue;
                if (NativeFormat.DecodeUnsigned(ref p) != method)
                    continue;
                if (NativeFormat.DecodeUnsigned(ref p) != (uint)argumentCount)
                    continue;
                bool same = true;
                for (int i = 0; i < argumentCount; i++)
                    if (ModuleBlobs.ExternalType(references, NativeFormat.DecodeUnsigned(ref p)) != arguments[i])
                        same = false;
                nint entry = ModuleBlobs.ExternalCode(references, NativeFormat.DecodeUnsigned(ref p));
                if (same && entry != code)
                {
                    code = entry;
                    found++;
                }
            }
            return found;
        }
    }
}
