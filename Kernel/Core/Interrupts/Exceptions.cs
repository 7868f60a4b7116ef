// Exceptions.cs -- CPU exceptions in kernel code: a null dereference or a division by zero in managed code becomes
// the .NET exception (ManagedFaults); everything else is a kernel bug and ends in the panic screen.
using Kernel.Arch;
using Kernel.Panic;

namespace Kernel.Interrupts
{
    public static unsafe class Exceptions
    {
        public const int DivideError = 0, DoubleFault = 8, PageFault = 14;

        // A switch, not a static array: the panic path must work before static data is initialized.
        public static string Name(int vector) => vector switch
        {
            0 => "#DE Divide Error",
            1 => "#DB Debug",
            2 => "NMI",
            3 => "#BP Breakpoint",
            4 => "#OF Overflow",
            5 => "#BR Bound Range",
            6 => "#UD Invalid Opcode",
            7 => "#NM Device Not Available",
            8 => "#DF Double Fault",
            10 => "#TS Invalid TSS",
            11 => "#NP Segment Not Present",
            12 => "#SS Stack Fault",
            13 => "#GP General Protection",
            14 => "#PF Page Fault",
            16 => "#MF x87 Floating-Point",
            17 => "#AC Alignment Check",
            18 => "#MC Machine Check",
            19 => "#XM SIMD Floating-Point",
            20 => "#VE Virtualization",
            21 => "#CP Control Protection",
            _ => "Reserved",
        };

        internal static void Handle(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            ulong cr2 = vector == PageFault || vector == DoubleFault ? Cpu.ReadCr2() : 0;
            if (ManagedFaults.TryRaise(frame, vector, cr2))
                return;
            PanicScreen.ShowException(frame, vector, cr2);
        }
    }
}
