// GenericVirtualMethodTables.cs -- ILC 10's three generic virtual method tables, as NativeFormat hashtables of
// tuples of unsigned integers (facts from dotnet/runtime's GenericVirtualMethodTableNode,
// InterfaceGenericVirtualMethodTableNode and ExactMethodInstantiationsNode, checked against the kernel's image):
//
//   class GVMs (section 318), one entry per (virtual method, type that implements it):
//     { declaring type, implementing type, declaring method, implementing method }
//     types: indices into the common fixups table (generic type definitions); methods: reflection metadata
//     handles, which ILC writes as 0 when the system module is not System.Private.CoreLib (it emits no metadata).
//   interface GVMs (section 319), one entry per interface method:
//     { interface, method, target count, { target method, target type, implementer count,
//       { implementing type, signature count, { native layout offset of the interface as implemented } } } }
//     the target type is the class whose method implements it, or the interface itself for a default method.
//   exact instantiations (section 336), one entry per compiled unshared instantiation:
//     { declaring type, method, type argument count, type arguments..., entry point }
//     types and code: indices into the native references table (instantiated types, boxed for structs).
//
// Without metadata handles a method is identified by its declaring type, its arity and its type arguments; where
// that is not enough the resolver says so (GenericVirtualMethodResolutionException) instead of guessing.
namespace Internal.Runtime.TypeLoader
{
    internal static unsafe class GenericVirtualMethodTables
    {
        private static byte* Section(int id)
        {
            byte* start = ModuleBlobs.Find(id, out byte* end);
            return start == end ? null : start;
        }

        /// <summary>How many class GVM entries pair the declaring type with the implementing type.</summary>
        public static int ClassEntries(MethodTable* declaring, MethodTable* implementing)
        {
            byte* table = Section(ModuleBlobs.GenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            if (table == null || fixups == null)
                return 0;
            int count = 0;
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
            {
                MethodTable* d = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                MethodTable* i = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                if (d == declaring && (implementing == null || i == implementing))
                    count++;
            }
            return count;
        }

        /// <summary>
        /// The most GVM slots of the declaring type any one type implements: a lower bound on how many generic
        /// virtual methods it declares. A type that implements fewer may be overriding a different one.
        /// </summary>
        public static int DeclaredSlots(MethodTable* declaring)
        {
            byte* table = Section(ModuleBlobs.GenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            if (table == null || fixups == null)
                return 0;
            int best = 0;
            var outer = new NativeFormat.HashtableEntries(table);
            while (outer.Next(out byte* p))
            {
                MethodTable* d = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                if (d != declaring)
                    continue;
                MethodTable* i = ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p));
                int n = ClassEntries(declaring, i);
                if (n > best)
                    best = n;
            }
            return best;
        }

        /// <summary>How many interface GVM entries (one per generic method) the interface definition has.</summary>
        public static int InterfaceMethods(MethodTable* interfaceDefinition)
        {
            byte* table = Section(ModuleBlobs.InterfaceGenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            if (table == null || fixups == null)
                return 0;
            int count = 0;
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
                if (ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p)) == interfaceDefinition)
                    count++;
            return count;
        }

        /// <summary>
        /// For each interface method entry of <paramref name="interfaceType"/>, looks for a target that the type
        /// <paramref name="implementing"/> (exact: its type parameters give meaning to the signatures) provides for
        /// exactly that interface, default implementations or not as asked. Returns how many of the interface's
        /// methods matched; <paramref name="target"/> is the last match's target type (a class definition, or the
        /// interface for a default method).
        /// </summary>
        public static int InterfaceTargets(MethodTable* interfaceType, MethodTable* implementing, bool defaults, out MethodTable* target)
        {
            target = null;
            byte* table = Section(ModuleBlobs.InterfaceGenericVirtualMethodTable);
            byte* fixups = Section(ModuleBlobs.CommonFixupsTable);
            byte* layout = Section(ModuleBlobs.NativeLayoutInfo);
            byte* references = Section(ModuleBlobs.NativeReferences);
            if (table == null || fixups == null || layout == null || references == null)
                return 0;
            MethodTable* interfaceDefinition = interfaceType->TypeDefinition;
            MethodTable* implementingDefinition = implementing->TypeDefinition;
            var context = new GenericContext { Owner = implementing };
            int matched = 0;
            var entries = new NativeFormat.HashtableEntries(table);
            while (entries.Next(out byte* p))
            {
                if (ModuleBlobs.ExternalType(fixups, NativeFormat.DecodeUnsigned(ref p)) != interfaceDefinition)
                    continue;
                NativeFormat.DecodeUnsigned(ref p);                     // the interface method (metadata handle)
                uint targets = NativeFormat.DecodeUnsigned(ref p);
                bool found = false;
                for (uint t = 0; t < targets; t++)
                {
                    NativeFormat.DecodeUnsigned(ref p);                 // the target method (metadata handle)
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
                            if (found || implementer != implementingDefinition || isDefault != defaults)
                                continue;
                            // Exact matches only: variant dispatch (IVisitor<object> for an IVisitor<string>) is not
                            // looked for.
                            if (NativeLayoutTypes.Matches(signature, interfaceType, references, &context))
                            {
                                found = true;
                                target = targetType;
                            }
                        }
                    }
                }
                if (found)
                    matched++;
            }
            return matched;
        }

        /// <summary>
        /// The compiled code of the unshared instantiation of a generic method declared on <paramref name="type"/>
        /// (exactly that type: for a struct its boxed MethodTable, whose entry is the unboxing stub). Returns how many
        /// such methods exist (more than one: methods of the same arity, indistinguishable without metadata).
        /// </summary>
        public static int ExactInstantiation(MethodTable* type, int argumentCount, MethodTable** arguments, out nint code)
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
                NativeFormat.DecodeUnsigned(ref p);                     // the method (metadata handle)
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
