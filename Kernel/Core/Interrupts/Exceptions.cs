// Exceptions.cs -- CPU exceptions. From ring 3 they belong to the user world (the user-fault handler kills it);
// in kernel code a page fault in the user-memory copy returns -EFAULT (the copy's recovery point), a null
// dereference or a division by zero in managed code becomes the .NET exception (ManagedFaults), and everything else
// is a kernel bug and ends in the panic screen.
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

        private static delegate*<InterruptFrame*, int, ulong, void> s_userFault;
        private static ulong s_userCopyFaultIp, s_userCopyRecover;

        /// <summary>Handles exceptions raised in ring 3 (Kernel/User); it must not return to the faulting code.</summary>
        public static void SetUserFaultHandler(delegate*<InterruptFrame*, int, ulong, void> handler) => s_userFault = handler;

        /// <summary>The one kernel instruction allowed to fault on user memory, and where it resumes when it does.</summary>
        public static void SetUserCopyRecovery(ulong faultIp, ulong recover)
        {
            s_userCopyFaultIp = faultIp;
            s_userCopyRecover = recover;
        }

        internal static void Handle(InterruptFrame* frame)
        {
            int vector = (int)frame->Vector;
            // An NMI may be another CPU's panic stopping this one, or `crash cpu N` (CpuStop); wherever it lands.
            if (vector == 2 && CpuStop.OnNmi(frame))
                return;
            ulong cr2 = vector == PageFault || vector == DoubleFault ? Cpu.ReadCr2() : 0;
            if ((frame->Cs & 3) == 3 && s_userFault != null)
            {
                s_userFault(frame, vector, cr2);
                return;
            }
            if (vector == PageFault && s_userCopyFaultIp != 0 && frame->Rip == s_userCopyFaultIp)
            {
                frame->Rip = s_userCopyRecover;
                return;
            }
            if (ManagedFaults.TryRaise(frame, vector, cr2))
                return;
            PanicScreen.ShowException(frame, vector, cr2);
        }
    }
}
