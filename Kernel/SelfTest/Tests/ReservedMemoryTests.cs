// ReservedMemoryTests.cs -- every page of the kernel image, the boot information and each boot module still in use
// is marked in use in the page allocator, so nothing the loader handed us can be given out and overwritten while it
// is needed (gzip'd modules are released after they are inflated).
using System.Collections.Generic;
using Kernel.Boot;
using Kernel.Memory;

namespace Kernel.SelfTest.Tests
{
    internal static class ReservedMemoryTests
    {
        public static void AddTo(List<SelfTest> tests) => tests.Add(new ReservedRangesTest());

        private sealed class ReservedRangesTest : SelfTest
        {
            public override string Name => "memory: image, boot info and modules are never free";

            public override void Run(SelfTestContext t)
            {
                t.Check(AllUsed(KernelImage.PhysicalStart, KernelImage.PhysicalEnd), "kernel image pages are in use");
                t.Check(AllUsed(BootInfo.InfoAddress, BootInfo.InfoEnd), "boot information pages are in use");
                t.Check(AllUsed(PhysicalMemory.BitmapAddress, PhysicalMemory.BitmapAddress + 4096), "the page bitmap is in use");
                // Modules used in place stay reserved for good; inflated or copied ones went back after intake.
                for (int i = 0; i < BootInfo.ModuleCount; i++)
                    if (!BootInfo.IsModuleReleased(i))
                        t.Check(AllUsed(BootInfo.Module(i).Start, BootInfo.Module(i).End), string.Concat("boot module ", i.ToString(), " pages are in use"));
                t.Check(AllUsed(0, 1UL << 20), "the first MiB is in use");
            }

            private static bool AllUsed(ulong start, ulong end)
            {
                for (ulong page = start & ~4095UL; page < end; page += 4096)
                    if (!PhysicalMemory.IsAllocated(page))
                        return false;
                return true;
            }
        }
    }
}
