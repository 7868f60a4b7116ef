// TarIndex.Walk.cs -- the pass over the headers: checksums, sizes, GNU/pax metadata members, and the prefetch of
// what the next steps will read.

using System;

namespace VisorFs;

public sealed partial class TarIndex
{
    // A problem found by the walk or while staging a member: queued behind the members staged before it, so the
    // diagnostics come out in archive order.
    private void Report(string name, string reason, long offset)
    {
        ref Pending p = ref PushPending();
        p.Reason = reason;
        p.DiagnosticName = name;
        p.HeaderOffset = offset;
    }

    // The name field of a header as it stands, for a diagnostic about the header itself.
    private static string HeaderName(ReadOnlySpan<byte> h) =>
        Utf8.Printable(FieldText(h, TarHeader.NameOffset, TarHeader.NameLength));

    // A problem found while a staged member enters the index (its turn in archive order has come).
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

    // Prefetches the header at `at` (if it is inside the archive). In a pax archive the next header is usually an
    // 'x' whose records fill the block after it, followed by the member's own header: those blocks are fetched
    // too, since the member header's address would otherwise be known only after the 'x' header arrives.
    private unsafe void PrefetchHeader(ReadOnlySpan<byte> a, long at)
    {
        if (at < 0 || a.Length - at < TarHeader.BlockSize)
        {
            return;
        }
        int blocks = Format == TarFormat.Pax && a.Length - at >= 3 * TarHeader.BlockSize ? 3 : 1;
        fixed (byte* start = &a[(int)at])
        {
            for (int line = 0; line < blocks * TarHeader.BlockSize; line += CacheHint.LineSize)
            {
                CacheHint.Prefetch(start + line);
            }
        }
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
        while (true)
        {
            // Each pass stages at most one item (a member or a diagnostic); the oldest enters the index once the
            // queue is full, PendingDepth - 1 members after its hash-table slot was prefetched.
            if (_pendingCount == PendingDepth)
            {
                CommitOldest(a);
            }
            if (len - pos < TarHeader.BlockSize)
            {
                if (len - pos > 0 && !visor && !resync)
                {
                    Report("", "truncated header at end of archive", pos);
                }
                break;
            }
            ReadOnlySpan<byte> h = a.Slice((int)pos, TarHeader.BlockSize);
            long headerOffset = pos;
            if (visor && !TarHeader.IsVisor(h))
            {
                break;
            }
            // Start fetching the next header before anything else. On an archive larger than the cache its lines
            // are memory misses whose address the hardware cannot guess (it depends on this header's size field),
            // and each header waits on the previous one: the sooner the fetch starts, the more of this member's
            // work hides it. The size field is trusted only for this hint; everything below checks it properly
            // and fetches again if the real next position differs.
            bool sizeParsed = TarHeader.TryParseNumber(h.Slice(TarHeader.SizeOffset, 12), out long size);
            long guess = visor ? pos + TarHeader.BlockSize
                : sizeParsed && size >= 0 && size <= len ? pos + TarHeader.BlockSize + ((size + 511) & ~511L) : -1;
            PrefetchHeader(a, guess);
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
                    Report(HeaderName(h), "bad header checksum", pos);
                }
                resync = !visor;
                ClearPending();
                pos += TarHeader.BlockSize;
                continue;
            }
            resync = false;
            byte type = h[TarHeader.TypeOffset];
            if (!sizeParsed || size < 0)
            {
                Report(HeaderName(h), "bad size field", pos);
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
                Report(HeaderName(h), "data extends past end of archive", pos);
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
            if (pos != guess)
            {
                PrefetchHeader(a, pos);
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
                    Report(HeaderName(h), "bad pax extended header", headerOffset);
                    ClearPending();
                }
                continue;
            }
            if (type == (byte)'g')
            {
                continue;
            }
            StageMember(a, h, type, size, dataOffset, headerOffset, visor);
            ClearPending();
        }
        while (_pendingCount > 0)
        {
            CommitOldest(a);
        }
    }
}
