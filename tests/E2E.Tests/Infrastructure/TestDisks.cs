// TestDisks.cs -- raw disk images for the storage tests, written from the specifications with the BCL's GUID layout
// and System.IO.Hashing's CRC-32, independently of the kernel's parser: a GPT (protective MBR, primary header and
// 128-entry array at LBA 1-33, backup array and header at the end) and a classic MBR. Also compiled into
// tests/Kernel.Tests for the host tests of the parser.
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Vmk.E2E.Tests.Infrastructure;

public static class TestDisks
{
    public sealed record GptPartition(ulong First, ulong Last, Guid Type, string Name, ulong Attributes = 0);

    public const int EntryCount = 128, EntrySize = 128;
    private const int EntrySectors = EntryCount * EntrySize / 512;

    public static readonly Guid EfiSystem = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    public static readonly Guid BasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
    public static readonly Guid LinuxNative = new("0FC63DAF-8483-4772-8E79-3D69D8477DE4");

    public static byte[] Gpt(int sectors, params GptPartition[] partitions)
    {
        var disk = new byte[(long)sectors * 512];
        // Protective MBR: one type 0xEE entry covering the disk.
        disk[446 + 4] = 0xEE;
        BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(446 + 8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(446 + 12), (uint)Math.Min(sectors - 1L, uint.MaxValue));
        disk[510] = 0x55;
        disk[511] = 0xAA;
        var entries = new byte[EntryCount * EntrySize];
        for (int i = 0; i < partitions.Length; i++)
        {
            Span<byte> e = entries.AsSpan(i * EntrySize, EntrySize);
            partitions[i].Type.ToByteArray().CopyTo(e);
            Guid.NewGuid().ToByteArray().CopyTo(e[16..]);
            BinaryPrimitives.WriteUInt64LittleEndian(e[32..], partitions[i].First);
            BinaryPrimitives.WriteUInt64LittleEndian(e[40..], partitions[i].Last);
            BinaryPrimitives.WriteUInt64LittleEndian(e[48..], partitions[i].Attributes);
            Encoding.Unicode.GetBytes(partitions[i].Name).CopyTo(e[56..]);
        }
        uint entriesCrc = Crc32.HashToUInt32(entries);
        ulong last = (ulong)sectors - 1;
        ulong firstUsable = 2 + EntrySectors, lastUsable = last - 1 - EntrySectors;
        entries.CopyTo(disk.AsSpan(2 * 512));
        entries.CopyTo(disk.AsSpan((int)((lastUsable + 1) * 512)));
        WriteHeader(disk.AsSpan(512, 512), 1, last, firstUsable, lastUsable, 2, entriesCrc);
        WriteHeader(disk.AsSpan((int)(last * 512), 512), last, 1, firstUsable, lastUsable, lastUsable + 1, entriesCrc);
        return disk;
    }

    private static void WriteHeader(Span<byte> h, ulong my, ulong alternate, ulong firstUsable, ulong lastUsable, ulong entriesLba, uint entriesCrc)
    {
        "EFI PART"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], 0x00010000);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 92);
        BinaryPrimitives.WriteUInt64LittleEndian(h[24..], my);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], alternate);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], firstUsable);
        BinaryPrimitives.WriteUInt64LittleEndian(h[48..], lastUsable);
        Guid.NewGuid().ToByteArray().CopyTo(h[56..]);
        BinaryPrimitives.WriteUInt64LittleEndian(h[72..], entriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(h[80..], EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(h[84..], EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(h[88..], entriesCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], Crc32.HashToUInt32(h[..92]));
    }

    public static byte[] Mbr(int sectors, params (byte Type, uint First, uint Count, bool Boot)[] partitions)
    {
        var disk = new byte[(long)sectors * 512];
        for (int i = 0; i < partitions.Length; i++)
        {
            int at = 446 + i * 16;
            disk[at] = partitions[i].Boot ? (byte)0x80 : (byte)0;
            disk[at + 4] = partitions[i].Type;
            BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(at + 8), partitions[i].First);
            BinaryPrimitives.WriteUInt32LittleEndian(disk.AsSpan(at + 12), partitions[i].Count);
        }
        disk[510] = 0x55;
        disk[511] = 0xAA;
        return disk;
    }
}
