// NativeLayoutTypes.cs -- decodes the native layout type signatures ILC writes in its templates: an unsigned whose
// low 4 bits are the kind and the rest its data (facts from dotnet/runtime's NativeFormat TypeSignatureKind):
//   External (6): an index into the native references table (a MethodTable);
//   Variable (4): (index << 1) | 1 for a method type parameter, index << 1 for the owning type's;
//   Lookback (1): the same signature written earlier, data bytes back from where this one starts;
//   Instantiation (3): data = the argument count, then the generic definition's signature and the arguments'.
// An instantiation is only compared with a given type (Matches), never built; arrays and the rest are not decoded.
namespace Internal.Runtime.TypeLoader
{
    internal unsafe struct GenericContext
    {
        public MethodTable* Owner;              // the type whose type parameters Variable(type) refers to
        public MethodTable** MethodArguments;   // the method's type arguments
        public int MethodArgumentCount;
    }

    internal static unsafe class NativeLayoutTypes
    {
        private const uint Lookback = 1;
        private const uint Instantiation = 3;
        private const uint Variable = 4;
        private const uint External = 6;

        /// <summary>The type, or null when the signature is of a kind this reader does not decode.</summary>
        public static MethodTable* Read(ref byte* p, byte* references, GenericContext* context)
        {
            byte* start = p;
            uint value = NativeFormat.DecodeUnsigned(ref p);
            uint data = value >> 4;
            switch (value & 0xF)
            {
                case External:
                    return ModuleBlobs.ExternalType(references, data);
                case Variable:
                    if (context == null)
                        return null;
                    int index = (int)(data >> 1);
                    if ((data & 1) != 0)
                        return index < context->MethodArgumentCount ? context->MethodArguments[index] : null;
                    return index < context->Owner->GenericArity ? context->Owner->GenericArgument(index) : null;
                case Lookback:
                    byte* earlier = start - data;
                    return Read(ref earlier, references, context);
                default:
                    return null;
            }
        }

        /// <summary>Whether the signature at <paramref name="p"/> denotes exactly <paramref name="expected"/>.</summary>
        public static bool Matches(byte* p, MethodTable* expected, byte* references, GenericContext* context)
        {
            byte* start = p;
            uint value = NativeFormat.DecodeUnsigned(ref p);
            if ((value & 0xF) == Lookback)
                return Matches(start - (value >> 4), expected, references, context);
            if ((value & 0xF) != Instantiation)
            {
                byte* again = start;
                MethodTable* type = Read(ref again, references, context);
                return type != null && type == expected;
            }
            int count = (int)(value >> 4);
            MethodTable* definition = Read(ref p, references, context);
            if (definition == null || definition != expected->TypeDefinition || expected->GenericArity != count)
                return false;
            for (int i = 0; i < count; i++)
            {
                byte* argument = p;
                if (!Matches(argument, expected->GenericArgument(i), references, context))
                    return false;
                Skip(ref p);
            }
            return true;
        }

        // Steps over one signature (the kinds Matches understands).
        private static void Skip(ref byte* p)
        {
            uint value = NativeFormat.DecodeUnsigned(ref p);
            if ((value & 0xF) != Instantiation)
                return;
            Skip(ref p);
            for (uint i = 0; i < value >> 4; i++)
                Skip(ref p);
        }
    }
}
