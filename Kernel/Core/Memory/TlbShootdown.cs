// TlbShootdown.cs -- the one place that drops stale translations after a page-table entry is changed or removed.
//
// Every change that narrows a mapping (unmap, mprotect to fewer rights, copy-on-write break) must drop the
// translation on every CPU that may have cached it, not only on the CPU that made the change. Callers say which
// address space and which range; this file decides which CPUs must hear about it. While worlds run on one CPU, the
// local invlpg is the whole job (and only when the space is loaded: another space's entries are flushed by the CR3
// load of the next switch, since user pages are not global). The SMP scheduler extends this to an IPI to the CPUs
// that have the space loaded.
using Kernel.Arch;

namespace Kernel.Memory
{
    public static class TlbShootdown
    {
        const ulong PageSize = 4096;

        /// <summary>Drops the translations of [start, end) in the user address space whose top table is
        /// <paramref name="root"/> (physical). Call after the page-table entries are changed.</summary>
        public static void UserRange(ulong root, ulong start, ulong end)
        {
            if ((Cpu.ReadCr3() & ~0xFFFUL) != root)
                return;
            for (ulong page = start & ~(PageSize - 1); page < end; page += PageSize)
                Cpu.InvalidatePage(page);
        }

        /// <summary>Drops the translations of [start, end) in the kernel half, which every CPU shares.</summary>
        public static void KernelRange(ulong start, ulong end)
        {
            for (ulong page = start & ~(PageSize - 1); page < end; page += PageSize)
                Cpu.InvalidatePage(page);
        }
    }
}
