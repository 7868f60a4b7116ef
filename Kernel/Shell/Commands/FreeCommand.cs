// FreeCommand.cs -- `free`: physical memory and kernel heap statistics, in KiB. Built on a stack LineBuilder, so
// the command itself allocates nothing and its "heap objects live" figure measures everything but itself.
using Kernel.Memory;
using Kernel.Text;

namespace Kernel.Shell.Commands
{
    internal sealed class FreeCommand : ShellCommand
    {
        public override string Name => "free";
        public override string Summary => "physical memory and heap usage (KiB)";

        public override int Run(Shell shell, string[] args)
        {
            // Read every counter first: writing to the shell may allocate (output captured for `> FILE`).
            ulong total = PhysicalMemory.ManagedBytes / 1024;
            ulong free = PhysicalMemory.FreePageCount * 4;
            ulong used = total - free;
            ref Internal.Runtime.SizeClassHeap heap = ref KernelHeap.Statistics;
            ulong heapTotal = heap.BytesFromPages / 1024;
            ulong heapUsed = heap.BytesInUse / 1024;
            ulong heapFree = (heap.BytesFromPages - heap.BytesInUse) / 1024;
            ulong live = heap.LiveObjects;
            ulong allocations = heap.Allocations;
            ulong frees = heap.Frees;
            shell.WriteLine("              total       used       free");
            var line = new LineBuilder();
            line.Append("Mem:   ");
            Columns.Number(ref line, (long)total, 11);
            Columns.Number(ref line, (long)used, 11);
            Columns.Number(ref line, (long)free, 11);
            Columns.WriteLine(shell, ref line);
            line.Append("Heap:  ");
            Columns.Number(ref line, (long)heapTotal, 11);
            Columns.Number(ref line, (long)heapUsed, 11);
            Columns.Number(ref line, (long)heapFree, 11);
            Columns.WriteLine(shell, ref line);
            line.Append("Pages: reserved ");
            line.AppendDecimal(PhysicalMemory.ReservedPages * 4);
            line.Append(" KiB, page tables ");
            line.AppendDecimal((ulong)Paging.TablePages * 4);
            line.Append(" KiB; heap objects live ");
            line.AppendDecimal(live);
            line.Append(", allocations ");
            line.AppendDecimal(allocations);
            line.Append(", frees ");
            line.AppendDecimal(frees);
            Columns.WriteLine(shell, ref line);
            return 0;
        }
    }
}
