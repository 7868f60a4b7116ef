// SharedGenericMethods.cs -- a generic method instantiated over reference types runs shared code (compiled once for
// __Canon) that takes a generic dictionary as a hidden argument: the exact types (typeof(T) and the like) it needs.
// ILC lists each shared body in its generic methods template map (section 322) as
//   { native layout offset of the method, native layout offset of its bag }
// method: { flags (1 generic, 2 unboxing stub, 4 has code), [code: native references index], owning type signature,
//           method (metadata handle), type argument count, type argument signatures... }
// bag: { kind, signed relative offset }... ending in kind 0; kind 0x40 is the dictionary layout:
//   { cell count, cells... } with a cell { fixup kind, its data }; kind 1 is a type handle, followed by a type
//   signature (NativeLayoutTypes.cs). Other cell kinds are not built (a clear failure).
// The caller of GVMLookupForSlot recognises a "fat" pointer (bit 1 set) to { code, dictionary } and passes the
// dictionary after `this` (seen in the kernel's disassembly). Both blocks live for good, as a type loader's do: a
// strong GCHandle keeps them (the collector does not move objects, so their addresses stay valid), whatever becomes
// of the cache entry that points at them.
using System;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Internal.Runtime.TypeLoader
{
    internal static unsafe class SharedGenericMethods
    {
        public const int GenericMethodsTemplateMap = 322;
        private const uint HasCode = 4;
        private const uint DictionaryLayoutBag = 0x40;
        private const uint TypeHandleCell = 1;
        public const nint FatPointerBit = 2;

        /// <summary>
        /// Builds the fat pointer for the shared body of the generic method <paramref name="methodHandle"/> (its
        /// metadata handle) on <paramref name="owner"/> (exact type) instantiated over <paramref name="arguments"/>, or returns 0 when no template matches. Throws when a
        /// template matches but its dictionary needs something this loader does not build.
        /// </summary>
        public static nint Instantiate(MethodTable* owner, uint methodHandle, int count, MethodTable** arguments)
        {
            byte* map = ModuleBlobs.Find(GenericMethodsTemplateMap, out byte* mapEnd);
            byte* layout = ModuleBlobs.Find(ModuleBlobs.NativeLayoutInfo, out _);
            byte* references = ModuleBlobs.Find(ModuleBlobs.NativeReferences, out _);
            if (map == null || map == mapEnd || layout == null || references == null)
                return 0;
            var entries = new NativeFormat.HashtableEntries(map);
            nint code = 0;
            byte* bag = null;
            int matches = 0;
            while (entries.Next(out byte* entry))
            {
                byte* method = layout + NativeFormat.DecodeUnsigned(ref entry);
                byte* bagAt = layout + NativeFormat.DecodeUnsigned(ref entry);
                if (Matches(method, owner, methodHandle, count, arguments, references, out nint body) && body != code)
                {
                    code = body;
                    bag = bagAt;
                    matches++;
                }
            }
            if (matches == 0)
                return 0;
            if (matches > 1)
                throw new GenericVirtualMethodResolutionException("Generic virtual method call: ambiguous (several shared bodies of one method) on " + Name(owner));

            var context = new GenericContext { Owner = owner, MethodArguments = arguments, MethodArgumentCount = count };
            nint[] dictionary = BuildDictionary(bag, references, &context, owner);
            var fat = new nint[2];
            fat[0] = code;
            fixed (nint* cells = dictionary)
                fat[1] = (nint)cells;
            GCHandle.Alloc(new object[] { fat, dictionary });
            fixed (nint* pair = fat)
                return (nint)pair | FatPointerBit;
        }

        // A template matches when it is for the owner's type (the same type, or the same definition with
        // reference-type arguments where the template has __Canon) and its type arguments are the call's, with
        // reference types where the template has __Canon.
        private static bool Matches(byte* method, MethodTable* owner, uint methodHandle, int count, MethodTable** arguments, byte* references, out nint code)
        {
            code = 0;
            uint flags = NativeFormat.DecodeUnsigned(ref method);
            if ((flags & HasCode) == 0)
                return false;
            code = ModuleBlobs.ExternalCode(references, NativeFormat.DecodeUnsigned(ref method));
            MethodTable* templateOwner = NativeLayoutTypes.Read(ref method, references, null);
            if (templateOwner == null || !SameCanonicalType(templateOwner, owner))
                return false;
            if (NativeFormat.DecodeUnsigned(ref method) != methodHandle)
                return false;
            if (NativeFormat.DecodeUnsigned(ref method) != (uint)count)
                return false;
            for (int i = 0; i < count; i++)
            {
                MethodTable* argument = NativeLayoutTypes.Read(ref method, references, null);
                if (argument == null || !SameCanonicalArgument(argument, arguments[i]))
                    return false;
            }
            return true;
        }

        private static bool SameCanonicalType(MethodTable* template, MethodTable* exact)
        {
            if (template == exact)
                return true;
            if (template->TypeDefinition != exact->TypeDefinition || template->TypeDefinition == template)
                return false;
            for (int i = 0; i < exact->GenericArity; i++)
                if (!SameCanonicalArgument(template->GenericArgument(i), exact->GenericArgument(i)))
                    return false;
            return true;
        }

        // Templates exist only for canonical forms, where every reference type became __Canon.
        private static bool SameCanonicalArgument(MethodTable* template, MethodTable* exact)
            => template == exact || (template->IsReferenceType && exact->IsReferenceType);

        private static nint[] BuildDictionary(byte* bag, byte* references, GenericContext* context, MethodTable* owner)
        {
            while (true)
            {
                uint kind = NativeFormat.DecodeUnsigned(ref bag);
                if (kind == 0)
                    return new nint[0];
                byte* at = bag;
                int offset = NativeFormat.DecodeSigned(ref bag);
                if (kind != DictionaryLayoutBag)
                    continue;
                byte* cell = at + offset;
                uint cells = NativeFormat.DecodeUnsigned(ref cell);
                var dictionary = new nint[cells];
                for (uint i = 0; i < cells; i++)
                {
                    uint fixup = NativeFormat.DecodeUnsigned(ref cell);
                    MethodTable* type = fixup == TypeHandleCell ? NativeLayoutTypes.Read(ref cell, references, context) : null;
                    if (type == null)
                        throw new GenericVirtualMethodResolutionException(string.Concat(
                            "Generic virtual method call: the shared code's generic dictionary needs a cell this loader does not build (fixup kind ",
                            ((int)fixup).ToString(), ") on ", Name(owner)));
                    dictionary[i] = (nint)type;
                }
                return dictionary;
            }
        }

        private static string Name(MethodTable* type) => Type.GetTypeFromHandle(new RuntimeTypeHandle((nint)type)).FullName;
    }
}
