// UnwindingTests.cs -- the unwinder's pure logic on the host (Runtime/Internal/Runtime/Unwinding): LEB128 and
// pointer encodings, CIE/FDE parsing, the CFA program at every point of an ILC-style prologue, the rules ILC does
// not emit, and the PC -> FDE table. (The frame iterator and the dispatch run in the kernel's self-tests.)
using Internal.Runtime.Unwinding;

namespace Vmk.Kernel.Tests;

public sealed unsafe class UnwindingTests
{
    // The DWARF 4 specification's LEB128 examples (figures 22 and 23).
    [Theory]
    [InlineData(new byte[] { 2 }, 2UL)]
    [InlineData(new byte[] { 127 }, 127UL)]
    [InlineData(new byte[] { 0x80, 1 }, 128UL)]
    [InlineData(new byte[] { 0x81, 1 }, 129UL)]
    [InlineData(new byte[] { 0x82, 1 }, 130UL)]
    [InlineData(new byte[] { 0xB9, 0x64 }, 12857UL)]
    public void Uleb128_DecodesTheSpecificationsExamples(byte[] bytes, ulong expected)
    {
        fixed (byte* p = bytes)
        {
            var r = new DwarfReader(p);
            Assert.Equal(expected, r.ReadUleb128());
            Assert.Equal(bytes.Length, (int)(r.Position - p));
        }
    }

    [Theory]
    [InlineData(new byte[] { 2 }, 2L)]
    [InlineData(new byte[] { 0x7E }, -2L)]
    [InlineData(new byte[] { 0xFF, 0 }, 127L)]
    [InlineData(new byte[] { 0x81, 0x7F }, -127L)]
    [InlineData(new byte[] { 0x80, 1 }, 128L)]
    [InlineData(new byte[] { 0x80, 0x7F }, -128L)]
    [InlineData(new byte[] { 0x81, 1 }, 129L)]
    [InlineData(new byte[] { 0xFF, 0x7E }, -129L)]
    public void Sleb128_DecodesTheSpecificationsExamples(byte[] bytes, long expected)
    {
        fixed (byte* p = bytes)
        {
            var r = new DwarfReader(p);
            Assert.Equal(expected, r.ReadSleb128());
            Assert.Equal(bytes.Length, (int)(r.Position - p));
        }
    }

    [Fact]
    public void EncodedPointers_PcRelativeAndDataRelative()
    {
        byte[] bytes = new byte[16];
        BitConverter.GetBytes(-8).CopyTo(bytes, 0);
        BitConverter.GetBytes(0x40).CopyTo(bytes, 4);
        fixed (byte* p = bytes)
        {
            var r = new DwarfReader(p);
            Assert.True(r.TryReadEncodedPointer(0x1B, 0, out ulong pcrel));
            Assert.Equal((ulong)p - 8, pcrel);
            Assert.True(r.TryReadEncodedPointer(0x3B, 0x1000, out ulong datarel));
            Assert.Equal(0x1040UL, datarel);
            Assert.False(r.TryReadEncodedPointer(0x2B, 0, out _));            // text-relative: not in a kernel image
        }
    }

    // An ILC prologue at C: push rbp (C+0), push r15 (C+1), push rbx (C+3), sub rsp, 16 (C+4), lea rbp, [rsp+16]
    // (C+8), body from C+13. Its CFI as ILC writes it.
    private static readonly byte[] IlcPrologue =
    [
        0x41, 0x0E, 16, 0x86, 2,        // C+1: CFA = rsp+16, rbp at CFA-16
        0x42, 0x0E, 24, 0x8F, 3,        // C+3: CFA = rsp+24, r15 at CFA-24
        0x41, 0x0E, 32, 0x83, 4,        // C+4: CFA = rsp+32, rbx at CFA-32
        0x44, 0x0E, 48,                 // C+8: CFA = rsp+48
        0x45, 0x0D, 6, 0x0E, 16,        // C+13: CFA = rbp+16
    ];

    private const ulong ReturnAddress = 0xFEED_0001, CallerRbp = 0xAAAA, CallerR15 = 0x1515, CallerRbx = 0xBBBB;

    // The stack as the prologue leaves it when called with rsp = S: [S] return address, [S-8] rbp, [S-16] r15, [S-24] rbx.
    private static ulong FillStack(EhFrameBuilder eh)
    {
        ulong s = (ulong)(eh.Stack + 64);
        *(ulong*)s = ReturnAddress;
        *(ulong*)(s - 8) = CallerRbp;
        *(ulong*)(s - 16) = CallerR15;
        *(ulong*)(s - 24) = CallerRbx;
        return s;
    }

    private static RegisterContext Unwind(EhFrameBuilder eh, int fde, ulong pc, RegisterContext context)
    {
        Assert.True(FrameDescription.TryParse(eh.Base + fde, out FrameDescription description));
        CfaProgram program = default;
        Assert.True(program.TryRun(ref description, pc));
        Assert.True(program.TryApply(ref context, description.ReturnAddressRegister));
        return context;
    }

    [Theory]
    [InlineData(0, 0, 0UL, 0UL, 0UL)]                 // before the first push: only the return address is saved
    [InlineData(1, 8, CallerRbp, 0UL, 0UL)]
    [InlineData(3, 16, CallerRbp, CallerR15, 0UL)]
    [InlineData(4, 24, CallerRbp, CallerR15, CallerRbx)]
    [InlineData(8, 40, CallerRbp, CallerR15, CallerRbx)]
    public void CfaProgram_UnwindsEveryPointOfTheProlog(int offset, int pushed, ulong rbp, ulong r15, ulong rbx)
    {
        using var eh = new EhFrameBuilder();
        int fde = eh.Fde(eh.Cie(), eh.CodeAddress(0), 64, IlcPrologue);
        ulong s = FillStack(eh);
        var context = new RegisterContext();
        context.Sp = s - (ulong)pushed;
        context[RegisterContext.Rbp] = 0x5555;           // what the callee has in the registers it has not saved
        context[RegisterContext.R15] = 0x6666;
        context[RegisterContext.Rbx] = 0x7777;
        RegisterContext caller = Unwind(eh, fde, eh.CodeAddress(offset), context);
        Assert.Equal(ReturnAddress, caller.Ip);
        Assert.Equal(s + 8, caller.Sp);
        Assert.Equal(rbp == 0 ? 0x5555UL : rbp, caller[RegisterContext.Rbp]);
        Assert.Equal(r15 == 0 ? 0x6666UL : r15, caller[RegisterContext.R15]);
        Assert.Equal(rbx == 0 ? 0x7777UL : rbx, caller[RegisterContext.Rbx]);
    }

    [Fact]
    public void CfaProgram_InTheBodyTheCfaFollowsRbpWhateverRspIs()
    {
        using var eh = new EhFrameBuilder();
        int fde = eh.Fde(eh.Cie(), eh.CodeAddress(0), 64, IlcPrologue);
        ulong s = FillStack(eh);
        var context = new RegisterContext();
        context.Sp = s - 200;                             // a localloc moved rsp
        context[RegisterContext.Rbp] = s - 8;
        RegisterContext caller = Unwind(eh, fde, eh.CodeAddress(40), context);
        Assert.Equal(ReturnAddress, caller.Ip);
        Assert.Equal(s + 8, caller.Sp);
        Assert.Equal(CallerRbp, caller[RegisterContext.Rbp]);
        Assert.Equal(CallerRbx, caller[RegisterContext.Rbx]);
    }

    [Fact]
    public void CfaProgram_RememberRestoreValueOffsetRegisterAndRestore()
    {
        using var eh = new EhFrameBuilder();
        byte[] program =
        [
            0x41, 0x0E, 16, 0x86, 2,            // C+1: CFA = rsp+16, rbp at CFA-16
            0x0A,                               // remember
            0x41, 0x09, 3, 12,                  // C+2: rbx lives in r12
            0x14, 15, 0x7E,                     //       r15's value is CFA + 126 * -8 (val_offset, factored)
            0x41, 0x0B,                         // C+3: restore the remembered row
            0x41, 0xC6,                         // C+4: DW_CFA_restore rbp: back to the CIE's rule (same value)
        ];
        int fde = eh.Fde(eh.Cie(), eh.CodeAddress(0), 16, program);
        ulong s = FillStack(eh);
        var context = new RegisterContext();
        context.Sp = s - 8;
        context[RegisterContext.R12] = 0x1212;
        context[RegisterContext.Rbx] = 0x3333;
        context[RegisterContext.Rbp] = 0x5555;

        RegisterContext atTwo = Unwind(eh, fde, eh.CodeAddress(2), context);
        Assert.Equal(0x1212UL, atTwo[RegisterContext.Rbx]);
        Assert.Equal(s + 8 - 126 * 8, atTwo[RegisterContext.R15]);
        Assert.Equal(CallerRbp, atTwo[RegisterContext.Rbp]);

        RegisterContext atThree = Unwind(eh, fde, eh.CodeAddress(3), context);
        Assert.Equal(0x3333UL, atThree[RegisterContext.Rbx]);
        Assert.Equal(CallerRbp, atThree[RegisterContext.Rbp]);

        RegisterContext atFour = Unwind(eh, fde, eh.CodeAddress(4), context);
        Assert.Equal(0x5555UL, atFour[RegisterContext.Rbp]);
        Assert.Equal(ReturnAddress, atFour.Ip);
    }

    [Fact]
    public void CfaProgram_RefusesExpressions()
    {
        using var eh = new EhFrameBuilder();
        int fde = eh.Fde(eh.Cie(), eh.CodeAddress(0), 16, [0x41, 0x0F, 1, 0x30]);   // DW_CFA_def_cfa_expression
        Assert.True(FrameDescription.TryParse(eh.Base + fde, out FrameDescription description));
        CfaProgram program = default;
        Assert.False(program.TryRun(ref description, eh.CodeAddress(8)));
    }

    [Fact]
    public void FrameDescription_ReadsRangeLsdaAndTheCiesFields()
    {
        using var eh = new EhFrameBuilder();
        ulong lsda = (ulong)(eh.Base + 0x3000);
        int fde = eh.Fde(eh.Cie(), eh.CodeAddress(0x100), 0x80, IlcPrologue, lsda);
        Assert.True(FrameDescription.TryParse(eh.Base + fde, out FrameDescription d));
        Assert.Equal(eh.CodeAddress(0x100), d.PcBegin);
        Assert.Equal(eh.CodeAddress(0x180), d.PcEnd);
        Assert.Equal(lsda, (ulong)d.Lsda);
        Assert.Equal(1UL, d.CodeAlignment);
        Assert.Equal(-8L, d.DataAlignment);
        Assert.Equal(RegisterContext.Rip, d.ReturnAddressRegister);
        Assert.False(FrameDescription.TryParse(eh.Base + 0x100, out _));             // a CIE is not an FDE
    }

    [Fact]
    public void CodeMap_FindsTheFdeCoveringAPcAndNothingBetweenFunctions()
    {
        using var eh = new EhFrameBuilder();
        int cie = eh.Cie();
        // Registered out of order: the header's table is sorted, as ld writes it.
        eh.Fde(cie, eh.CodeAddress(0x200), 0x40, []);
        eh.Fde(cie, eh.CodeAddress(0x000), 0x80, []);
        eh.Fde(cie, eh.CodeAddress(0x100), 0x10, []);
        var (start, end) = eh.Header();
        Assert.True(CodeMap.Register(start, end));
        Assert.Equal(3UL, CodeMap.FdeCount);
        Assert.True(CodeMap.TryFind(eh.CodeAddress(0x7F), out FrameDescription a) && a.PcBegin == eh.CodeAddress(0));
        Assert.True(CodeMap.TryFind(eh.CodeAddress(0x100), out FrameDescription b) && b.PcBegin == eh.CodeAddress(0x100));
        Assert.True(CodeMap.TryFind(eh.CodeAddress(0x23F), out FrameDescription c) && c.PcBegin == eh.CodeAddress(0x200));
        Assert.False(CodeMap.IsManagedCode(eh.CodeAddress(0x80)));                  // between two functions
        Assert.False(CodeMap.IsManagedCode(eh.CodeAddress(0x240)));                 // past the last
        Assert.False(CodeMap.IsManagedCode(eh.CodeAddress(0) - 1));                 // before the first
    }

    [Fact]
    public void CodeMap_RefusesAHeaderItDoesNotUnderstand()
    {
        using var eh = new EhFrameBuilder();
        eh.Fde(eh.Cie(), eh.CodeAddress(0), 0x10, []);
        var (start, end) = eh.Header();
        eh.Base[3] = 0x1B;                                                          // a table encoding ld does not use
        Assert.False(CodeMap.Register(start, end));
        eh.Base[3] = 0x3B;
        Assert.False(CodeMap.Register(start, start + 8));                           // truncated
    }
}
