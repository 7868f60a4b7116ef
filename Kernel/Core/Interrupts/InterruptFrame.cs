// InterruptFrame.cs -- the register frame isr_common (Kernel/Boot/isr.asm) builds on the stack, in push order.
using System.Runtime.InteropServices;

namespace Kernel.Interrupts
{
    [StructLayout(LayoutKind.Sequential)]
    public struct InterruptFrame
    {
        public ulong R15, R14, R13, R12, R11, R10, R9, R8, Rbp, Rdi, Rsi, Rdx, Rcx, Rbx, Rax;
        public ulong Vector, ErrorCode;
        public ulong Rip, Cs, Rflags, Rsp, Ss;   // pushed by the CPU
    }
}
