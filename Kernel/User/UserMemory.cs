// UserMemory.cs -- the one way the kernel reads or writes memory a user program named: the range must lie in the
// lower half (so no user pointer reaches kernel memory), and the copy runs in k_user_copy (Kernel/Boot/user.asm),
// whose page faults Exceptions turns into a failed copy. A bad pointer is -EFAULT for the system call, never a
// kernel fault. With SMAP on, the copy is the only code allowed to touch user pages (stac/clac around it).
using System.Runtime;
using System.Runtime.CompilerServices;
using Kernel.Memory;

namespace Kernel.User
{
    public static unsafe class UserMemory
    {
        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_user_copy")]
        private static extern int Copy(void* destination, void* source, ulong length);

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_stac")]
        private static extern void AllowUserAccess();

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_clac")]
        private static extern void ForbidUserAccess();

        /// <summary>Set when CR4.SMAP is on (UserCpuSetup).</summary>
        internal static bool SmapEnabled;

        /// <summary>Whether [address, address + length) lies wholly in the lower half (no wrap-around).</summary>
        public static bool IsUserRange(ulong address, ulong length)
            => length <= Paging.UserSpaceEnd && address <= Paging.UserSpaceEnd - length;

        /// <summary>Copies from the running program's memory; false for a bad pointer (nothing or part copied).</summary>
        public static bool CopyIn(void* kernelDestination, ulong userSource, ulong length)
            => length == 0 || (IsUserRange(userSource, length) && Guarded(kernelDestination, (void*)userSource, length));

        /// <summary>Copies to the running program's memory; false for a bad pointer.</summary>
        public static bool CopyOut(ulong userDestination, void* kernelSource, ulong length)
            => length == 0 || (IsUserRange(userDestination, length) && Guarded((void*)userDestination, kernelSource, length));

        private static bool Guarded(void* destination, void* source, ulong length)
        {
            if (SmapEnabled)
                AllowUserAccess();
            int faulted = Copy(destination, source, length);
            if (SmapEnabled)
                ForbidUserAccess();
            return faulted == 0;
        }
    }
}
