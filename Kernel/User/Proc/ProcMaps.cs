// ProcMaps.cs -- /proc/PID/maps: the address space has no region list (pages are mapped eagerly, page by page), so
// the regions are read off the page tables: runs of contiguous mapped pages with the same rights, named by where
// they lie (the image below the brk start, [heap], [stack] under StackTop, anonymous mmap regions unnamed). A table
// is only followed when the page allocator says its page is in use, so a process exiting on another CPU meanwhile
// can make the listing stale but never make the kernel read outside RAM.
using System.Text;
using Kernel.Memory;

namespace Kernel.User.Proc
{
    public static unsafe class ProcMaps
    {
        private const ulong AddressMask = 0x000F_FFFF_FFFF_F000UL;

        private struct Run
        {
            public ulong Start, End, Rights;
        }

        public static string Text(UserProgram program)
        {
            var text = new StringBuilder(512);
            UserAddressSpace space = program.Space;
            if (space == null || space.Root == 0)
                return "";
            var run = new Run();
            var context = new Walk { Text = text, Program = program, Space = space };
            ulong* pml4 = (ulong*)DirectMap.Pointer(space.Root);
            for (int i = 0; i < 256; i++)
                if ((pml4[i] & Paging.Present) != 0)
                    WalkTable(pml4[i] & AddressMask, 2, (ulong)i << 39, ref run, context);
            Flush(ref run, context);
            return text.ToString();
        }

        private sealed class Walk
        {
            public StringBuilder Text;
            public UserProgram Program;
            public UserAddressSpace Space;
        }

        private static void WalkTable(ulong table, int level, ulong baseAddress, ref Run run, Walk context)
        {
            if (!PhysicalMemory.IsAllocated(table))
                return;
            ulong* entries = (ulong*)DirectMap.Pointer(table);
            int shift = 12 + 9 * level;
            for (int i = 0; i < 512; i++)
            {
                ulong entry = entries[i];
                if ((entry & Paging.Present) == 0)
                    continue;
                ulong address = baseAddress + ((ulong)i << shift);
                if (level > 0)
                {
                    WalkTable(entry & AddressMask, level - 1, address, ref run, context);
                    continue;
                }
                ulong rights = entry & (Paging.Writable | Paging.NoExecute);
                if (run.End == address && run.Rights == rights && Region(context.Space, address) == Region(context.Space, run.Start))
                {
                    run.End += UserAddressSpace.PageSize;
                    continue;
                }
                Flush(ref run, context);
                run = new Run { Start = address, End = address + UserAddressSpace.PageSize, Rights = rights };
            }
        }

        private static void Flush(ref Run run, Walk context)
        {
            if (run.End == 0)
                return;
            int region = Region(context.Space, run.Start);
            string name = region switch
            {
                0 => context.Program.ExecutablePath,
                1 => "[heap]",
                3 => "[stack]",
                _ => null,
            };
            ProcFormat.MapsLine(context.Text, run.Start, run.End, (run.Rights & Paging.Writable) != 0, (run.Rights & Paging.NoExecute) == 0, name);
            run = new Run();
        }

        // 0 the image, 1 the brk heap, 2 anonymous mmap, 3 the stack.
        private static int Region(UserAddressSpace space, ulong address)
        {
            if (address < space.BrkStart)
                return 0;
            if (address < space.BrkEnd)
                return 1;
            if (address >= UserAddressSpace.StackTop - UserAddressSpace.StackPages * UserAddressSpace.PageSize && address < UserAddressSpace.StackTop)
                return 3;
            return 2;
        }
    }
}
