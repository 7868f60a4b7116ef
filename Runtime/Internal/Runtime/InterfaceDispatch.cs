// InterfaceDispatch.cs -- resolves interface calls through ILC's dispatch cells and the types' dispatch maps.
using System;
using System.Runtime;

namespace Internal.Runtime
{
    public static unsafe class InterfaceDispatch
    {
        // DispatchMap: u16 standard count, u16 default count, u16 static counts (2), then entries
        // { u16 interface index; u16 interface slot; u16 implementation slot }.
        private static bool FindInMap(MethodTable* type, MethodTable* itf, ushort slot, bool defaults, out ushort impl)
        {
            impl = 0;
            byte* map = type->DispatchMap;
            if (map == null)
                return false;
            ushort standard = *(ushort*)map, defaultCount = *(ushort*)(map + 2);
            ushort* entries = (ushort*)(map + 8);
            int from = defaults ? standard : 0, to = defaults ? standard + defaultCount : standard;
            MethodTable** interfaces = type->InterfaceMap;
            for (int i = from; i < to; i++)
            {
                ushort* entry = entries + i * 3;
                if (entry[1] == slot && interfaces[entry[0]] == itf)
                {
                    impl = entry[2];
                    return true;
                }
            }
            return false;
        }

        public static IntPtr FindImplementation(MethodTable* type, MethodTable* itf, ushort slot)
        {
            // Explicit implementations up the hierarchy first, then default interface methods.
            for (int pass = 0; pass < 2; pass++)
                for (MethodTable* cur = type; cur != null; cur = cur->BaseType)
                    if (FindInMap(cur, itf, slot, pass == 1, out ushort impl))
                        return type->GetSlot(impl);
            RuntimeEnv.FailFast("interface method implementation not found");
            return 0;
        }

        // Called by the RhpInitialDynamicInterfaceDispatch stub with the dispatch cell (ILC passes it in r11).
        // A cell run ends with a cell whose stub is null; that cell's second word holds the slot (low 16 bits).
        [RuntimeExport("KResolveInterfaceCall")]
        private static IntPtr ResolveInterfaceCall(IntPtr thisObject, nuint* cell)
        {
            MethodTable* type = *(MethodTable**)thisObject;
            nuint cache = cell[1];
            nuint* terminator = cell;
            while (terminator[0] != 0)
                terminator += 2;
            nuint slotAndFlags = terminator[1];
            if ((slotAndFlags >> 16) != 0)
                RuntimeEnv.FailFast("unsupported interface dispatch cell kind");
            ushort slot = (ushort)slotAndFlags;
            MethodTable* itf;
            switch ((int)(cache & 3))
            {
                case 1:
                    itf = (MethodTable*)(cache & ~(nuint)3);
                    break;
                case 3:
                    itf = (MethodTable*)(((nuint)(cell + 1) + (nuint)(nint)(int)cache) & ~(nuint)3);
                    break;
                case 2:
                    itf = *(MethodTable**)(((nuint)(cell + 1) + (nuint)(nint)(int)cache) & ~(nuint)3);
                    break;
                default:
                    if (cache < 0x1000)
                        return *(IntPtr*)((byte*)type + cache);
                    RuntimeEnv.FailFast("cached interface dispatch cell not supported");
                    return 0;
            }
            return FindImplementation(type, itf, slot);
        }
    }
}
