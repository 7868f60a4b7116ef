// ImageLayout.cs -- where the linker put the kernel image's parts (the k_image_layout table in boot.asm).
using System.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kernel.Boot
{
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageLayout
    {
        // Same order as k_image_layout in Kernel/Boot/boot.asm.
        public ulong ImageStart, ImageEnd;
        public ulong TextStart, TextEnd;
        public ulong RodataStart, RodataEnd;
        public ulong DataStart, BssStart, BssEnd;
        public ulong SymbolsStart, SymbolsEnd;
        public ulong ModulesStart, ModulesEnd;
        public ulong ManagedCodeStart, ManagedCodeEnd;
        public ulong BootStackGuard, BootStackTop;
        public ulong DoubleFaultStackGuard, DoubleFaultStackTop;
        public ulong NmiStackGuard, NmiStackTop;
        public ulong Tss;
        public ulong EhFrameHeaderStart, EhFrameHeaderEnd;    // .eh_frame_hdr: the unwinder's PC -> FDE table

        [MethodImpl(MethodImplOptions.InternalCall), RuntimeImport("*", "k_image_layout_address")]
        private static extern unsafe ImageLayout* Address();

        public static unsafe ref ImageLayout Current => ref *Address();
    }
}
