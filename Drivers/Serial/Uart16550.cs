// Uart16550.cs -- the 16550 UART on COM1 at 115200 8N1: polled output, interrupt-driven input (IRQ 4) into a
// ring the shell reads from.
using Kernel.Arch;
using Kernel.Interrupts;

namespace Drivers.Serial
{
    public static unsafe class Uart16550
    {
        public const ushort COM1_BASE = 0x3F8;
        public const int COM1_IRQ = 4;
        private const ushort DATA = 0, INTERRUPT_ENABLE = 1, FIFO_CONTROL = 2, LINE_CONTROL = 3, MODEM_CONTROL = 4, LINE_STATUS = 5, SCRATCH = 7;
        private const byte LINE_STATUS_DATA_READY = 0x01, LINE_STATUS_THR_EMPTY = 0x20;

        private static ushort s_base;
        private static bool s_present;
        private static InputRing s_input;

        public static bool IsPresent => s_present;
        public static ulong ReceivedBytes { get; private set; }
        public static ulong DroppedBytes => s_input.Dropped;

        /// <summary>Programs the port; returns false if no UART answers (its scratch register does not hold a value).</summary>
        public static bool Initialize(ushort basePort = COM1_BASE)
        {
            s_base = basePort;
            Cpu.OutByte((ushort)(s_base + SCRATCH), 0x5A);
            if (Cpu.InByte((ushort)(s_base + SCRATCH)) != 0x5A)
                return false;
            Cpu.OutByte((ushort)(s_base + INTERRUPT_ENABLE), 0x00);
            Cpu.OutByte((ushort)(s_base + LINE_CONTROL), 0x80);        // divisor latch
            Cpu.OutByte((ushort)(s_base + DATA), 0x01);                // 115200 = 115200 / 1
            Cpu.OutByte((ushort)(s_base + INTERRUPT_ENABLE), 0x00);
            Cpu.OutByte((ushort)(s_base + LINE_CONTROL), 0x03);        // 8N1
            Cpu.OutByte((ushort)(s_base + FIFO_CONTROL), 0xC7);        // FIFO on, cleared, 14-byte threshold
            Cpu.OutByte((ushort)(s_base + MODEM_CONTROL), 0x0B);       // DTR, RTS, OUT2 (routes the IRQ)
            s_present = true;
            return true;
        }

        /// <summary>Switches input to interrupts (after the IDT and interrupt controller are up).</summary>
        public static void EnableReceiveInterrupt()
        {
            if (!s_present)
                return;
            InterruptDispatch.SetHandler(InterruptDispatch.FirstIrqVector + COM1_IRQ, &OnInterrupt);
            Cpu.OutByte((ushort)(s_base + INTERRUPT_ENABLE), 0x01);    // received data available
        }

        public static void WriteByte(byte value)
        {
            if (!s_present)
                return;
            for (int spins = 0; spins < 100000 && (Cpu.InByte((ushort)(s_base + LINE_STATUS)) & LINE_STATUS_THR_EMPTY) == 0; spins++)
                Cpu.Pause();
            Cpu.OutByte((ushort)(s_base + DATA), value);
        }

        private static Kernel.Worlds.DriverWorld s_driver;

        /// <summary>Moves the work after the FIFO drain into the `driver-serial` world (once the scheduler runs).</summary>
        public static void StartDriverWorld()
        {
            if (s_present)
                s_driver = Kernel.Worlds.DriverWorld.Start("serial", &BottomHalf);
        }

        // Top half: empty the FIFO (it holds only 16 bytes), then hand over.
        private static void OnInterrupt(InterruptFrame* frame)
        {
            Drain();
            if (s_driver != null)
                s_driver.Signal();
            else
                Kernel.Console.KernelInput.Signal();
        }

        // Bottom half: wake whoever reads the console.
        private static void BottomHalf() => Kernel.Console.KernelInput.Signal();

        private static void Drain()
        {
            while ((Cpu.InByte((ushort)(s_base + LINE_STATUS)) & LINE_STATUS_DATA_READY) != 0)
            {
                s_input.Put(Cpu.InByte((ushort)(s_base + DATA)));
                ReceivedBytes++;
            }
        }

        /// <summary>Next received byte, or -1 if none is waiting.</summary>
        public static int ReadByte()
        {
            ulong flags = Cpu.SaveAndDisableInterrupts();
            // Also poll: covers the window before the IRQ is enabled and a lost edge-triggered interrupt.
            if (s_present)
                Drain();
            int value = s_input.Take();
            Cpu.RestoreInterrupts(flags);
            return value;
        }
    }
}
