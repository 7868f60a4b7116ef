// SyscallFrame.cs -- what k_syscall_entry (Kernel/Boot/user.asm) pushes on the world's kernel stack, lowest
// address first: the user's registers at the `syscall` instruction. The dispatcher reads the number and arguments
// and may change Rip/Rsp (never to a non-canonical or kernel address: sysret would fault in ring 0). Rcx and R11 are
// only used when Number is set to FullRestore on the way out (rt_sigreturn into code a timer interrupted, where both
// registers are live): k_syscall_entry then leaves by iretq with every register from the frame.
using System.Runtime.InteropServices;

namespace Kernel.User
{
    [StructLayout(LayoutKind.Sequential)]
    public struct SyscallFrame
    {
        public ulong R15, R14, R13, R12, Rbp, Rbx;
        public ulong Arg5, Arg4, Arg3, Arg2, Arg1, Arg0;   // r9, r8, r10, rdx, rsi, rdi
        public ulong Number;                               // rax
        public ulong Rip, Rflags, Rsp;                     // rcx, r11, the user's rsp
        public ulong Rcx, R11;                             // for FullRestore only (pushed as 0)

        /// <summary>Number's value on the way out that makes k_syscall_entry restore rcx and r11 too (iretq).</summary>
        public const ulong FullRestore = ulong.MaxValue;
    }
}
