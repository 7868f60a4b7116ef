// UstarTarWriter.cs -- writes plain POSIX ustar archives (what ESXi's backup.sh produces for local.tgz/state.tgz).

using System;
using System.Collections.Generic;

namespace VisorFs;

/// <summary>
/// One 512-byte ustar header per member ("ustar\0" "00", owner root/root), the data padded to 512 bytes, then two
/// zero blocks. Files, directories and symlinks; a path longer than 100 bytes is split into prefix (155) and name
/// (100) at a '/', and a path that cannot be split that way is refused (no GNU or pax extensions here).
/// </summary>
public static class UstarTarWriter
{
    public static bool TryWrite(List<VisorTarMember> members, out byte[] archive, out string error)
    {
        archive = new byte[0];
        error = "";
        long total = 2 * TarHeader.BlockSize;
        for (int i = 0; i < members.Count; i++)
        {
            VisorTarMember m = members[i];
            total += TarHeader.BlockSize;
            if (m.Type == TarEntryType.File && m.Data != null)
            {
                total += Align(m.Data.Length);
            }
        }
        if (total > int.MaxValue)
        {
            error = "archive larger than 2 GB";
            return false;
        }
        byte[] a = new byte[total];
        int pos = 0;
        for (int i = 0; i < members.Count; i++)
        {
            VisorTarMember m = members[i];
            Span<byte> h = new Span<byte>(a, pos, TarHeader.BlockSize);
            if (!WriteName(h, m.Path) || Utf8.GetByteCount(m.LinkTarget) > 100)
            {
                error = string.Concat("name too long for ustar: ", m.Path);
                return false;
            }
            Utf8.Encode(m.LinkTarget, h.Slice(TarHeader.LinkNameOffset, 100));
            long size = m.Type == TarEntryType.File && m.Data != null ? m.Data.Length : 0;
            bool ok = TarHeader.TryWriteOctal(h.Slice(TarHeader.ModeOffset, 8), m.Mode & 0xFFF)
                & TarHeader.TryWriteOctal(h.Slice(TarHeader.UidOffset, 8), m.Uid)
                & TarHeader.TryWriteOctal(h.Slice(TarHeader.GidOffset, 8), m.Gid)
                & TarHeader.TryWriteOctal(h.Slice(TarHeader.SizeOffset, 12), size)
                & TarHeader.TryWriteOctal(h.Slice(TarHeader.MTimeOffset, 12), m.ModificationTime);
            if (!ok)
            {
                error = string.Concat("numeric field out of range: ", m.Path);
                return false;
            }
            h[TarHeader.TypeOffset] = (byte)('0' + (int)m.Type);
            WriteAscii(h, TarHeader.MagicOffset, "ustar");   // NUL-terminated by the zeroed block
            WriteAscii(h, TarHeader.MagicOffset + 6, "00");
            WriteAscii(h, 265, "root");
            WriteAscii(h, 297, "root");
            int sum = TarHeader.ComputeChecksum(h);
            Span<byte> f = h.Slice(TarHeader.ChecksumOffset, 8);
            for (int k = 5; k >= 0; k--)
            {
                f[k] = (byte)('0' + (sum & 7));
                sum >>= 3;
            }
            f[6] = 0;
            f[7] = (byte)' ';
            pos += TarHeader.BlockSize;
            if (size > 0)
            {
                new ReadOnlySpan<byte>(m.Data).CopyTo(new Span<byte>(a, pos, (int)size));
                pos += (int)Align(size);
            }
        }
        archive = a;
        return true;
    }

    private static long Align(long n) => (n + TarHeader.BlockSize - 1) & ~(long)(TarHeader.BlockSize - 1);

    private static bool WriteName(Span<byte> h, string path)
    {
        int bytes = Utf8.GetByteCount(path);
        if (bytes <= 0)
        {
            return false;
        }
        if (bytes <= TarHeader.NameLength)
        {
            Utf8.Encode(path, h.Slice(TarHeader.NameOffset, TarHeader.NameLength));
            return true;
        }
        // Split at the last '/' that leaves a name of at most 100 bytes and a prefix of at most 155.
        for (int i = path.Length - 1; i > 0; i--)
        {
            if (path[i] != '/')
            {
                continue;
            }
            string prefix = path.Substring(0, i);
            string name = path.Substring(i + 1);
            int prefixBytes = Utf8.GetByteCount(prefix);
            int nameBytes = Utf8.GetByteCount(name);
            if (nameBytes > TarHeader.NameLength)
            {
                return false;
            }
            if (prefixBytes <= TarHeader.PrefixLength && nameBytes > 0)
            {
                Utf8.Encode(prefix, h.Slice(TarHeader.PrefixOffset, TarHeader.PrefixLength));
                Utf8.Encode(name, h.Slice(TarHeader.NameOffset, TarHeader.NameLength));
                return true;
            }
        }
        return false;
    }

    private static void WriteAscii(Span<byte> h, int offset, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            h[offset + i] = (byte)text[i];
        }
    }
}
