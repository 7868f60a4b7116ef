// Screen.cs -- picks the console screen: the VGA text screen, or nothing when the firmware left a framebuffer
// only (UEFI) and the framebuffer console is not available.
using Drivers.Console;
using Kernel.Boot;
using Kernel.Console;
using Kernel.Panic;

namespace Kernel.Init
{
    internal static unsafe class Screen
    {
        public static void Initialize()
        {
            if (BootInfo.Framebuffer.Address != 0 && BootInfo.Framebuffer.Type != 2)
            {
                if (FramebufferConsole.TryInitialize(BootInfo.Framebuffer))
                {
                    KernelOutput.SetScreenSink(&FramebufferConsole.Write);
                    PanicScreen.SetScreenMode(&FramebufferConsole.EnterPanicMode);
                }
                return;
            }
            VgaTextConsole.Initialize();
            KernelOutput.SetScreenSink(&VgaTextConsole.Write);
            PanicScreen.SetScreenMode(&VgaTextConsole.EnterPanicMode);
        }
    }
}
