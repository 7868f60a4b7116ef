// WorldCpuState.cs -- the CPU state that follows the running world beyond its registers: the kernel stack the CPU
// enters on from ring 3 (TSS.RSP0 for interrupts, PerCpu for `syscall`), the address space (CR3) and the user's FS
// base. Loaded on every switch, before the switch itself, with interrupts off.
using Kernel.Arch;
using Kernel.Memory;

namespace Kernel.Worlds
{
    internal static unsafe class WorldCpuState
    {
        private const uint FsBaseMsr = 0xC0000100;

        public static void Load(World next)
        {
            if (next.StackBase != 0)
            {
                ulong top = WorldStack.StackTop(next.StackBase);
                Tss.SetKernelStack(top);
                PerCpu.SetKernelStackTop(top);
            }
            ulong root = next.AddressSpaceRoot != 0 ? next.AddressSpaceRoot : Paging.Root;
            if (Cpu.ReadCr3() != root)
                Cpu.WriteCr3(root);
            TlbShootdown.NoteLoaded(root);
            if (next.IsUser)
                Cpu.WriteMsr(FsBaseMsr, next.UserFsBase);
        }
    }
}
