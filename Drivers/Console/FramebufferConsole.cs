// FramebufferConsole.cs -- text console on a linear 32-bit framebuffer (UEFI GOP via multiboot2).
// Placeholder until the bitmap font lands: reports unavailable, so output goes to serial only.
using Kernel.Boot;

namespace Drivers.Console
{
    public static class FramebufferConsole
    {
        public static bool TryInitialize(FramebufferInfo info) => false;

        public static void Write(char c)
        {
        }

        public static void EnterPanicMode()
        {
        }
    }
}
