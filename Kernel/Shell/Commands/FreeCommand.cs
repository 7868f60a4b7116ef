// FreeCommand.cs -- `free`: physical memory and kernel heap statistics, in KiB.
using Kernel.Memory;

namespace Kernel.Shell.Commands
{
    internal sealed class FreeCommand : ShellCommand
    {
        public override string Name => "free";
        public override string Summary => "physical memory and heap usage (KiB)";

        public override int Run(Shell shell, string[] args)
        {
            ulong total = PhysicalMemory.ManagedBytes / 1024;
            ulong free = PhysicalMemory.FreePageCount * 4;
            ulong used = total - free;
            ref Internal.Runtime.SizeClassHeap heap = ref KernelHeap.Statistics;
            shell.WriteLine("              total       used       free");
            shell.WriteLine(string.Concat("Mem:   ", Column(total), Column(used), Column(free)));
            shell.WriteLine(string.Concat("Heap:  ", Column(heap.BytesFromPages / 1024), Column(heap.BytesInUse / 1024),
                Column((heap.BytesFromPages - heap.BytesInUse) / 1024)));
            shell.WriteLine(string.Concat("Pages: reserved ", (PhysicalMemory.ReservedPages * 4).ToString(), " KiB, page tables ",
                (Paging.TablePages * 4).ToString(), " KiB; heap objects live ", heap.LiveObjects.ToString(),
                string.Concat(", allocations ", heap.Allocations.ToString(), ", frees ", heap.Frees.ToString())));
            return 0;
        }

        private static string Column(ulong kib) => kib.ToString().PadLeft(11);
    }
}
