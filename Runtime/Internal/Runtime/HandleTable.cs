// HandleTable.cs -- the storage behind GCHandle: slots that keep an object alive (strong) or only observe it (weak),
// for kernel tables that must stay alive and for objects referenced only from native memory (a page, a hardware
// structure, a function pointer's argument).
//
// Strong targets sit in a static object[]: the collector reaches them through the GC statics like any other static,
// so the table needs no root code of its own. Weak targets are kept as raw addresses, invisible to tracing; after
// marking, the collector clears each one whose object was not marked (ClearUnmarkedWeakTargets), before the sweep
// frees it. A handle is the slot index + 1, so 0 is never a valid handle. Growing the table allocates new arrays
// first and only then swaps them in: a collection that the allocation triggers sees the old, consistent table.
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Internal.Runtime
{
    internal static unsafe class HandleTable
    {
        private const byte Free = 0;

        private static object[] s_strong = new object[0];
        private static nint[] s_weak = new nint[0];
        private static byte[] s_kind = new byte[0];            // Free, or GCHandleType + 1
        private static int[] s_nextFree = new int[0];          // free slots as a list through this array; -1 ends it
        private static int s_firstFree = -1;
        private static int s_inUse;

        // The table's lock (every CPU, interrupt handlers too). Ranked below the heap's: growing the table allocates
        // under it. The heap's page source reads strong handles (a world heap's owner) with the heap lock held, so a
        // strong handle's Get takes no lock: its slot is written before the handle is handed out, and a grow copies
        // it into the new arrays before swapping them in, so either array holds it.
        private static KernelLock s_lock;

        private static ulong DisableInterrupts() => s_lock.Enter(LockRank.Handles);

        private static void RestoreInterrupts(ulong flags) => s_lock.Exit(flags);

        public static int InUse => s_inUse;

        public static nint Allocate(object value, GCHandleType type)
        {
            ulong flags = DisableInterrupts();
            if (s_firstFree < 0)
                Grow();
            int slot = s_firstFree;
            s_firstFree = s_nextFree[slot];
            s_kind[slot] = (byte)(type + 1);
            Store(slot, value);
            s_inUse++;
            RestoreInterrupts(flags);
            return slot + 1;
        }

        public static void Release(nint handle)
        {
            ulong flags = DisableInterrupts();
            int slot = SlotOf(handle);
            s_strong[slot] = null;
            s_weak[slot] = 0;
            s_kind[slot] = Free;
            s_nextFree[slot] = s_firstFree;
            s_firstFree = slot;
            s_inUse--;
            RestoreInterrupts(flags);
        }

        public static object Get(nint handle)
        {
            int slot = SlotOf(handle);
            if (!IsWeak(slot))
                return s_strong[slot];
            ulong flags = DisableInterrupts();
            object value = s_strong[slot];
            if (IsWeak(slot))
            {
                // Read with interrupts off: no collection can clear the slot and free the object in between, and
                // from here on the reference is on this stack, where the collector sees it.
                nint address = s_weak[slot];
                value = Unsafe.As<nint, object>(ref address);
            }
            RestoreInterrupts(flags);
            return value;
        }

        public static void Set(nint handle, object value)
        {
            ulong flags = DisableInterrupts();
            Store(SlotOf(handle), value);
            RestoreInterrupts(flags);
        }

        public static GCHandleType TypeOf(nint handle) => (GCHandleType)(s_kind[SlotOf(handle)] - 1);

        private static bool IsWeak(int slot)
            => s_kind[slot] == (byte)(GCHandleType.Weak + 1) || s_kind[slot] == (byte)(GCHandleType.WeakTrackResurrection + 1);

        private static void Store(int slot, object value)
        {
            if (IsWeak(slot))
            {
                s_strong[slot] = null;
                s_weak[slot] = *(nint*)Unsafe.AsPointer(ref value);
            }
            else
            {
                s_strong[slot] = value;
                s_weak[slot] = 0;
            }
        }

        private static int SlotOf(nint handle)
        {
            int slot = (int)handle - 1;
            if (handle <= 0 || slot >= s_kind.Length || s_kind[slot] == Free)
                RuntimeEnv.FailFast("GCHandle: not an allocated handle");
            return slot;
        }

        private static void Grow()
        {
            int old = s_kind.Length;
            int size = old == 0 ? 32 : old * 2;
            var strong = new object[size];
            var weak = new nint[size];
            var kind = new byte[size];
            var nextFree = new int[size];
            for (int i = 0; i < old; i++)
            {
                strong[i] = s_strong[i];
                weak[i] = s_weak[i];
                kind[i] = s_kind[i];
                nextFree[i] = s_nextFree[i];
            }
            for (int i = old; i < size; i++)
                nextFree[i] = i + 1 < size ? i + 1 : -1;
            s_strong = strong;
            s_weak = weak;
            s_kind = kind;
            s_nextFree = nextFree;
            s_firstFree = old;
        }

        /// <summary>The collector, after marking: weak targets that will be swept become null.</summary>
        internal static void ClearUnmarkedWeakTargets(HeapBlockMap* map)
        {
            nint[] weak = s_weak;
            for (int i = 0; i < weak.Length; i++)
                if (weak[i] != 0 && SizeClassHeap.IsCollectableAndUnmarked(map, (void*)weak[i]))
                    weak[i] = 0;
        }
    }
}
