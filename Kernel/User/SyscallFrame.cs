// SyscallFrame.cs -- what k_syscall_entry (Kernel/Boot/user.asm) pushes on the world's kernel stack, lowest
// address first: the user's registers at the `syscall` instruction. The dispatcher reads the number and arguments
// and may change Rip/Rsp (never to a non-canonical or kernel address: sysret would fault in ring 0).
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
    }
}
