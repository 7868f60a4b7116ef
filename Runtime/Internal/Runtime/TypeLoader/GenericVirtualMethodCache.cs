// GenericVirtualMethodCache.cs -- (receiver type, call site's method handle) -> code, so that only the first call
// of a pair reads ILC's tables. Readers take no lock: they walk immutable chains, and a writer publishes a fully
// built entry with one reference store (x86 keeps stores in order). Writers prepend under a leaf spinlock (interrupts
// off on this CPU, nothing taken or allocated inside), so neither a world switch nor another CPU can lose an entry.
using System.Runtime;
using System.Runtime.CompilerServices;

namespace Internal.Runtime.TypeLoader
{
    internal static class GenericVirtualMethodCache
    {
        private sealed class Entry
        {
            public nint Receiver;
            public nint Method;
            public nint Code;
            public Entry Next;
        }

        private const int Buckets = 256;                     // a power of two
        // Made by the first Add, not by a static initializer: that would put a class constructor check on every
        // lookup (10 more instructions per call in `bench`).
        private static Entry[] s_buckets;

        private static TicketLock s_writers;

        private static int Bucket(nint receiver, nint method) => (int)(((nuint)receiver >> 4) ^ ((nuint)method >> 3)) & (Buckets - 1);

        public static bool TryGet(nint receiver, nint method, out nint code)
        {
            Entry[] buckets = s_buckets;
            if (buckets != null)
                for (Entry e = buckets[Bucket(receiver, method)]; e != null; e = e.Next)
                    if (e.Receiver == receiver && e.Method == method)
                    {
                        code = e.Code;
                        return true;
                    }
            code = 0;
            return false;
        }

        public static void Add(nint receiver, nint method, nint code)
        {
            var entry = new Entry { Receiver = receiver, Method = method, Code = code };
            Entry[] fresh = s_buckets == null ? new Entry[Buckets] : null;
            int b = Bucket(receiver, method);
            ulong flags = s_writers.AcquireIrqSave();
            s_buckets ??= fresh;
            entry.Next = s_buckets[b];
            s_buckets[b] = entry;
            s_writers.ReleaseIrqRestore(flags);
        }
    }
}
