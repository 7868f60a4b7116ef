// GCHandle.cs -- System.Runtime.InteropServices.GCHandle with the BCL's names: a handle that keeps an object alive
// (Normal, Pinned: objects never move, so pinning is keeping alive) or observes it (Weak: Target becomes null once
// the object was collected). Backed by Internal.Runtime.HandleTable.
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime.InteropServices
{
    public enum GCHandleType
    {
        Weak = 0,
        WeakTrackResurrection = 1,
        Normal = 2,
        Pinned = 3,
    }

    public struct GCHandle
    {
        private IntPtr _handle;

        private GCHandle(IntPtr handle) => _handle = handle;

        public static GCHandle Alloc(object value) => Alloc(value, GCHandleType.Normal);

        public static GCHandle Alloc(object value, GCHandleType type) => new GCHandle(HandleTable.Allocate(value, type));

        public bool IsAllocated => _handle != IntPtr.Zero;

        public object Target
        {
            get => HandleTable.Get(_handle);
            set => HandleTable.Set(_handle, value);
        }

        public void Free()
        {
            IntPtr handle = _handle;
            _handle = IntPtr.Zero;
            HandleTable.Release(handle);
        }

        /// <summary>The address of a pinned object's data (its first field, or an array's first element).</summary>
        public unsafe IntPtr AddrOfPinnedObject()
        {
            object target = HandleTable.Get(_handle);
            if (target == null)
                return IntPtr.Zero;
            byte* obj = *(byte**)Unsafe.AsPointer(ref target);
            MethodTable* mt = *(MethodTable**)obj;
            return (IntPtr)(obj + (mt->HasComponentSize ? 2 * sizeof(IntPtr) : sizeof(IntPtr)));
        }

        public static IntPtr ToIntPtr(GCHandle value) => value._handle;

        public static GCHandle FromIntPtr(IntPtr value) => new GCHandle(value);

        public override bool Equals(object o) => o is GCHandle other && other._handle == _handle;

        public override int GetHashCode() => (int)_handle;
    }
}
