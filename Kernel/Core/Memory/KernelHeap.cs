// KernelHeap.cs -- connects the core library's size-class heap (behind `new`) to the physical page allocator.
using Internal.Runtime;

namespace Kernel.Memory
{
    public static unsafe class KernelHeap
    {
        public static void Initialize() => Allocator.Initialize(&AllocateRun, &FreeRun);

        private static void* AllocateRun(nuint bytes)
        {
            ulong pages = (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize;
            return (void*)PhysicalMemory.AllocatePages(pages, SizeClassHeap.SlabBytes / PhysicalMemory.PageSize);
        }

        private static void FreeRun(void* address, nuint bytes)
            => PhysicalMemory.FreePages((ulong)address, (bytes + PhysicalMemory.PageSize - 1) / PhysicalMemory.PageSize);

        public static ref SizeClassHeap Statistics => ref Allocator.Heap;
    }
}
