// UserWorldTests.cs -- the kernel side of userworlds without running one: user pointers are checked against the
// lower half, a copy from an unmapped user address fails (the page fault is recovered: -EFAULT, not a panic), an
// address space maps, fills and gives back every page it took, and the ELF loader refuses hostile headers.
using System;
using System.Collections.Generic;
using Kernel.Memory;
using Kernel.User;

namespace Kernel.SelfTest.Tests
{
    internal static class UserWorldTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new UserPointerTest());
            tests.Add(new AddressSpaceTest());
            tests.Add(new ElfRefusalTest());
        }

        private sealed unsafe class UserPointerTest : SelfTest
        {
            public override string Name => "user: pointers are checked and bad ones fail the copy";

            public override void Run(SelfTestContext t)
            {
                t.Check(UserMemory.IsUserRange(0x400000, 4096), "a program address is a user range");
                t.Check(!UserMemory.IsUserRange(DirectMap.Base, 1), "the direct map is not");
                t.Check(!UserMemory.IsUserRange(KernelImage.VirtualBase + (1 << 20), 8), "the kernel image is not");
                t.Check(!UserMemory.IsUserRange(Paging.UserSpaceEnd - 8, 16), "a range across the end of the lower half is not");
                t.Check(!UserMemory.IsUserRange(0x1000, ulong.MaxValue - 0x800), "a wrapping range is not");
                ulong value = 0x1234;
                // The kernel's own address space maps nothing in the lower half: the copy faults and recovers.
                t.Check(!UserMemory.CopyIn(&value, 0x400000, 8), "copy from an unmapped user page fails");
                t.Check(!UserMemory.CopyOut(0x400000, &value, 8), "copy to an unmapped user page fails");
                t.Check(!UserMemory.CopyIn(&value, DirectMap.ToVirtual(PhysicalMemory.BitmapAddress), 8), "copy from kernel memory is refused");
                t.Equal(0x1234, (long)value, "a failed copy left the destination alone");
            }
        }

        private sealed unsafe class AddressSpaceTest : SelfTest
        {
            public override string Name => "user: an address space maps its pages and gives them all back";

            public override void Run(SelfTestContext t)
            {
                ulong freeBefore = PhysicalMemory.FreePageCount;
                UserAddressSpace space = UserAddressSpace.Create();
                bool mapped = space != null && space.MapZeroed(0x400000, 0x40A000, writable: true, executable: false)
                    && space.MapZeroed(UserAddressSpace.StackTop - 0x2000, UserAddressSpace.StackTop, writable: true, executable: false);
                ulong entry = space == null ? 0 : Paging.QueryUser(space.Root, 0x404000);
                bool wrote = space != null && space.Write(0x404FFE, new byte[] { 1, 2, 3, 4 });
                byte* second = entry == 0 ? null : (byte*)DirectMap.Pointer(Paging.QueryUser(space.Root, 0x405000) & 0x000F_FFFF_FFFF_F000UL);
                bool crossed = second != null && second[0] == 3 && second[1] == 4;
                bool outside = space != null && !space.Write(0x40A000, new byte[] { 1 });
                ulong pages = space == null ? 0 : space.PagesMapped;
                bool kernelShared = space != null && ((ulong*)DirectMap.Pointer(space.Root))[511] == Paging.TopLevelEntry(511)
                    && ((ulong*)DirectMap.Pointer(space.Root))[0] != 0 && Paging.TopLevelEntry(0) == 0;
                space?.Free();
                ulong freeAfter = PhysicalMemory.FreePageCount;
                t.Check(mapped, "pages mapped");
                t.Check(entry != 0 && (entry & Paging.User) != 0 && (entry & Paging.Writable) != 0, "a user, writable entry");
                t.Check(wrote && crossed, "a write across a page boundary lands in both pages");
                t.Check(outside, "a write to an unmapped address fails");
                t.Equal(12, (long)pages, "ten image pages and two stack pages");
                t.Check(kernelShared, "the upper half is the kernel's, the lower half its own");
                t.Equal((long)freeBefore, (long)freeAfter, "every page and table went back");
            }
        }

        private sealed class ElfRefusalTest : SelfTest
        {
            public override string Name => "user: the ELF loader refuses what it cannot run";

            public override void Run(SelfTestContext t)
            {
                UserAddressSpace space = UserAddressSpace.Create();
                byte[] header = new byte[64 + 56];
                t.Equal("not an ELF file", ElfLoader.Load(space, header, out _), "no magic");
                header[0] = 0x7F; header[1] = (byte)'E'; header[2] = (byte)'L'; header[3] = (byte)'F';
                header[4] = 1; header[5] = 1;
                t.Equal("not a 64-bit little-endian ELF file", ElfLoader.Load(space, header, out _), "32-bit");
                header[4] = 2; header[16] = 2; header[18] = 62;
                header[32] = 64; header[54] = 56; header[56] = 2;   // two program headers: the second runs off the end
                t.Equal("bad program header table", ElfLoader.Load(space, header, out _), "headers past the end");
                header[56] = 1;
                header[64] = 1;                                      // PT_LOAD
                header[64 + 8] = 0;                                  // offset 0
                header[64 + 16 + 7] = 0xFF;                          // vaddr in the upper half
                header[64 + 32] = 16; header[64 + 40] = 16;
                t.Equal("segment outside user memory", ElfLoader.Load(space, header, out _), "a kernel address");
                header[64 + 16 + 7] = 0; header[64 + 16 + 2] = 0x40;
                header[64 + 32] = 0xFF; header[64 + 33] = 0xFF;     // filesz past the file
                header[64 + 40] = 0xFF; header[64 + 41] = 0xFF;
                t.Equal("segment outside the file", ElfLoader.Load(space, header, out _), "file size past the end");
                header[64] = 3;                                      // PT_INTERP
                t.Check(ElfLoader.Load(space, header, out _).StartsWith("dynamically linked"), "an interpreter");
                t.Equal(0, (long)space.PagesMapped, "nothing was mapped");
                space.Free();
            }
        }
    }
}
