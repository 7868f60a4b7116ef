// BootKind.cs -- the three ways the runner boots the kernel.
namespace Vmk.Iso.Runner;

public enum BootKind
{
    /// <summary>SeaBIOS -> GRUB (i386-pc) from the ISO -> multiboot2. The default.</summary>
    Bios,

    /// <summary>OVMF -> GRUB (x86_64-efi) from the ISO -> multiboot2, on q35.</summary>
    Uefi,

    /// <summary><c>qemu -kernel kernel.elf</c> (multiboot1 a.out kludge): no firmware menu, no GRUB, the fastest.</summary>
    Direct,
}
