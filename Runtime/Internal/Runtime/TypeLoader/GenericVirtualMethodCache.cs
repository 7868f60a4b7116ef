// GenericVirtualMethodCache.cs -- (receiver type, call site's method handle) -> code, so that only the first call
// of a pair reads ILC's tables. Lock-free: readers walk immutable chains; a writer publishes a fully built entry
// with one reference store (x86 keeps stores in order). Two writers racing on a bucket may lose one entry, which
// only costs a second resolution later.
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
            public object KeepAlive;       // what a fat pointer points into: lives as long as the entry
        }

        private const int Buckets = 256;                     // a power of two
        private static Entry[] s_buckets;

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

        public static void Add(nint receiver, nint method, nint code, object keepAlive)
        {
            s_buckets ??= new Entry[Buckets];
            Entry[] buckets = s_buckets;
            int b = Bucket(receiver, method);
            buckets[b] = new Entry { Receiver = receiver, Method = method, Code = code, Next = buckets[b], KeepAlive = keepAlive };
        }
    }
}
