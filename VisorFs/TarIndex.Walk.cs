// TarIndex.Walk.cs -- the pass over the headers: checksums, sizes, GNU/pax metadata members, and the prefetch of
// what the next steps will read.

using System;
using System.Collections.Generic;

namespace VisorFs;

public sealed partial class TarIndex
{
    private void Diagnose(string name, string reason, long offset)
    {
        _diagnostics.Add(new TarDiagnostic(name, reason, offset));
    }

    private void ClearPending()
    {
        _gnuNameOffset = -1;
        _gnuNameLength = 0;
        _gnuLinkOffset = -1;
        _gnuLinkLength = 0;
        _paxPathOffset = -1;
        _paxPathLength = 0;
        _paxLinkOffset = -1;
        _paxLinkLength = 0;
        _paxSize = -1;
        _hasPaxMTime = false;
        _hasPaxUid = false;
        _hasPaxGid = false;
    }

    private void IndexArchive(ReadOnlySpan<byte> a)
    {
        long len = a.Length;
        bool visor = len >= TarHeader.BlockSize && TarHeader.IsVisor(a.Slice(0, TarHeader.BlockSize));
        Format = visor ? TarFormat.Visor
            : len >= TarHeader.BlockSize ? TarHeader.GetFormat(a.Slice(0, TarHeader.BlockSize)) : TarFormat.Ustar;
        ClearPending();
        long pos = 0;
        bool resync = false;
        int touch = 0;
        while (true)
        {
            if (len - pos < TarHeader.BlockSize)
            {
                if (len - pos > 0 && !visor && !resync)
                {
                    Diagnose("", "truncated header at end of archive", pos);
                }
                break;
            }
            ReadOnlySpan<byte> h = a.Slice((int)pos, TarHeader.BlockSize);
            long headerOffset = pos;
            if (visor && !TarHeader.IsVisor(h))
            {
                break;
            }
            // The checksum is tested first: an all-zero block (end of a plain archive) never matches (its stored
            // checksum reads 0, its sum is 8 spaces = 256), so the zero test only runs on blocks that failed it
            // and a valid header is read once, not twice.
            if (!TarHeader.ChecksumMatches(h))
            {
                if (!visor && TarHeader.IsZeroBlock(h))
                {
                    if (resync)
                    {
                        pos += TarHeader.BlockSize;
                        continue;
                    }
                    break;
                }
                // In plain tar the size of a damaged header cannot be trusted, so scan for the next valid header
                // block by block, reporting the damage once.
                if (!resync)
                {
                    Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "bad header checksum", pos);
                }
                resync = !visor;
                ClearPending();
                pos += TarHeader.BlockSize;
                continue;
            }
            resync = false;
            byte type = h[TarHeader.TypeOffset];
            if (!TarHeader.TryParseNumber(h.Slice(TarHeader.SizeOffset, 12), out long size) || size < 0)
            {
                Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "bad size field", pos);
                resync = !visor;
                ClearPending();
                pos += TarHeader.BlockSize;
                continue;
            }
            bool isMeta = type == (byte)'x' || type == (byte)'g' || type == (byte)'K' || type == (byte)'L';
            if (!isMeta && _paxSize >= 0)
            {
                size = _paxSize;
            }
            // ustar: links, devices, directories and fifos have no data blocks whatever the size field says.
            bool hasData = !(type >= (byte)'1' && type <= (byte)'6');
            long dataSize = hasData ? size : 0;
            long dataOffset = visor ? TarHeader.ReadUInt32LittleEndian(h, TarHeader.VisorDataOffset) : pos + TarHeader.BlockSize;
            if (dataOffset > len || dataSize > len - dataOffset)
            {
                Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "data extends past end of archive", pos);
                ClearPending();
                if (visor)
                {
                    pos += TarHeader.BlockSize;
                    continue;
                }
                break;
            }
            pos = visor ? pos + TarHeader.BlockSize : dataOffset + ((dataSize + 511) & ~511L);
            if (pos > len)
            {
                pos = len; // the last member's padding may be missing
            }
            // Touch the next header now: on an archive larger than the cache its eight lines are memory misses, and
            // issuing the load here lets it overlap this member's name decoding and hashing instead of stalling
            // the next iteration. (An ordinary load; the value only feeds a field nobody reads.)
            if (len - pos >= TarHeader.BlockSize)
            {
                int next = (int)pos;
                touch += a[next] + a[next + 64] + a[next + 128] + a[next + 192] + a[next + 256] + a[next + 320]
                    + a[next + 384] + a[next + 448];
            }

            if (type == (byte)'L')
            {
                _gnuNameOffset = (int)dataOffset;
                _gnuNameLength = (int)dataSize;
                continue;
            }
            if (type == (byte)'K')
            {
                _gnuLinkOffset = (int)dataOffset;
                _gnuLinkLength = (int)dataSize;
                continue;
            }
            if (type == (byte)'x')
            {
                if (Format == TarFormat.Ustar)
                {
                    Format = TarFormat.Pax;
                }
                if (!ParsePax(a, (int)dataOffset, (int)dataSize))
                {
                    Diagnose(Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength)), "bad pax extended header", headerOffset);
                    ClearPending();
                }
                continue;
            }
            if (type == (byte)'g')
            {
                continue;
            }
            AddMember(a, h, type, size, dataOffset, headerOffset, visor);
            ClearPending();
        }
        _touch = touch;
    }
}
