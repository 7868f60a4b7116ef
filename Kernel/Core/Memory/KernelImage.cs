// KernelImage.cs -- where the kernel image is linked (virtual) and loaded (physical): the top 2 GiB, x86-64's
// kernel code model, so the compiler's and the assembler's 32-bit sign-extended absolute addresses reach it.
// The same constant is KERNEL_VMA in Kernel/Boot/linker.ld and boot.asm.
using Kernel.Boot;

namespace Kernel.Memory
{
    public static class KernelImage
    {
        public const ulong VirtualBase = 0xFFFF_FFFF_8000_0000UL;

        public static bool Contains(ulong virtualAddress)
        {
            ref ImageLayout image = ref ImageLayout.Current;
            return virtualAddress >= image.ImageStart && virtualAddress < image.ImageEnd;
        }

        /// <summary>The physical address of an address inside the image (the loader put it at VirtualBase's offset).</summary>
        public static ulong ToPhysical(ulong virtualAddress) => virtualAddress - VirtualBase;

        public static ulong PhysicalStart => ImageLayout.Current.ImageStart - VirtualBase;
        public static ulong PhysicalEnd => ImageLayout.Current.ImageEnd - VirtualBase;
    }
}
