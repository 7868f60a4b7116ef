// Pic8259.cs -- the legacy 8259 interrupt controller pair: remapped to vectors 32-47, all lines masked until a
// driver unmasks its IRQ, end-of-interrupt after each legacy IRQ.
using Kernel.Arch;
using Kernel.Interrupts;

namespace Drivers.Timers
{
    public static unsafe class Pic8259
    {
        private const ushort MASTER_COMMAND = 0x20, MASTER_DATA = 0x21, SLAVE_COMMAND = 0xA0, SLAVE_DATA = 0xA1;
        private const byte END_OF_INTERRUPT = 0x20;
        private static ushort s_mask = 0xFFFF;

        public static void Initialize()
        {
            Cpu.OutByte(MASTER_COMMAND, 0x11);     // ICW1: initialize, expect ICW4
            Cpu.OutByte(SLAVE_COMMAND, 0x11);
            Cpu.OutByte(MASTER_DATA, InterruptDispatch.FirstIrqVector);
            Cpu.OutByte(SLAVE_DATA, InterruptDispatch.FirstIrqVector + 8);
            Cpu.OutByte(MASTER_DATA, 0x04);        // slave on IRQ2
            Cpu.OutByte(SLAVE_DATA, 0x02);
            Cpu.OutByte(MASTER_DATA, 0x01);        // 8086 mode
            Cpu.OutByte(SLAVE_DATA, 0x01);
            s_mask = 0xFFFF & ~(1 << 2);           // cascade line stays open
            WriteMask();
            InterruptDispatch.SetEndOfInterrupt(&EndOfInterrupt);
        }

        public static void Unmask(int irq)
        {
            s_mask &= (ushort)~(1 << irq);
            WriteMask();
        }

        /// <summary>Every line masked (the IOAPIC delivers the ISA IRQs from now on).</summary>
        public static void MaskAll()
        {
            s_mask = 0xFFFF;
            WriteMask();
        }

        public static void Mask(int irq)
        {
            s_mask |= (ushort)(1 << irq);
            WriteMask();
        }

        private static void WriteMask()
        {
            Cpu.OutByte(MASTER_DATA, (byte)s_mask);
            Cpu.OutByte(SLAVE_DATA, (byte)(s_mask >> 8));
        }

        private static void EndOfInterrupt(int vector)
        {
            int irq = vector - InterruptDispatch.FirstIrqVector;
            if (irq < 0 || irq >= 16)
                return;
            if (irq >= 8)
                Cpu.OutByte(SLAVE_COMMAND, END_OF_INTERRUPT);
            Cpu.OutByte(MASTER_COMMAND, END_OF_INTERRUPT);
        }
    }
}
