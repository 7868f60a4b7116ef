// GptWriter.cs -- a GUID partition table as the UEFI specification (chapter 5) lays it out: a protective MBR at LBA 0
// (one 0xEE entry covering the disk, so MBR-only tools see the disk as in use), the primary header at LBA 1 with its
// 128-entry array at LBA 2-33, and the backup array and header at the end of the disk (header in the last sector).
using System.Buffers.Binary;
using System.Text;

namespace Vmk.ImageBuilder.Disk;

public sealed record GptPartition(ulong FirstLba, ulong LastLba, Guid Type, Guid Unique, string Name);

public static class GptWriter
{
    public const int SectorSize = 512, EntryCount = 128, EntrySize = 128;
    public const int EntrySectors = EntryCount * EntrySize / SectorSize;   // 32
    public const ulong FirstUsableLba = 2 + EntrySectors;                  // 34

    public static readonly Guid BiosBoot = new("21686148-6449-6E6F-744E-656564454649");
    public static readonly Guid EfiSystem = new("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    public static readonly Guid BasicData = new("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");

    public static ulong LastUsableLba(ulong diskSectors) => diskSectors - 1 - EntrySectors - 1;

    /// <summary>Writes the protective MBR's partition area (0x1BE..0x1FF), both headers and both entry arrays.
    /// Bytes 0..0x1BD of LBA 0 (the boot code) are left as they are.</summary>
    public static void Write(Stream disk, ulong diskSectors, Guid diskGuid, IReadOnlyList<GptPartition> partitions)
    {
        if (partitions.Count > EntryCount)
        {
            throw new ImageBuildException($"GPT: {partitions.Count} partitions, at most {EntryCount}");
        }
        ulong lastUsable = LastUsableLba(diskSectors);
        foreach (var p in partitions)
        {
            if (p.FirstLba < FirstUsableLba || p.LastLba > lastUsable || p.LastLba < p.FirstLba)
            {
                throw new ImageBuildException($"GPT: partition '{p.Name}' ({p.FirstLba}..{p.LastLba}) outside {FirstUsableLba}..{lastUsable}");
            }
        }

        var mbrTail = new byte[SectorSize - 0x1BE];
        Span<byte> entry0 = mbrTail.AsSpan(0, 16);
        entry0[1] = 0x00; entry0[2] = 0x02; entry0[3] = 0x00;     // CHS of LBA 1
        entry0[4] = 0xEE;
        entry0[5] = 0xFF; entry0[6] = 0xFF; entry0[7] = 0xFF;     // CHS beyond what CHS can say
        BinaryPrimitives.WriteUInt32LittleEndian(entry0[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(entry0[12..], (uint)Math.Min(diskSectors - 1, uint.MaxValue));
        mbrTail[^2] = 0x55;
        mbrTail[^1] = 0xAA;
        WriteAt(disk, 0x1BE, mbrTail);

        var entries = new byte[EntryCount * EntrySize];
        for (int i = 0; i < partitions.Count; i++)
        {
            var p = partitions[i];
            Span<byte> e = entries.AsSpan(i * EntrySize, EntrySize);
            p.Type.TryWriteBytes(e);                 // GUIDs on disk are in the mixed-endian layout .NET writes
            p.Unique.TryWriteBytes(e[16..]);
            BinaryPrimitives.WriteUInt64LittleEndian(e[32..], p.FirstLba);
            BinaryPrimitives.WriteUInt64LittleEndian(e[40..], p.LastLba);
            byte[] name = Encoding.Unicode.GetBytes(p.Name);
            if (name.Length > 72)
            {
                throw new ImageBuildException($"GPT: partition name '{p.Name}' longer than 36 UTF-16 units");
            }
            name.CopyTo(e[56..]);
        }
        uint entriesCrc = Crc32.Compute(entries);
        ulong backupHeader = diskSectors - 1, backupEntries = backupHeader - EntrySectors;

        WriteAt(disk, 2L * SectorSize, entries);
        WriteAt(disk, (long)backupEntries * SectorSize, entries);
        WriteAt(disk, SectorSize, Header(1, backupHeader, 2, diskSectors, diskGuid, entriesCrc));
        WriteAt(disk, (long)backupHeader * SectorSize, Header(backupHeader, 1, backupEntries, diskSectors, diskGuid, entriesCrc));
    }

    private static byte[] Header(ulong myLba, ulong alternateLba, ulong entriesLba, ulong diskSectors, Guid diskGuid, uint entriesCrc)
    {
        var h = new byte[SectorSize];
        Encoding.ASCII.GetBytes("EFI PART").CopyTo(h, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), 0x00010000);   // revision 1.0
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(12), 92);          // header size
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(24), myLba);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(32), alternateLba);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(40), FirstUsableLba);
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(48), LastUsableLba(diskSectors));
        diskGuid.TryWriteBytes(h.AsSpan(56));
        BinaryPrimitives.WriteUInt64LittleEndian(h.AsSpan(72), entriesLba);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(80), EntryCount);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(84), EntrySize);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(88), entriesCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(16), Crc32.Compute(h.AsSpan(0, 92)));   // CRC field zero while summed
        return h;
    }

    internal static void WriteAt(Stream disk, long offset, ReadOnlySpan<byte> data)
    {
        disk.Position = offset;
        disk.Write(data);
    }
}
