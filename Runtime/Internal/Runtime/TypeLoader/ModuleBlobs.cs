// ModuleBlobs.cs -- finds the tables ILC lists in the module's ReadyToRun header (section id -> start, end).
using System.Runtime.InteropServices;

namespace Internal.Runtime.TypeLoader
{
    internal static unsafe class ModuleBlobs
    {
        // Read-only blobs are ReadyToRun sections 300 + the runtime's ReflectionMapBlob number (ILC 10's header, seen
        // in the kernel's managed.o: 308 common fixups, 318 class GVMs, 319 interface GVMs, 330 native layout, 331
        // native references, 336 exact method instantiations).
        public const int CommonFixupsTable = 308;
        public const int GenericVirtualMethodTable = 318;
        public const int InterfaceGenericVirtualMethodTable = 319;
        public const int NativeLayoutInfo = 330;
        public const int NativeReferences = 331;
        public const int ExactMethodInstantiations = 336;

        [StructLayout(LayoutKind.Sequential)]
        private struct Row
        {
            public int SectionId;
            public int Flags;
            public byte* Start;
            public byte* End;
        }

        /// <summary>The section's start, or null when no module has it. The kernel is one module.</summary>
        public static byte* Find(int sectionId, out byte* end)
        {
            for (void** m = ModuleInitializer.ModulesStart; m < ModuleInitializer.ModulesEnd; m++)
            {
                byte* header = (byte*)*m;
                if (header == null)
                    continue;
                int count = *(ushort*)(header + 12);
                Row* rows = (Row*)(header + 16);
                for (int i = 0; i < count; i++)
                    if (rows[i].SectionId == sectionId)
                    {
                        end = rows[i].End;
                        return rows[i].Start;
                    }
            }
            end = null;
            return null;
        }

        /// <summary>An external references table: int32 self-relative pointers, indexed by the other tables.</summary>
        public static MethodTable* ExternalType(byte* table, uint index)
        {
            int* slot = (int*)(table + index * 4);
            return (MethodTable*)((byte*)slot + *slot);
        }

        public static nint ExternalCode(byte* table, uint index)
        {
            int* slot = (int*)(table + index * 4);
            return (nint)((byte*)slot + *slot);
        }
    }
}
