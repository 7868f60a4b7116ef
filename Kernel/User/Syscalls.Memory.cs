// Syscalls.Memory.cs -- brk and anonymous mmap/munmap. brk grows the heap right after the image (page by page,
// zeroed, up to 1 GiB); mmap hands out anonymous private regions downwards from UserAddressSpace.MmapTop (or at a
// MAP_FIXED address). File mappings are not supported yet (-ENODEV).
namespace Kernel.User
{
    public static unsafe partial class Syscalls
    {
        private const int ProtWrite = 2, ProtExec = 4;
        private const int MapPrivate = 0x02, MapFixed = 0x10, MapAnonymous = 0x20;

        private static long DoBrk(UserProgram program, ulong requested)
        {
            UserAddressSpace space = program?.Space;
            if (space == null)
                return -ENOMEM;
            if (requested < space.BrkStart || requested - space.BrkStart > UserAddressSpace.MaxBrkBytes)
                return (long)space.BrkEnd;   // Linux returns the current break when it refuses
            ulong oldTop = UserAddressSpace.PageCeiling(space.BrkEnd), newTop = UserAddressSpace.PageCeiling(requested);
            if (newTop > oldTop && !space.MapZeroed(oldTop, newTop, writable: true, executable: false))
            {
                space.Unmap(oldTop, newTop);
                return (long)space.BrkEnd;
            }
            if (newTop < oldTop)
                space.Unmap(newTop, oldTop);
            space.BrkEnd = requested;
            return (long)requested;
        }

        private static long DoMmap(UserProgram program, ulong address, ulong length, int protection, int flags, int fd)
        {
            UserAddressSpace space = program?.Space;
            if (space == null)
                return -ENOMEM;
            if ((flags & MapAnonymous) == 0)
                return -ENODEV;
            if (length == 0 || length > (1UL << 40))
                return -EINVAL;
            ulong size = UserAddressSpace.PageCeiling(length);
            ulong start;
            if ((flags & MapFixed) != 0)
            {
                if (address % UserAddressSpace.PageSize != 0 || address < UserAddressSpace.PageSize || !UserMemory.IsUserRange(address, size))
                    return -EINVAL;
                start = address;
                space.Unmap(start, start + size);
            }
            else
            {
                if (space.MmapNext - size < space.BrkStart + UserAddressSpace.MaxBrkBytes)
                    return -ENOMEM;
                start = space.MmapNext - size;
                space.MmapNext = start;
            }
            if (!space.MapZeroed(start, start + size, (protection & ProtWrite) != 0, (protection & ProtExec) != 0))
            {
                space.Unmap(start, start + size);
                return -ENOMEM;
            }
            return (long)start;
        }

        // Changes the rights of mapped pages (a C library makes its relocated data read-only, RELRO); a page in the
        // range that is not mapped is -ENOMEM, as on Linux, after the pages before it changed.
        private static long DoMprotect(UserProgram program, ulong address, ulong length, int protection)
        {
            UserAddressSpace space = program?.Space;
            if (space == null || address % UserAddressSpace.PageSize != 0 || !UserMemory.IsUserRange(address, length))
                return -EINVAL;
            return space.Protect(address, address + length, (protection & ProtWrite) != 0, (protection & ProtExec) != 0) ? 0 : -ENOMEM;
        }

        private static long DoMunmap(UserProgram program, ulong address, ulong length)
        {
            UserAddressSpace space = program?.Space;
            if (space == null || address % UserAddressSpace.PageSize != 0 || length == 0 || !UserMemory.IsUserRange(address, length))
                return -EINVAL;
            space.Unmap(address, address + length);
            return 0;
        }
    }
}
