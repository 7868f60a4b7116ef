// Ps2Keyboard.cs -- the PS/2 keyboard on IRQ 1: scan code set 1 to characters (US layout), with shift, caps
// lock and control; arrow keys become the ANSI escape sequences a serial terminal would send, so the shell's
// line editor handles both inputs the same way.
using Internal.Runtime;
using Kernel.Arch;
using Kernel.Interrupts;
using Drivers.Serial;
using Drivers.Timers;

namespace Drivers.Input
{
    public static unsafe class Ps2Keyboard
    {
        // Guards the scan code and character rings: the IRQ handler fills them, the bottom half and readers drain them.
        private static KernelLock s_lock;

        public const int KEYBOARD_IRQ = 1;
        private const ushort DATA_PORT = 0x60, STATUS_PORT = 0x64;

        private static InputRing s_input;
        private static bool s_shift, s_control, s_capsLock, s_extended;

        private const string Normal = "\0\u001b1234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
        private const string Shifted = "\0\u001b!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

        public static void Initialize()
        {
            // Drain anything the firmware left in the controller's output buffer.
            for (int i = 0; i < 16 && (Cpu.InByte(STATUS_PORT) & 1) != 0; i++)
                Cpu.InByte(DATA_PORT);
            InterruptDispatch.SetHandler(InterruptDispatch.FirstIrqVector + KEYBOARD_IRQ, &OnInterrupt, "keyboard (PS/2)");
            Drivers.Apic.IsaIrqs.Unmask(KEYBOARD_IRQ);
        }

        private static InputRing s_scanCodes;
        private static Kernel.Worlds.DriverWorld s_driver;

        /// <summary>Moves scan-code translation into the `driver-keyboard` world (once the scheduler runs).</summary>
        public static void StartDriverWorld() => s_driver = Kernel.Worlds.DriverWorld.Start("keyboard", &BottomHalf);

        // Top half: take the scan codes off the controller; translate here only until the driver world exists.
        private static void OnInterrupt(InterruptFrame* frame)
        {
            while ((Cpu.InByte(STATUS_PORT) & 1) != 0)
            {
                byte code = Cpu.InByte(DATA_PORT);
                if (s_driver != null)
                    s_scanCodes.Put(code);
                else
                    HandleScanCode(code);
            }
            if (s_driver != null)
                s_driver.Signal();
            else
                Kernel.Console.KernelInput.Signal();
        }

        // Bottom half: scan codes to characters, then wake the console reader.
        private static void BottomHalf()
        {
            while (true)
            {
                ulong flags = s_lock.Enter(LockRank.Keyboard);
                int code = s_scanCodes.Take();
                if (code >= 0)
                    HandleScanCode((byte)code);
                s_lock.Exit(flags);
                if (code < 0)
                    break;
            }
            Kernel.Console.KernelInput.Signal();
        }

        /// <summary>Translates one scan code byte; public so the self-tests can feed it.</summary>
        public static void HandleScanCode(byte code)
        {
            if (code == 0xE0)
            {
                s_extended = true;
                return;
            }
            bool released = (code & 0x80) != 0;
            int key = code & 0x7F;
            bool extended = s_extended;
            s_extended = false;
            switch (key)
            {
                case 0x2A:
                case 0x36:
                    s_shift = !released;
                    return;
                case 0x1D:
                    s_control = !released;
                    return;
                case 0x3A:
                    if (!released)
                        s_capsLock = !s_capsLock;
                    return;
            }
            if (released)
                return;
            if (extended)
            {
                char arrow = key switch { 0x48 => 'A', 0x50 => 'B', 0x4D => 'C', 0x4B => 'D', _ => '\0' };
                if (arrow != '\0')
                {
                    s_input.Put(0x1B);
                    s_input.Put((byte)'[');
                    s_input.Put((byte)arrow);
                }
                return;
            }
            if (key >= Normal.Length)
                return;
            char c = s_shift ? Shifted[key] : Normal[key];
            if (c == '\0')
                return;
            if (s_capsLock && char.IsLetter(c))
                c = s_shift ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c);
            if (s_control && char.IsLetter(c))
                c = (char)(char.ToLowerInvariant(c) - 'a' + 1);
            s_input.Put((byte)c);
        }

        /// <summary>Next typed character, or -1.</summary>
        public static int ReadByte()
        {
            ulong flags = s_lock.Enter(LockRank.Keyboard);
            int value = s_input.Take();
            s_lock.Exit(flags);
            return value;
        }
    }
}
