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
        // The run of pages being gathered, and where its lines go.
        private sealed class Walk
        {
            public StringBuilder Text;
            public UserProgram Program;
            public UserAddressSpace Space;
            public ulong Start, End, Rights;
        }

        public static string Text(UserProgram program)
        {
            var text = new StringBuilder(512);
            UserAddressSpace space = program.Space;
            if (space == null || space.Root == 0)
                return "";
            var walk = new Walk { Text = text, Program = program, Space = space };
            Paging.ForEachUserPage(space.Root, walk, &AddPage);
            Flush(walk);
            return text.ToString();
        }

        // A page extends the run when it follows it with the same rights in the same region; else the run is written.
        private static bool AddPage(object context, ulong address, ulong entry)
        {
            var walk = (Walk)context;
            ulong rights = entry & (Paging.Writable | Paging.NoExecute);
            if (walk.End == address && walk.Rights == rights && Region(walk.Space, address) == Region(walk.Space, walk.Start))
            {
                walk.End += UserAddressSpace.PageSize;
                return true;
            }
            Flush(walk);
            walk.Start = address;
            walk.End = address + UserAddressSpace.PageSize;
            walk.Rights = rights;
            return true;
        }

        private static void Flush(Walk walk)
        {
            if (walk.End == 0)
                return;
            string name = Region(walk.Space, walk.Start) switch
            {
                0 => walk.Program.ExecutablePath,
                1 => "[heap]",
                3 => "[stack]",
                _ => null,
            };
            ProcFormat.MapsLine(walk.Text, walk.Start, walk.End, (walk.Rights & Paging.Writable) != 0, (walk.Rights & Paging.NoExecute) == 0, name);
            walk.Start = walk.End = walk.Rights = 0;
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
