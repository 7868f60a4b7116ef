// RegisterContext.cs -- the x86-64 general registers of one frame, indexed by their DWARF numbers, which is the
// layout the CFI interpreter and the assembly thunks (Kernel/Boot/exceptions.asm) share.
using System.Runtime.InteropServices;

namespace Internal.Runtime.Unwinding
{
    /// <summary>
    /// Register values of one stack frame. The callee-saved registers (rbx, rbp, r12-r15), rsp and rip are exact in
    /// every frame the iterator yields; the scratch registers are only meaningful in a context captured at a
    /// faulting instruction (a hardware fault), never after an unwind step.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct RegisterContext
    {
        // DWARF register numbers of x86-64 (System V psABI, figure 3.36); rip is the return-address column.
        public const int Rax = 0, Rdx = 1, Rcx = 2, Rbx = 3, Rsi = 4, Rdi = 5, Rbp = 6, Rsp = 7;
        public const int R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15, Rip = 16;
        public const int Count = 17;

        /// <summary>Byte offsets the assembly thunks use (8 * DWARF number).</summary>
        public const int SizeInBytes = Count * 8;

        public fixed ulong Registers[Count];

        public ulong this[int dwarfRegister]
        {
            get => Registers[dwarfRegister];
            set => Registers[dwarfRegister] = value;
        }

        public ulong Ip
        {
            get => Registers[Rip];
            set => Registers[Rip] = value;
        }

        public ulong Sp
        {
            get => Registers[Rsp];
            set => Registers[Rsp] = value;
        }

        public ulong FramePointer => Registers[Rbp];

        /// <summary>True for the registers a callee must preserve (System V): what survives an unwind step.</summary>
        public static bool IsCalleeSaved(int dwarfRegister)
            => dwarfRegister == Rbx || dwarfRegister == Rbp || (dwarfRegister >= R12 && dwarfRegister <= R15);
    }
}
