// MethodTable.cs -- a view of NativeAOT's MethodTable (type descriptor) as ILC 10 lays it out.
using System;
using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    // Contract: u16 component size, u16 flags (upper half of the flags dword), u32 base size, related type,
    // u16 vtable slot count, u16 interface count, u32 hash; then the vtable, then the interface map, then 4-byte
    // relative pointers (TypeManager, WritableData, [DispatchMap], [Finalizer], [SealedVirtualSlots]).
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct MethodTable
    {
        public ushort ComponentSize;
        public ushort Flags;
        public uint BaseSize;
        public MethodTable* RelatedType;   // base type for classes, element type for arrays
        public ushort NumVtableSlots;
        public ushort NumInterfaces;
        public uint HashCode;

        private const uint HasDispatchMapFlag = 0x00040000;
        private const uint HasFinalizerFlag = 0x00100000;
        private const uint HasSealedVTableEntriesFlag = 0x00400000;
        private const uint KindMask = 0x00030000;
        private const uint ParameterizedKind = 0x00020000;
        private const uint HasPointersFlag = 0x01000000;
        private const uint IsGenericFlag = 0x02000000;
        private const uint HasComponentSizeFlag = 0x80000000;

        private uint FullFlags => (uint)Flags << 16;

        public bool HasDispatchMap => (FullFlags & HasDispatchMapFlag) != 0;

        /// <summary>Instances hold references: a GCDesc sits just below the MethodTable (see GCDesc.cs).</summary>
        public bool ContainsGCPointers => (Flags & (HasPointersFlag >> 16)) != 0;   // one `test` on the u16 (the marker's hot path)

        /// <summary>Arrays and strings: the size is BaseSize + length (the int after the MethodTable pointer) * ComponentSize.</summary>
        public bool HasComponentSize => (Flags & (HasComponentSizeFlag >> 16)) != 0;
        public bool IsCanonical => (FullFlags & KindMask) == 0;
        public bool IsArray => (FullFlags & HasComponentSizeFlag) != 0 && (FullFlags & KindMask) == ParameterizedKind;
        public MethodTable* BaseType => IsCanonical ? RelatedType : null;

        public IntPtr* VTable
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (IntPtr*)((byte*)self + sizeof(MethodTable));
            }
        }

        public MethodTable** InterfaceMap
        {
            get
            {
                fixed (MethodTable* self = &this)
                    return (MethodTable**)((byte*)self + sizeof(MethodTable) + NumVtableSlots * sizeof(IntPtr));
            }
        }

        private byte* OptionalFieldsStart => (byte*)InterfaceMap + NumInterfaces * sizeof(IntPtr);

        private static byte* ReadRelativePointer(byte* p) => p + *(int*)p;

        public byte* DispatchMap => HasDispatchMap ? ReadRelativePointer(OptionalFieldsStart + 8) : null;

        public IntPtr GetSealedVirtualSlot(int index)
        {
            if ((FullFlags & HasSealedVTableEntriesFlag) == 0)
                RuntimeEnv.FailFast("MethodTable: no sealed vtable");
            byte* p = OptionalFieldsStart + 8;
            if (HasDispatchMap)
                p += 4;
            if ((FullFlags & HasFinalizerFlag) != 0)
                p += 4;
            int* table = (int*)ReadRelativePointer(p);
            return (IntPtr)ReadRelativePointer((byte*)&table[index]);
        }

        /// <summary>
        /// For an instantiated generic type (List&lt;int&gt;), its generic type definition's MethodTable (List&lt;T&gt;,
        /// the identity ILC's lookup tables use); any other type is its own definition. The relative pointer follows
        /// the optional dispatch map, finalizer and sealed vtable pointers.
        /// </summary>
        public MethodTable* TypeDefinition
        {
            get
            {
                fixed (MethodTable* self = &this)
                {
                    if ((FullFlags & IsGenericFlag) == 0)
                        return self;
                    return (MethodTable*)ReadRelativePointer(GenericDefinitionField);
                }
            }
        }

        private byte* GenericDefinitionField
        {
            get
            {
                byte* p = OptionalFieldsStart + 8;
                if (HasDispatchMap)
                    p += 4;
                if ((FullFlags & HasFinalizerFlag) != 0)
                    p += 4;
                if ((FullFlags & HasSealedVTableEntriesFlag) != 0)
                    p += 4;
                return p;
            }
        }

        // Element type (bits 26..30 of the flags): 0x14 Class and above are reference types (class, interface,
        // arrays); below are primitives, structs and Nullable.
        private const int ElementTypeShift = 26;
        private const uint ElementTypeMask = 0x7C000000;
        private const uint FirstReferenceElementType = 0x14;

        public bool IsReferenceType => ((FullFlags & ElementTypeMask) >> ElementTypeShift) >= FirstReferenceElementType;

        /// <summary>
        /// The i-th type argument of an instantiated generic type. The relative pointer after the definition's
        /// points at the argument itself when there is one, else at an array of relative pointers; the arity is
        /// the definition's BaseSize field.
        /// </summary>
        public MethodTable* GenericArgument(int index)
        {
            fixed (MethodTable* self = &this)
            {
                MethodTable* definition = TypeDefinition;
                if (definition == self)
                    return null;
                byte* composition = (byte*)GenericDefinitionField + 4;
                byte* target = ReadRelativePointer(composition);
                if (definition->BaseSize == 1)
                    return index == 0 ? (MethodTable*)target : null;
                return (MethodTable*)ReadRelativePointer(target + 4 * index);
            }
        }

        public int GenericArity
        {
            get
            {
                fixed (MethodTable* self = &this)
                {
                    MethodTable* definition = TypeDefinition;
                    return definition == self ? 0 : (int)definition->BaseSize;
                }
            }
        }

        public IntPtr GetSlot(int slot) => slot < NumVtableSlots ? VTable[slot] : GetSealedVirtualSlot(slot - NumVtableSlots);

        public bool ImplementsInterface(MethodTable* itf)
        {
            MethodTable** map = InterfaceMap;
            for (int i = 0; i < NumInterfaces; i++)
                if (map[i] == itf)
                    return true;
            return false;
        }
    }
}
