// Idt.cs -- the interrupt descriptor table: 256 gates into the stubs of isr.asm.
using Kernel.Arch;

namespace Kernel.Interrupts
{
    public static unsafe class Idt
    {
        public const int DoubleFault = 8;
        public const int NonMaskable = 2;
        public const int MachineCheck = 18;

        private struct Table
        {
            public fixed ulong Gates[256 * 2];
        }

        private static Table s_table;

        public static void Initialize()
        {
            ulong* stubs = Cpu.InterruptStubs();
            fixed (ulong* gates = s_table.Gates)
            {
                for (int v = 0; v < 256; v++)
                {
                    // Faults that can strike with a broken stack get their own stacks (IST): double fault (a stack
                    // overflow ends there), NMI and machine check. Everything else runs on the current stack, which
                    // is what lets a world switch happen inside an interrupt later.
                    ulong ist = v == DoubleFault ? 1UL : v == NonMaskable || v == MachineCheck ? 2UL : 0UL;
                    ulong handler = stubs[v];
                    gates[v * 2] = (handler & 0xFFFF) | (0x08UL << 16) | (ist << 32) | (0x8EUL << 40) | (((handler >> 16) & 0xFFFF) << 48);
                    gates[v * 2 + 1] = handler >> 32;
                }
            }
            LoadOnThisCpu();
        }

        /// <summary>Loads the one IDT on the calling CPU (every CPU shares it; the IST stacks differ by TSS).</summary>
        public static void LoadOnThisCpu()
        {
            fixed (ulong* gates = s_table.Gates)
            {
                byte* descriptor = stackalloc byte[10];
                *(ushort*)descriptor = 256 * 16 - 1;
                *(ulong*)(descriptor + 2) = (ulong)gates;
                Cpu.LoadIdt(descriptor);
            }
        }
    }
}
