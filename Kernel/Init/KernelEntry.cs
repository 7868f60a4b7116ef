// KernelEntry.cs -- the first C# code (called from boot.asm in 64-bit mode): brings the machine up in order,
// then hands over to KernelMain.
//
// Order matters and is the boot path a reader should know:
//   clock start -> serial (so every later failure is visible) -> multiboot information -> screen ->
//   physical pages -> heap -> static data -> page tables -> IDT -> interrupt controller and timers ->
//   interrupts on -> kernel options -> KernelMain (self-tests or the shell).
// Until static data is initialized nothing here may allocate or read a reference-type static.
using System.Runtime.InteropServices;
using Drivers.Console;
using Drivers.Serial;
using Internal.Runtime;
using Kernel.Boot;
using Kernel.Console;
using Kernel.Interrupts;
using Kernel.Memory;
using Kernel.Panic;
using Kernel.Time;

namespace Kernel.Init
{
    public static unsafe class KernelEntry
    {
        [UnmanagedCallersOnly(EntryPoint = "KernelEntry")]
        private static void Entry(uint magic, ulong info)
        {
            Clock.Start();
            if (Uart16550.Initialize())
                KernelOutput.SetSerialSink(&Uart16550.WriteByte);
            RuntimeEnv.SetPanicHandler(&PanicScreen.Show);
            Idt.Initialize();

            if (!Multiboot.Parse(magic, info))
                PanicScreen.Show("vmk was not started by a multiboot boot loader (bad magic); cannot find the memory map");
            Screen.Initialize();
            EarlyOptions.Apply();

            string error = PhysicalMemory.Initialize();
            if (error != null)
                PanicScreen.Show(error);
            error = KernelHeap.Initialize();
            if (error != null)
                PanicScreen.Show(error);
            ref ImageLayout image = ref ImageLayout.Current;
            ModuleInitializer.Run((void**)image.ModulesStart, (void**)image.ModulesEnd);
            KernelState.StaticsReady = true;

            error = Paging.Initialize();
            if (error != null)
                PanicScreen.Show(error);
            KernelState.PagingReady = true;

            KernelMain.Run();
        }
    }
}
