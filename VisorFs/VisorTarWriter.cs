// VisorTarWriter.cs -- writes ESXi visor-tar archives (all headers first, data after) for the image tool and tests.

using System;
using System.Collections.Generic;

namespace VisorFs;

/// <summary>One member to write.</summary>
public sealed class VisorTarMember
{
    public string Path = "";
    public TarEntryType Type = TarEntryType.File;
    /// <summary>Permission bits (07777).</summary>
    public int Mode = 0x1A4; // 0644
    public int Uid;
    public int Gid;
    public long ModificationTime;
    /// <summary>File contents (files only).</summary>
    public byte[]? Data;
    /// <summary>Symlink or hard link target.</summary>
    public string LinkTarget = "";
    public uint TextOffset;
    public uint TextSize;
    public uint FixupPageCount;

    public VisorTarMember()
    {
    }

    public VisorTarMember(string path, int mode, TarEntryType type, byte[]? data)
    {
        Path = path;
        Mode = mode;
        Type = type;
        Data = data;
    }
}

/// <summary>
/// Writes the visor-tar layout that <see cref="TarIndex"/> reads: one 512-byte header per member (plus a GNU 'L'/'K'
/// header before it when its path or link target exceeds 100 bytes), every header carrying the magic "visor " at
/// 257 and the absolute offset of its data at 0x1F0; then one zero block, which ends the header list whatever the
/// data looks like; then each member's data (and each long name, NUL terminated) at a 512-byte aligned offset.
/// Offsets are u32, so an archive is at most 4 GB. Version field "00", owner names empty.
/// </summary>
public static class VisorTarWriter
{
    /// <summary>Builds the archive; false with a reason if a member cannot be written.</summary>
    public static bool TryWrite(List<VisorTarMember> members, out byte[] archive, out string error)
    {
        archive = new byte[0];
        error = "";
        // Pass 1: count headers and lay out the data area.
        int headers = 0;
        long dataSize = 0;
        for (int i = 0; i < members.Count; i++)
        {
            VisorTarMember m = members[i];
            int pathBytes = Utf8.GetByteCount(m.Path);
            int linkBytes = Utf8.GetByteCount(m.LinkTarget);
            if (pathBytes <= 0 || linkBytes < 0)
            {
                error = string.Concat("bad path or link target: ", m.Path);
                return false;
            }
            if (pathBytes > TarHeader.NameLength)
            {
                headers++;
                dataSize += Align(pathBytes + 1);
            }
            if (linkBytes > 100)
            {
                headers++;
                dataSize += Align(linkBytes + 1);
            }
            headers++;
            if (m.Type == TarEntryType.File && m.Data != null)
            {
                dataSize += Align(m.Data.Length);
            }
        }
        long headerArea = (long)(headers + 1) * TarHeader.BlockSize;
        long total = headerArea + dataSize;
        if (total > uint.MaxValue || total > int.MaxValue)
        {
            error = "archive larger than visor-tar offsets allow";
            return false;
        }
        byte[] a = new byte[total];
        int headerPos = 0;
        long dataPos = headerArea;
        for (int i = 0; i < members.Count; i++)
        {
            VisorTarMember m = members[i];
            int pathBytes = Utf8.GetByteCount(m.Path);
            int linkBytes = Utf8.GetByteCount(m.LinkTarget);
            if (pathBytes > TarHeader.NameLength)
            {
                WriteLong(a, ref headerPos, ref dataPos, m.Path, pathBytes, (byte)'L');
            }
            if (linkBytes > 100)
            {
                WriteLong(a, ref headerPos, ref dataPos, m.LinkTarget, linkBytes, (byte)'K');
            }
            Span<byte> h = new Span<byte>(a, headerPos, TarHeader.BlockSize);
            if (pathBytes <= TarHeader.NameLength)
            {
                Utf8.Encode(m.Path, h.Slice(TarHeader.NameOffset, TarHeader.NameLength));
            }
            else
            {
                // Truncated copy for readers that ignore 'L'; ours takes the long name.
                Span<byte> tmp = new byte[pathBytes];
                Utf8.Encode(m.Path, tmp);
                tmp.Slice(0, TarHeader.NameLength).CopyTo(h);
            }
            if (linkBytes > 0 && linkBytes <= 100)
            {
                Utf8.Encode(m.LinkTarget, h.Slice(TarHeader.LinkNameOffset, 100));
            }
            long size = m.Type == TarEntryType.File && m.Data != null ? m.Data.Length : 0;
            uint offset = (uint)dataPos;
            if (!FillHeader(h, m.Mode, m.Uid, m.Gid, size, m.ModificationTime, (byte)('0' + (int)m.Type), offset))
            {
                error = string.Concat("numeric field out of range: ", m.Path);
                return false;
            }
            TarHeader.WriteUInt32LittleEndian(h, TarHeader.VisorTextOffset, m.TextOffset);
            TarHeader.WriteUInt32LittleEndian(h, TarHeader.VisorTextSize, m.TextSize);
            TarHeader.WriteUInt32LittleEndian(h, TarHeader.VisorFixupPages, m.FixupPageCount);
            SetChecksum(h);
            headerPos += TarHeader.BlockSize;
            if (size > 0)
            {
                new ReadOnlySpan<byte>(m.Data).CopyTo(new Span<byte>(a, (int)dataPos, (int)size));
                dataPos += Align(size);
            }
        }
        archive = a;
        return true;
    }

    private static long Align(long n) => (n + TarHeader.BlockSize - 1) & ~(long)(TarHeader.BlockSize - 1);

    private static void WriteLong(byte[] a, ref int headerPos, ref long dataPos, string text, int byteCount, byte type)
    {
        Span<byte> h = new Span<byte>(a, headerPos, TarHeader.BlockSize);
        // GNU's conventional name for these members.
        string marker = "././@LongLink";
        for (int i = 0; i < marker.Length; i++)
        {
            h[i] = (byte)marker[i];
        }
        FillHeader(h, 0, 0, 0, byteCount + 1, 0, type, (uint)dataPos);
        SetChecksum(h);
        Utf8.Encode(text, new Span<byte>(a, (int)dataPos, byteCount));
        headerPos += TarHeader.BlockSize;
        dataPos += Align(byteCount + 1);
    }

    private static bool FillHeader(Span<byte> h, int mode, int uid, int gid, long size, long mtime, byte type, uint dataOffset)
    {
        bool ok = TarHeader.TryWriteOctal(h.Slice(TarHeader.ModeOffset, 8), mode & 0xFFF)
            & TarHeader.TryWriteOctal(h.Slice(TarHeader.UidOffset, 8), uid)
            & TarHeader.TryWriteOctal(h.Slice(TarHeader.GidOffset, 8), gid)
            & TarHeader.TryWriteOctal(h.Slice(TarHeader.SizeOffset, 12), size)
            & TarHeader.TryWriteOctal(h.Slice(TarHeader.MTimeOffset, 12), mtime);
        h[TarHeader.TypeOffset] = type;
        h[257] = (byte)'v';
        h[258] = (byte)'i';
        h[259] = (byte)'s';
        h[260] = (byte)'o';
        h[261] = (byte)'r';
        h[262] = (byte)' ';
        h[263] = (byte)'0';
        h[264] = (byte)'0';
        TarHeader.WriteUInt32LittleEndian(h, TarHeader.VisorDataOffset, dataOffset);
        return ok;
    }

    private static void SetChecksum(Span<byte> h)
    {
        int sum = TarHeader.ComputeChecksum(h);
        // Six octal digits, NUL, space: the traditional layout.
        Span<byte> f = h.Slice(TarHeader.ChecksumOffset, 8);
        for (int i = 5; i >= 0; i--)
        {
            f[i] = (byte)('0' + (sum & 7));
            sum >>= 3;
        }
        f[6] = 0;
        f[7] = (byte)' ';
    }
}
