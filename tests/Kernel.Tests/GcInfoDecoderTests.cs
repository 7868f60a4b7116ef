// GcInfoDecoderTests.cs -- the GC info decoder (Runtime/Internal/Runtime/GcInfo) against the real thing: every
// method of the kernel ILC built. What can fail, and why it means a decoding error:
//   - a method's code length must equal its FDE's range (the unwinder's data, a separate table) when it has no
//     funclets, and cover the funclets when it has them;
//   - every safe point must be the return address of a call instruction, as objdump disassembles the image (GC info
//     version 4 records the return address itself, where older versions recorded it minus one);
//   - at a safe point the only live registers can be the ones System V preserves across calls, and rax/rdx (the
//     call's result): no other scratch register survives a call; frame-register slots need a frame register;
//   - every safe point and every offset of every interruptible range must decode (run-length vectors must add up
//     to the slot count, slot indices must stay in the table).
// A bit read at a wrong position anywhere makes one of these fail across thousands of methods.
using System.Diagnostics;
using Internal.Runtime.GcInfo;
using Internal.Runtime.Unwinding;
using Xunit.Abstractions;

namespace Vmk.Kernel.Tests;

public sealed unsafe class GcInfoDecoderTests(ITestOutputHelper output)
{
    private static readonly Lazy<KernelImage> s_image = new(KernelImage.Load);
    private static readonly Lazy<HashSet<ulong>> s_callReturns = new(DisassembleCallReturnAddresses);

    private static KernelImage Image => s_image.Value;

    // Every main body and funclet with its method information.
    private static List<(ulong Start, ulong End, MethodInfo Info)> Functions()
    {
        var image = Image;
        (ulong hdrStart, _) = image.Section(".eh_frame_hdr");
        byte* header = image.At(hdrStart);
        Assert.Equal(1, header[0]);
        Assert.Equal(0x3B, header[3]);                            // datarel | sdata4 table, as ld writes it
        int count = *(int*)(header + 8);
        int* table = (int*)(header + 12);
        var result = new List<(ulong, ulong, MethodInfo)>();
        for (int i = 0; i < count; i++)
        {
            byte* entry = header + table[i * 2 + 1];
            Assert.True(FrameDescription.TryParse(entry, out FrameDescription fde));
            MethodInfo info = MethodInfo.From(ref fde);
            result.Add((image.VaddrOf(fde.PcBegin), image.VaddrOf(fde.PcEnd), info));
        }
        return result;
    }

    private static HashSet<ulong> DisassembleCallReturnAddresses()
    {
        var psi = new ProcessStartInfo("objdump", $"-d --no-show-raw-insn \"{Image.Path}\"") { RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        var returns = new HashSet<ulong>();
        bool previousWasCall = false;
        string line;
        while ((line = process.StandardOutput.ReadLine()) != null)
        {
            // "ffffffff801003c3:\tcall   ffffffff80125cb0 <KernelEntry>" (objdump pads shorter addresses with
            // spaces); label lines ("ffffffff80100000 <_start32>:") and headings do not parse as an address.
            int colon = line.IndexOf(':');
            if (colon <= 0 || !ulong.TryParse(line.AsSpan(0, colon).Trim(), System.Globalization.NumberStyles.HexNumber, null, out ulong address))
                continue;
            if (previousWasCall)
                returns.Add(address);
            string instruction = line[(colon + 1)..].Trim();
            previousWasCall = instruction.StartsWith("call");
        }
        process.WaitForExit();
        return returns;
    }

    // The current method's slot table, each slot decoded afresh from the start (TryGetSlot): every slot an
    // enumeration reports (through the decoder's cache and its resumed cursor) must be one of these.
    private static HashSet<(bool, bool, byte, GcStackBase, int, byte)> s_table = new();

    private static (bool, bool, byte, GcStackBase, int, byte) Key(GcSlot slot)
        => (slot.IsRegister, slot.IsUntracked, slot.Register, slot.Base, slot.IsRegister ? 0 : slot.Offset, slot.Flags);

    private struct Check
    {
        public int Registers, ScratchRegisters, StackSlots, FrameSlotsWithoutFrame, Untracked, NotInTable;
        public bool HasFrameRegister;
    }

    private static void Count(void* context, GcSlot* slot)
    {
        var c = (Check*)context;
        if (!s_table.Contains(Key(*slot)))
            c->NotInTable++;
        if (slot->IsRegister)
        {
            c->Registers++;
            // rax and rdx hold a call's return value at its return address; any other scratch register cannot
            // carry a reference across a call.
            if (!GcSlot.IsCalleeSavedEncoded(slot->Register) && slot->Register != 0 && slot->Register != 2)
                c->ScratchRegisters++;
        }
        else
        {
            c->StackSlots++;
            if (slot->IsUntracked)
                c->Untracked++;
            if (slot->Base == GcStackBase.FrameRegister && !c->HasFrameRegister)
                c->FrameSlotsWithoutFrame++;
        }
    }

    [Fact]
    public void EveryMethodOfTheKernel_Decodes_AndAgreesWithTheUnwindDataAndTheDisassembly()
    {
        var functions = Functions();
        HashSet<ulong> callReturns = s_callReturns.Value;
        int methods = 0, withFunclets = 0, safePoints = 0, safePointsNotAfterCall = 0, interruptibleMethods = 0, interruptibleOffsets = 0;
        int indirectTables = 0, largeTables = 0, liveRegisters = 0, liveStackSlots = 0, untracked = 0, slimHeaders = 0;
        var failures = new List<string>();
        foreach (var (start, end, info) in functions)
        {
            if (info.IsFunclet)
            {
                Assert.True(info.MethodStart < info.FunctionStart);
                continue;
            }
            Assert.True(info.GCInfo != null, $"no GC info at {start:x}");
            methods++;
            var decoder = new GcInfoDecoder();
            if (!decoder.Init(info.GCInfo))
            {
                failures.Add($"{start:x}: header");
                continue;
            }
            if (decoder.IsSlimHeader)
                slimHeaders++;
            ulong fdeLength = end - start;
            if (info.EHInfo == null)
            {
                if (decoder.CodeLength != fdeLength)
                    failures.Add($"{start:x}: code length {decoder.CodeLength}, FDE {fdeLength}");
            }
            else
            {
                withFunclets++;
                if (decoder.CodeLength < fdeLength)
                    failures.Add($"{start:x}: code length {decoder.CodeLength} < FDE {fdeLength}");
            }

            if (decoder.NumSafePoints != 0 && decoder.NumTrackedSlots != 0)
            {
                var bits = new GcInfoBitReader(info.GCInfo) { Position = decoder.LiveStatePosition };
                if (bits.ReadBit())
                    indirectTables++;
            }
            if (decoder.NumSlots > 16)
                largeTables++;
            s_table = new();
            for (uint i = 0; i < decoder.NumSlots; i++)
            {
                Assert.True(decoder.TryGetSlot(i, out GcSlot slot));
                s_table.Add(Key(slot));
            }
            var check = new Check { HasFrameRegister = decoder.StackBaseRegister >= 0 };
            uint previous = 0;
            for (uint i = 0; i < decoder.NumSafePoints; i++)
            {
                uint offset = decoder.GetSafePoint(i);
                safePoints++;
                if (offset >= decoder.CodeLength || (i > 0 && offset <= previous))
                    failures.Add($"{start:x}: safe point {i} at {offset} (code length {decoder.CodeLength}, previous {previous})");
                previous = offset;
                if (!callReturns.Contains(start + offset))
                    safePointsNotAfterCall++;
                Check before = check;
                GcLiveness liveness = decoder.EnumerateLiveSlots(offset, &check, &Count);
                if (liveness != GcLiveness.SafePoint && liveness != GcLiveness.NoTrackedSlots)
                    failures.Add($"{start:x}: safe point at {offset}: {liveness}");
                if (check.ScratchRegisters != before.ScratchRegisters)
                    failures.Add($"{start:x}: a scratch register live across the call at {offset}");
            }
            if (decoder.NumInterruptibleRanges > 0)
                interruptibleMethods++;
            for (uint r = 0; r < decoder.NumInterruptibleRanges; r++)
            {
                decoder.GetInterruptibleRange(r, out uint rangeStart, out uint rangeStop);
                if (rangeStart >= rangeStop || rangeStop > decoder.CodeLength)
                    failures.Add($"{start:x}: range {rangeStart}-{rangeStop}");
                var ignored = new Check { HasFrameRegister = check.HasFrameRegister };
                for (uint offset = rangeStart; offset < rangeStop && offset < decoder.CodeLength; offset++)
                {
                    interruptibleOffsets++;
                    if (decoder.NumSafePoints != 0 && decoder.TryFindSafePoint(offset, out _))
                        continue;
                    GcLiveness liveness = decoder.EnumerateLiveSlots(offset, &ignored, &Count);
                    if (liveness != GcLiveness.Interruptible && liveness != GcLiveness.NoTrackedSlots)
                        failures.Add($"{start:x}: interruptible offset {offset}: {liveness}");
                }
                check.FrameSlotsWithoutFrame += ignored.FrameSlotsWithoutFrame;
                check.NotInTable += ignored.NotInTable;
            }
            if (check.NotInTable != 0)
                failures.Add($"{start:x}: {check.NotInTable} reported slots are not in the slot table");
            if (check.FrameSlotsWithoutFrame != 0)
                failures.Add($"{start:x}: frame-register slots without a frame register");
            liveRegisters += check.Registers;
            liveStackSlots += check.StackSlots;
            untracked += check.Untracked;
        }
        output.WriteLine($"{methods} methods ({slimHeaders} slim headers, {withFunclets} with EH), {safePoints} safe points " +
            $"({safePointsNotAfterCall} not after a call), {interruptibleMethods} with interruptible ranges ({interruptibleOffsets} offsets); " +
            $"{indirectTables} with shared live-state vectors, {largeTables} with more than 16 slots; at safe points: {liveRegisters} live registers, {liveStackSlots} live stack slots ({untracked} untracked)");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)) + $"\n({failures.Count} failures)");
        Assert.True(methods > 1000, $"only {methods} methods");
        Assert.True(safePoints > 1000, $"only {safePoints} safe points");
        Assert.Equal(0, safePointsNotAfterCall);
        Assert.True(indirectTables > 0 && interruptibleMethods > 10, "both live-state forms are exercised");
        Assert.True(liveRegisters > 100 && liveStackSlots > 100, "the kernel's code keeps references in registers and on the stack across calls");
    }
}
