// EhFrameBuilder.cs -- writes .eh_frame / .eh_frame_hdr bytes the way ILC and ld do, into native memory (pointers
// in them are relative to their own address, so the bytes must not move), with room for fake code and a fake stack.
using System.Runtime.InteropServices;

namespace Vmk.Kernel.Tests;

internal sealed unsafe class EhFrameBuilder : IDisposable
{
    public const int Size = 1 << 20;
    public readonly byte* Base = (byte*)NativeMemory.AllocZeroed(Size);
    private int _at = 0x100;             // .eh_frame starts here; the header goes at 0
    private readonly List<(ulong Start, int Fde)> _fdes = [];

    public ulong CodeAddress(int offset) => (ulong)(Base + 0x40000 + offset);

    public ulong* Stack => (ulong*)(Base + 0x80000);

    /// <summary>ILC's CIE: "zLR", code alignment 1, data alignment -8, return address r16, LSDA and FDE pointers
    /// pc-relative sdata4, initial CFA = rsp + 8 with the return address at CFA - 8.</summary>
    public int Cie()
    {
        int start = _at;
        var body = new List<byte> { 0, 0, 0, 0, 1, (byte)'z', (byte)'L', (byte)'R', 0, 1, 0x78, 16, 2, 0x1B, 0x1B };
        body.AddRange([0x0C, 7, 8, 0x90, 1]);
        Emit(start, body);
        return start;
    }

    /// <summary>An FDE for [code, code + length) with the given CFA instructions and an LSDA pointer (0 = none).</summary>
    public int Fde(int cie, ulong code, uint length, byte[] instructions, ulong lsda = 0)
    {
        int start = _at;
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(start + 4 - cie));                                       // CIE pointer
        body.AddRange(BitConverter.GetBytes((int)((long)code - (long)(Base + start + 8))));          // pc_begin, pcrel
        body.AddRange(BitConverter.GetBytes(length));                                                 // pc_range
        body.Add(4);                                                                                  // augmentation length
        body.AddRange(BitConverter.GetBytes(lsda == 0 ? 0 : (int)((long)lsda - (long)(Base + start + 17))));
        body.AddRange(instructions);
        Emit(start, body);
        _fdes.Add((code, start));
        return start;
    }

    /// <summary>ld's .eh_frame_hdr at offset 0: version 1, eh_frame_ptr pcrel sdata4, count udata4, table datarel
    /// sdata4, entries sorted by start.</summary>
    public (ulong Start, ulong End) Header()
    {
        byte* h = Base;
        h[0] = 1;
        h[1] = 0x1B;
        h[2] = 0x03;
        h[3] = 0x3B;
        *(int*)(h + 4) = 0x100 - 4;
        *(uint*)(h + 8) = (uint)_fdes.Count;
        int at = 12;
        foreach (var (start, fde) in _fdes.OrderBy(f => f.Start))
        {
            *(int*)(h + at) = (int)((long)start - (long)h);
            *(int*)(h + at + 4) = fde;
            at += 8;
        }
        return ((ulong)h, (ulong)(h + at));
    }

    private void Emit(int start, List<byte> body)
    {
        while ((body.Count + 4) % 8 != 0)
            body.Add(0);                                                                              // DW_CFA_nop padding
        *(int*)(Base + start) = body.Count;
        for (int i = 0; i < body.Count; i++)
            Base[start + 4 + i] = body[i];
        _at = start + 4 + body.Count;
    }

    public void Dispose() => NativeMemory.Free(Base);
}
