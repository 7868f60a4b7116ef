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
        /// <summary>One line for the boot log: which screen the console uses.</summary>
        public static string Describe()
        {
            FramebufferInfo fb = BootInfo.Framebuffer;
            if (fb.Address == 0 || fb.Type == 2)
                return "VGA text 80x25";
            return string.Concat("framebuffer ", fb.Width.ToString(), "x", fb.Height.ToString(),
                string.Concat("x", ((uint)fb.BitsPerPixel).ToString(), KernelOutput.HasScreen ? "" : " (no console driver: serial only)"));
        }

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
