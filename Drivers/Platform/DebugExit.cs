// DebugExit.cs -- QEMU's isa-debug-exit device (iobase 0xf4): writing V makes QEMU exit with status (V << 1) | 1.
// Used by tests only: the runner always adds the device; on real hardware the port write is harmless.
using Kernel.Arch;

namespace Drivers.Platform
{
    public static class DebugExit
    {
        public const ushort DEBUG_EXIT_PORT = 0xF4;

        /// <summary>Values the kernel writes; QEMU's exit status is (value * 2) + 1.</summary>
        public const byte SelfTestsPassed = 0x10;   // QEMU exit 33
        public const byte SelfTestsFailed = 0x11;   // QEMU exit 35
        public const byte Panicked = 0x12;          // QEMU exit 37

        public static void Exit(byte value) => Cpu.OutDword(DEBUG_EXIT_PORT, value);
    }
}
