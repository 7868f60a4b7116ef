// GcSlot.cs -- one location the GC info says can hold a reference: a register or a stack slot.
namespace Internal.Runtime.GcInfo
{
    /// <summary>What a stack slot's offset is relative to (GcStackSlotBase in dotnet/runtime's gcinfotypes.h).</summary>
    public enum GcStackBase : byte
    {
        CallerSp = 0,          // the caller's stack pointer: the CFA, just above the return address
        Sp = 1,                // this frame's stack pointer
        FrameRegister = 2,     // the method's stack base register (rbp)
    }

    public struct GcSlot
    {
        public const byte InteriorFlag = 0x1;    // may point inside an object (a byref)
        public const byte PinnedFlag = 0x2;      // the object must not move (nothing moves here)

        /// <summary>True for a register, false for a stack slot.</summary>
        public bool IsRegister;

        /// <summary>An untracked slot: live wherever the method is, reported at every offset.</summary>
        public bool IsUntracked;

        public byte Flags;

        /// <summary>The register in the x86-64 instruction encoding's numbering (rax 0, rcx 1, rdx 2, rbx 3, rsp 4,
        /// rbp 5, rsi 6, rdi 7, r8-r15 8-15), which is not DWARF's (see <see cref="ToDwarfRegister"/>).</summary>
        public byte Register;

        public GcStackBase Base;

        /// <summary>A stack slot's byte offset from its base.</summary>
        public int Offset;

        public bool IsInterior => (Flags & InteriorFlag) != 0;

        /// <summary>The DWARF number (RegisterContext's index) of an encoding-numbered register; -1 for rsp or out of range.</summary>
        public static int ToDwarfRegister(int encoded)
        {
            switch (encoded)
            {
                case 0: return 0;      // rax
                case 1: return 2;      // rcx
                case 2: return 1;      // rdx
                case 3: return 3;      // rbx
                case 5: return 6;      // rbp
                case 6: return 4;      // rsi
                case 7: return 5;      // rdi
                default: return encoded >= 8 && encoded <= 15 ? encoded : -1;    // r8-r15 agree
            }
        }

        /// <summary>True for the registers System V makes a callee preserve (rbx, rbp, r12-r15): the only ones that
        /// can hold a live reference across a call.</summary>
        public static bool IsCalleeSavedEncoded(int encoded) => encoded == 3 || encoded == 5 || (encoded >= 12 && encoded <= 15);
    }
}
