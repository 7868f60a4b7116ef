// KernelEntry.cs -- the first C# code (called from boot.asm in 64-bit mode): brings the machine up in order,
// then hands over to KernelMain.
//
// Order matters and is the boot path a reader should know:
//   clock start -> serial (so every later failure is visible) -> unwind tables (exceptions) -> multiboot information -> screen ->
//   physical pages -> heap -> static data -> page tables -> IDT -> interrupt controller and timers ->
//   interrupts on -> kernel options -> KernelMain (self-tests or the shell).
// Until static data is initialized nothing here may allocate or read a reference-type static.
using System.Runtime.InteropServices;
using Drivers.Console;
using Drivers.Serial;
using Internal.Runtime;
using Internal.Runtime.Unwinding;
using Kernel.Boot;
using Kernel.Console;
using Kernel.Interrupts;
using Kernel.Memory;
using Kernel.Panic;
using Kernel.Time;
using Kernel.Sync;
using Kernel.Worlds;

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
            ref ImageLayout image = ref ImageLayout.Current;
            if (!CodeMap.Register(image.EhFrameHeaderStart, image.EhFrameHeaderEnd))
                PanicScreen.Show("the image has no usable .eh_frame_hdr: exceptions cannot be dispatched");
            UnhandledExceptionPolicy.Install();
            TypeNameResolver.SetResolver(&SymbolTable.MangledTypeName);
            ObjectLocks.Install();
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
