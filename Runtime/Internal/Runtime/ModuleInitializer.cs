// ModuleInitializer.cs -- brings ILC's output to life: GC static bases and module initializers, before Main runs.
using System;
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    public static unsafe class ModuleInitializer
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct ReadyToRunHeader
        {
            public uint Signature;          // 'RTR\0'
            public ushort MajorVersion;
            public ushort MinorVersion;
            public uint Flags;
            public ushort NumberOfSections;
            public byte EntrySize;
            public byte EntryType;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct ModuleInfoRow
        {
            public int SectionId;
            public int Flags;
            public byte* Start;
            public byte* End;
        }

        private const uint ReadyToRunSignature = 0x00525452;
        private const int GCStaticRegion = 201;
        private const int FrozenObjectRegion = 206;
        private const int ModuleInitializerList = 213;

        public static int GCStaticBlocks { get; private set; }

        // The modules' ReadyToRun headers, kept for the lookups that read ILC's tables later (generic virtual methods).
        internal static void** ModulesStart;
        internal static void** ModulesEnd;

        /// <summary>
        /// Allocates every type's GC static block (copying preinitialized data), tells the collector where the static
        /// bases and the frozen objects are (its roots), and runs module initializers.
        /// Needs a working heap; before this, no reference-type static may be touched.
        /// </summary>
        public static void Run(void** modulesStart, void** modulesEnd)
        {
            ModulesStart = modulesStart;
            ModulesEnd = modulesEnd;
            for (void** m = modulesStart; m < modulesEnd; m++)
            {
                ReadyToRunHeader* header = (ReadyToRunHeader*)*m;
                if (header == null)
                    continue;
                if (header->Signature != ReadyToRunSignature)
                    RuntimeEnv.FailFast("bad ReadyToRun header");
                ModuleInfoRow* rows = (ModuleInfoRow*)(header + 1);
                for (int i = 0; i < header->NumberOfSections; i++)
                {
                    if (rows[i].SectionId == GCStaticRegion)
                    {
                        InitializeStatics(rows[i].Start, rows[i].End);
                        GarbageCollector.AddStaticRegion(rows[i].Start, rows[i].End);
                    }
                    else if (rows[i].SectionId == FrozenObjectRegion)
                    {
                        GarbageCollector.AddFrozenRegion(rows[i].Start, rows[i].End);
                    }
                }
                for (int i = 0; i < header->NumberOfSections; i++)
                    if (rows[i].SectionId == ModuleInitializerList)
                        for (byte* p = rows[i].Start; p < rows[i].End; p += 4)
                            ((delegate*<void>)(p + *(int*)p))();
            }
        }

        // The region holds int32 relative pointers to 8-byte slots. A slot starts as a relative pointer to the
        // statics' MethodTable with flag bits (1 = not yet allocated, 2 = preinitialized data follows at slot+4).
        private static void InitializeStatics(byte* start, byte* end)
        {
            for (byte* block = start; block < end; block += 4)
            {
                byte* slot = block + *(int*)block;
                nint value = (nint)(slot + *(int*)slot);
                if ((value & 1) == 0)
                    continue;
                MethodTable* mt = (MethodTable*)(value & ~(nint)3);
                object obj = Allocator.NewObject(mt);
                byte* data = *(byte**)Unsafe.AsPointer(ref obj);
                if ((value & 2) != 0)
                {
                    byte* preinit = slot + 4 + *(int*)(slot + 4);
                    nuint size = mt->BaseSize - 2 * (nuint)sizeof(IntPtr);
                    Buffer.MemoryCopy(preinit, data + sizeof(IntPtr), (long)size, (long)size);
                }
                *(byte**)slot = data;
                GCStaticBlocks++;
            }
        }
    }
}
