// MemoryTests.cs -- the page allocator, the page tables and the heap, checked inside the running kernel.
using System.Collections.Generic;
using Internal.Runtime;
using Kernel.Boot;
using Kernel.Memory;

namespace Kernel.SelfTest.Tests
{
    internal static class MemoryTests
    {
        public static void AddTo(List<SelfTest> tests)
        {
            tests.Add(new PageAllocatorTest());
            tests.Add(new PagingTest());
            tests.Add(new HeapTest());
            tests.Add(new FailableRequestTest());
        }

        // A request that may fail alone (what the shell's command boundary marks) and asks for more than the machine
        // has gets OutOfMemoryException, not the panic screen; the heap serves the next request as before.
        private sealed class FailableRequestTest : SelfTest
        {
            public override string Name => "memory: a failable request the heap cannot serve throws OutOfMemoryException";

            public override void Run(SelfTestContext t)
            {
                Kernel.Worlds.World self = Kernel.Worlds.Scheduler.Current;
                ulong failedBefore = Allocator.FailedRequests;
                bool thrown = false;
                self.BeginFailableRequest();
                try
                {
                    t.Check(AllocateMoreThanTheMachine() == null, "an impossible allocation returned");
                }
                catch (System.OutOfMemoryException e)
                {
                    thrown = e.Message.Length > 0;
                }
                finally
                {
                    self.EndFailableRequest();
                }
                t.Check(thrown, "OutOfMemoryException thrown");
                t.Equal((long)failedBefore + 1, (long)Allocator.FailedRequests, "failed requests counted");
                var after = new byte[4096];
                after[4095] = 1;
                t.Check(after[4095] == 1, "the heap serves the next request");
            }

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
            private static byte[] AllocateMoreThanTheMachine() => new byte[(int)(PhysicalMemory.ManagedBytes + (1UL << 20))];
        }

        private sealed unsafe class PageAllocatorTest : SelfTest
        {
            public override string Name => "memory: page allocator";

            public override void Run(SelfTestContext t)
            {
                // Everything is measured first and checked after: a check records its result on the heap, and a heap
                // that grows takes pages from this very allocator, which would move the counts under the test.
                ulong freeBefore = PhysicalMemory.FreePageCount;
                ulong a = PhysicalMemory.AllocatePage();
                ulong b = PhysicalMemory.AllocatePages(8, 8);
                ulong freeAllocated = PhysicalMemory.FreePageCount;
                bool allocated = a != 0 && b != 0;
                bool aligned = a % 4096 == 0 && b % (8 * 4096) == 0;
                bool zeroed = allocated && *(ulong*)DirectMap.Pointer(a) == 0 && *(ulong*)DirectMap.Pointer(b + 8 * 4096 - 8) == 0;
                bool outsideImage = a >= KernelImage.PhysicalEnd || a + 4096 <= KernelImage.PhysicalStart;
                bool outsideModules = true;
                for (int i = 0; i < BootInfo.ModuleCount; i++)
                    outsideModules &= a >= BootInfo.Module(i).End || a + 4096 <= BootInfo.Module(i).Start;
                bool freed = allocated && PhysicalMemory.FreePages(a, 1) && PhysicalMemory.FreePages(b, 8);
                bool doubleFreeRefused = !PhysicalMemory.FreePages(a, 1);
                ulong freeAfter = PhysicalMemory.FreePageCount;
                t.Check(allocated, "pages allocated");
                t.Check(aligned, "alignment honoured");
                t.Check(zeroed, "pages are zeroed");
                t.Equal((long)freeBefore - 9, (long)freeAllocated, "free count after allocating 9 pages");
                t.Check(outsideImage, "page is outside the kernel image");
                t.Check(outsideModules, "page is outside boot modules");
                t.Check(a >= (1UL << 20), "page is above the first MiB");
                t.Check(freed, "pages freed");
                t.Check(doubleFreeRefused, "double free refused");
                t.Equal((long)freeBefore, (long)freeAfter, "free count restored");
            }
        }

        private sealed unsafe class PagingTest : SelfTest
        {
            public override string Name => "memory: paging";

            public override void Run(SelfTestContext t)
            {
                ref ImageLayout image = ref ImageLayout.Current;
                t.Equal(0, (long)Paging.Query(0), "page 0 is unmapped");
                int lowerHalfEntries = 0;
                for (int slot = 0; slot < 256; slot++)
                    if ((Paging.TopLevelEntry(slot) & Paging.Present) != 0)
                        lowerHalfEntries++;
                t.Equal(0, lowerHalfEntries, "the lower half (PML4 0-255) holds no kernel mapping");
                t.Check(image.TextStart >= KernelImage.VirtualBase, "the image runs in the top 2 GiB");
                t.Equal(0, (long)Paging.Query(image.BootStackGuard), "boot stack guard page is unmapped");
                t.Equal(0, (long)Paging.Query(image.DoubleFaultStackGuard), "double-fault stack guard page is unmapped");
                ulong text = Paging.Query(image.TextStart + 4096);
                t.Check(text != 0 && (text & Paging.Writable) == 0, "kernel text is read-only");
                t.Check((text & Paging.NoExecute) == 0, "kernel text is executable");
                ulong rodata = Paging.Query(image.RodataStart);
                t.Check(rodata != 0 && (rodata & Paging.Writable) == 0, "rodata is read-only");
                ulong data = Paging.Query(image.DataStart);
                t.Check(data != 0 && (data & Paging.Writable) != 0, "data is writable");
                if (Paging.NoExecuteEnabled)
                    t.Check((data & Paging.NoExecute) != 0 && (rodata & Paging.NoExecute) != 0, "data and rodata are no-execute");
                ulong page = PhysicalMemory.AllocatePage();
                ulong entry = Paging.Query(DirectMap.ToVirtual(page));
                t.Check(entry != 0 && (entry & Paging.Writable) != 0, "allocated RAM is mapped writable in the direct map");
                t.Equal((long)page, (long)DirectMap.ToPhysical(DirectMap.ToVirtual(page)), "direct map round trip");
                *(ulong*)DirectMap.Pointer(page) = 0x1234;
                t.Equal(0x1234, (long)*(ulong*)DirectMap.Pointer(page), "write through the direct map");
                ulong textPhysical = Paging.Query(image.TextStart) & 0x000F_FFFF_FFFF_F000UL;
                t.Equal((long)KernelImage.ToPhysical(image.TextStart), (long)textPhysical, "the image is mapped at its load address");
                PhysicalMemory.FreePages(page, 1);
            }
        }

        private sealed unsafe class HeapTest : SelfTest
        {
            public override string Name => "memory: heap size classes";

            public override void Run(SelfTestContext t)
            {
                ref SizeClassHeap heap = ref Allocator.Heap;
                // Interrupts off: other worlds and interrupt handlers also allocate from the kernel heap.
                // No collection in between either: it would free other garbage and change the counts.
                System.GC.TryStartNoGCRegion(0);
                ulong flags = Kernel.Arch.Cpu.SaveAndDisableInterrupts();
                ulong pagesBefore = PhysicalMemory.FreePageCount;
                ulong bytesBefore = heap.BytesInUse;
                var arrays = new byte[2000][];
                for (int i = 0; i < arrays.Length; i++)
                    arrays[i] = new byte[(i * 37) % 3000 + 1];
                bool grew = heap.BytesInUse > bytesBefore + 1000000;
                for (int i = 0; i < arrays.Length; i++)
                {
                    Allocator.Free(arrays[i]);
                    arrays[i] = null;
                }
                Allocator.Free(arrays);
                ulong bytesAfter = heap.BytesInUse;
                long pagesHeld = (long)pagesBefore - (long)PhysicalMemory.FreePageCount;
                Kernel.Arch.Cpu.RestoreInterrupts(flags);
                System.GC.EndNoGCRegion();
                t.Check(grew, "heap grew by the allocated bytes");
                t.Equal((long)bytesBefore, (long)bytesAfter, "heap bytes back to the start");
                // Empty slabs go back to the page allocator (one cached slab per class may stay).
                t.Check(pagesHeld <= SizeClassHeap.NumClasses * (SizeClassHeap.SlabBytes / 4096), "freed slabs returned their pages");
            }
        }
    }
}
