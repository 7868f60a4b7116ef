// Multiboot.cs -- parses the multiboot1 (qemu -kernel) and multiboot2 (GRUB) information into BootInfo.
//
// Multiboot2: a u32 total size, a u32 reserved, then 8-byte aligned tags {u32 type, u32 size, payload}, ending with
// type 0. Tags used: 1 command line, 2 boot loader name, 3 module {u32 start, u32 end, string}, 6 memory map
// {u32 entry size, u32 version, entries {u64 base, u64 length, u32 type, u32 reserved}}, 8 framebuffer,
// 14/15 ACPI RSDP copies (old/new).
// Multiboot1: a fixed structure with a flags word: bit 2 cmdline (offset 16), bit 3 modules (count 20,
// address 24; entries {start, end, string, reserved}), bit 6 memory map (length 44, address 48; entries
// {u32 size, u64 base, u64 length, u32 type}, size excludes itself), bit 9 loader name (64), bit 12 framebuffer (88).
// Runs before the heap exists: no allocation. Sizes and counts come from the loader and are bounded here.
// The loader speaks physical addresses; BootInfo keeps them physical (the page allocator reserves them), and the
// parser reads them through the direct map (the boot stub's tables map the first 4 GiB there).
using Kernel.Memory;

namespace Kernel.Boot
{
    public static unsafe class Multiboot
    {
        public const uint Multiboot1Magic = 0x2BADB002;
        public const uint Multiboot2Magic = 0x36D76289;
        private const uint MaxInfoBytes = 1 << 20;

        /// <summary>Returns false when the magic is unknown (not started by a multiboot loader).</summary>
        public static bool Parse(uint magic, ulong info)
        {
            BootInfo.Magic = magic;
            BootInfo.InfoAddress = info;
            if (info == 0)
                return false;
            if (magic == Multiboot2Magic)
                ParseMultiboot2((byte*)DirectMap.Pointer(info), info);
            else if (magic == Multiboot1Magic)
                ParseMultiboot1((byte*)DirectMap.Pointer(info), info);
            else
                return false;
            return true;
        }

        private static void ParseMultiboot2(byte* info, ulong physical)
        {
            uint total = *(uint*)info;
            if (total < 16 || total > MaxInfoBytes)
                total = 16;
            BootInfo.InfoEnd = physical + total;
            byte* end = info + total;
            for (byte* tag = info + 8; tag + 8 <= end;)
            {
                uint type = *(uint*)tag, size = *(uint*)(tag + 4);
                if (type == 0 || size < 8 || tag + size > end)
                    break;
                switch (type)
                {
                    case 1:
                        BootInfo.CommandLine = PhysicalOf(tag + 8, info, physical);
                        break;
                    case 2:
                        BootInfo.BootLoaderName = PhysicalOf(tag + 8, info, physical);
                        break;
                    case 3:
                        if (size >= 16)
                            BootInfo.AddModule(*(uint*)(tag + 8), *(uint*)(tag + 12), size > 16 ? PhysicalOf(tag + 16, info, physical) : 0);
                        break;
                    case 6:
                        uint entrySize = *(uint*)(tag + 8);
                        if (entrySize >= 24)
                            for (byte* e = tag + 16; e + entrySize <= tag + size; e += entrySize)
                                BootInfo.AddRegion(*(ulong*)e, *(ulong*)(e + 8), *(uint*)(e + 16));
                        break;
                    case 8:
                        // GRUB's layout: u8 bpp, u8 type, u16 reserved, so the colour info starts at tag + 32.
                        if (size >= 38)
                            ReadFramebuffer(tag + 8, tag + 32);
                        break;
                    case 14:
                    case 15:
                        if (BootInfo.AcpiRsdp == 0 || type == 15)
                            BootInfo.AcpiRsdp = PhysicalOf(tag + 8, info, physical);
                        break;
                }
                tag += (size + 7) & ~7u;
            }
        }

        // A field's physical address, from where it was read through the direct map.
        private static ulong PhysicalOf(byte* field, byte* info, ulong physical) => physical + (ulong)(field - info);

        private static void ParseMultiboot1(byte* info, ulong physical)
        {
            uint flags = *(uint*)info;
            BootInfo.InfoEnd = physical + 120;
            if ((flags & (1 << 2)) != 0)
                BootInfo.CommandLine = *(uint*)(info + 16);
            if ((flags & (1 << 9)) != 0)
                BootInfo.BootLoaderName = *(uint*)(info + 64);
            if ((flags & (1 << 3)) != 0)
            {
                uint count = *(uint*)(info + 20);
                uint* module = (uint*)DirectMap.Pointer(*(uint*)(info + 24));
                for (uint i = 0; i < count && i < BootInfo.MaxModules; i++, module += 4)
                    BootInfo.AddModule(module[0], module[1], module[2]);
            }
            if ((flags & (1 << 6)) != 0)
            {
                uint length = *(uint*)(info + 44);
                byte* e = (byte*)DirectMap.Pointer(*(uint*)(info + 48));
                byte* end = e + (length < MaxInfoBytes ? length : 0);
                while (e + 24 <= end)
                {
                    uint size = *(uint*)e;
                    BootInfo.AddRegion(*(ulong*)(e + 4), *(ulong*)(e + 12), *(uint*)(e + 20));
                    if (size < 20)
                        break;
                    e += size + 4;
                }
            }
            if ((flags & (1 << 12)) != 0)
                ReadFramebuffer(info + 88, info + 110);
        }

        // Common layout from the framebuffer address on: u64 addr, u32 pitch, u32 width, u32 height, u8 bpp, u8 type;
        // for type 1 the color info is red position, red size, green position, green size, blue position, blue size.
        private static void ReadFramebuffer(byte* p, byte* colorInfo)
        {
            FramebufferInfo fb = default;
            fb.Address = *(ulong*)p;
            fb.Pitch = *(uint*)(p + 8);
            fb.Width = *(uint*)(p + 12);
            fb.Height = *(uint*)(p + 16);
            fb.BitsPerPixel = p[20];
            fb.Type = p[21];
            if (fb.Type == 1)
            {
                fb.RedShift = colorInfo[0];
                fb.GreenShift = colorInfo[2];
                fb.BlueShift = colorInfo[4];
            }
            BootInfo.Framebuffer = fb;
        }
    }
}
