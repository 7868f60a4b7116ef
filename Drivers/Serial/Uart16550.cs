// Uart16550.cs -- the 16550 UART on COM1 at 115200 8N1: polled output, interrupt-driven input (IRQ 4) into a
// ring the shell reads from.
//
// Input is never dropped by the kernel: when the ring is full, the driver stops taking bytes out of the UART (receive
// interrupt off, RTS dropped for senders with hardware flow control) and resumes once the reader has emptied half the
// ring. The UART's FIFO then fills and the sender waits; QEMU stops reading its side of the serial chardev, so piped
// or pasted input waits in the host instead of vanishing. A byte the UART itself lost (overrun: a sender without flow
// control, faster than the FIFO) is counted in DroppedBytes, which the shell uses to discard the damaged line.
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Interrupts;

namespace Drivers.Serial
{
    public static unsafe class Uart16550
    {
        // Guards the receive ring and the Ctrl-C flag: the IRQ handler fills them, any CPU drains them.
        private static KernelLock s_lock;

        public const ushort COM1_BASE = 0x3F8;
        public const int COM1_IRQ = 4;
        private const ushort DATA = 0, INTERRUPT_ENABLE = 1, FIFO_CONTROL = 2, LINE_CONTROL = 3, MODEM_CONTROL = 4, LINE_STATUS = 5, SCRATCH = 7;
        private const byte LINE_STATUS_DATA_READY = 0x01, LINE_STATUS_OVERRUN = 0x02, LINE_STATUS_THR_EMPTY = 0x20;
        private const byte MODEM_DTR_RTS_OUT2 = 0x0B, MODEM_DTR_OUT2 = 0x09, IER_RECEIVED_DATA = 0x01;

        private static ushort s_base;
        private static bool s_present;
        private static InputRing s_input;
        private static bool s_throttled;
        private static bool s_interruptPending;
        private const byte CtrlC = 0x03;
        private static ulong s_overruns;

        public static bool IsPresent => s_present;
        public static ulong ReceivedBytes { get; private set; }
        /// <summary>Bytes lost before the kernel could store them (UART overruns).</summary>
        public static ulong DroppedBytes => s_input.Dropped + s_overruns;

        /// <summary>Times the driver held input back because the ring was full (back-pressure, nothing lost).</summary>
        public static ulong Throttles { get; private set; }

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
            Cpu.OutByte((ushort)(s_base + MODEM_CONTROL), MODEM_DTR_RTS_OUT2);   // OUT2 routes the IRQ
            s_present = true;
            return true;
        }

        /// <summary>Switches input to interrupts (after the IDT and interrupt controller are up).</summary>
        public static void EnableReceiveInterrupt()
        {
            if (!s_present)
                return;
            InterruptDispatch.SetHandler(InterruptDispatch.FirstIrqVector + COM1_IRQ, &OnInterrupt, "serial (COM1)");
            Cpu.OutByte((ushort)(s_base + INTERRUPT_ENABLE), IER_RECEIVED_DATA);
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

        // Moves bytes from the FIFO into the ring while it has room; when it has none, throttles (see the file comment).
        private static void Drain()
        {
            while (true)
            {
                byte status = Cpu.InByte((ushort)(s_base + LINE_STATUS));
                if ((status & LINE_STATUS_OVERRUN) != 0)
                    s_overruns++;
                if ((status & LINE_STATUS_DATA_READY) == 0)
                    return;
                if (s_input.Free == 0)
                {
                    if (!s_throttled)
                    {
                        s_throttled = true;
                        Throttles++;
                        Cpu.OutByte((ushort)(s_base + INTERRUPT_ENABLE), 0);
                        Cpu.OutByte((ushort)(s_base + MODEM_CONTROL), MODEM_DTR_OUT2);
                    }
                    return;
                }
                byte received = Cpu.InByte((ushort)(s_base + DATA));
                if (received == CtrlC)
                    s_interruptPending = true;
                s_input.Put(received);
                ReceivedBytes++;
            }
        }

        // The reader made room: take input again once half the ring is free (hysteresis: not once per byte).
        private static void ResumeIfRoom()
        {
            if (!s_throttled || s_input.Free < InputRing.Capacity / 2)
                return;
            s_throttled = false;
            Cpu.OutByte((ushort)(s_base + MODEM_CONTROL), MODEM_DTR_RTS_OUT2);
            Cpu.OutByte((ushort)(s_base + INTERRUPT_ENABLE), IER_RECEIVED_DATA);
        }

        /// <summary>
        /// True once for each Ctrl-C typed since the last call (long-running shell commands poll it). Everything typed
        /// before the Ctrl-C, and the Ctrl-C itself, is discarded, as a terminal flushes its input on an interrupt.
        /// </summary>
        public static bool TakeInterrupt()
        {
            ulong flags = s_lock.Enter(LockRank.Serial);
            if (s_present)
                Drain();
            bool pending = s_interruptPending;
            s_interruptPending = false;
            if (pending)
                s_input.DiscardThroughLast(CtrlC);
            if (s_present)
                ResumeIfRoom();
            s_lock.Exit(flags);
            return pending;
        }

        /// <summary>Forgets a pending Ctrl-C (the line editor consumed it at the prompt).</summary>
        public static void ClearInterrupt() => s_interruptPending = false;

        /// <summary>Next received byte, or -1 if none is waiting.</summary>
        public static int ReadByte()
        {
            ulong flags = s_lock.Enter(LockRank.Serial);
            // Also poll: covers the window before the IRQ is enabled and a lost edge-triggered interrupt.
            if (s_present)
                Drain();
            int value = s_input.Take();
            if (s_present)
                ResumeIfRoom();
            s_lock.Exit(flags);
            return value;
        }
    }
}
