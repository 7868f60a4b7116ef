// Gzip.cs -- gzip (RFC 1952) container: header parsing, multi-member decoding, CRC-32/ISIZE checks, size limits.

using System;

namespace VisorFs;

/// <summary>Outcome of a gzip operation.</summary>
public enum GzipStatus
{
    Ok,
    /// <summary>The data does not start with the gzip magic 1F 8B.</summary>
    NotGzip,
    /// <summary>Compression method other than 8 (deflate), or reserved flag bits set.</summary>
    Unsupported,
    /// <summary>The data ends inside a header, the deflate stream or the trailer.</summary>
    Truncated,
    /// <summary>The deflate stream is corrupt, or non-zero garbage follows the last member.</summary>
    InvalidData,
    /// <summary>The FHCRC header checksum does not match.</summary>
    BadHeaderCrc,
    /// <summary>The CRC-32 in a member trailer does not match the data.</summary>
    BadCrc,
    /// <summary>The ISIZE in a member trailer does not match the data length (mod 2^32).</summary>
    BadLength,
    /// <summary>The output span is too small for the data.</summary>
    OutputTooSmall,
    /// <summary>The data would exceed the caller's limit (a decompression bomb, or simply too large).</summary>
    LimitExceeded,
}

/// <summary>
/// gzip files as boot modules are stored.
/// </summary>
/// <remarks>
/// Member layout (RFC 1952), integers little endian:
/// <code>
/// ID1=1F ID2=8B CM=8 FLG MTIME:4 XFL OS
/// [FEXTRA (FLG bit 2): XLEN:2, XLEN bytes]
/// [FNAME (bit 3): zero-terminated name] [FCOMMENT (bit 4): zero-terminated comment]
/// [FHCRC (bit 1): low 16 bits of the CRC-32 of the header bytes before it]
/// deflate stream, CRC32:4 of the uncompressed data, ISIZE:4 = uncompressed length mod 2^32
/// </code>
/// FTEXT (bit 0) is only a hint and is ignored; bits 5-7 are reserved and must be zero. A file may hold several
/// members back to back; their outputs concatenate. Zero bytes after the last member are tolerated (tape and
/// block padding); anything else there is an error. ISIZE is only a hint: it is mod 2^32 and written by whoever
/// made the file, so callers size buffers with it but always cap them with their own limit.
/// </remarks>
public static class Gzip
{
    private const int FlagHeaderCrc = 0x02;
    private const int FlagExtra = 0x04;
    private const int FlagName = 0x08;
    private const int FlagComment = 0x10;
    private const int FlagReserved = 0xE0;

    /// <summary>True if <paramref name="data"/> starts like a gzip member (magic and deflate method).</summary>
    public static bool IsGzip(ReadOnlySpan<byte> data)
    {
        return data.Length >= 3 && data[0] == 0x1F && data[1] == 0x8B && data[2] == 8;
    }

    /// <summary>
    /// Parses one member header at the start of <paramref name="data"/>; <paramref name="headerLength"/> is where the
    /// deflate stream starts.
    /// </summary>
    public static GzipStatus TryParseHeader(ReadOnlySpan<byte> data, out int headerLength)
    {
        headerLength = 0;
        if (data.Length < 2 || data[0] != 0x1F || data[1] != 0x8B)
        {
            return data.Length < 2 && (data.Length == 0 || data[0] == 0x1F) ? GzipStatus.Truncated : GzipStatus.NotGzip;
        }
        if (data.Length < 10)
        {
            return GzipStatus.Truncated;
        }
        int flags = data[3];
        if (data[2] != 8 || (flags & FlagReserved) != 0)
        {
            return GzipStatus.Unsupported;
        }
        int pos = 10;
        if ((flags & FlagExtra) != 0)
        {
            if (data.Length - pos < 2)
            {
                return GzipStatus.Truncated;
            }
            int xlen = data[pos] | (data[pos + 1] << 8);
            pos += 2;
            if (data.Length - pos < xlen)
            {
                return GzipStatus.Truncated;
            }
            pos += xlen;
        }
        if ((flags & FlagName) != 0)
        {
            if (!SkipZeroTerminated(data, ref pos))
            {
                return GzipStatus.Truncated;
            }
        }
        if ((flags & FlagComment) != 0)
        {
            if (!SkipZeroTerminated(data, ref pos))
            {
                return GzipStatus.Truncated;
            }
        }
        if ((flags & FlagHeaderCrc) != 0)
        {
            if (data.Length - pos < 2)
            {
                return GzipStatus.Truncated;
            }
            uint crc = Crc32.Compute(data.Slice(0, pos));
            int stored = data[pos] | (data[pos + 1] << 8);
            if ((crc & 0xFFFF) != (uint)stored)
            {
                return GzipStatus.BadHeaderCrc;
            }
            pos += 2;
        }
        headerLength = pos;
        return GzipStatus.Ok;
    }

    private static bool SkipZeroTerminated(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length)
        {
            if (data[pos++] == 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Reads the ISIZE of the last member (the final four bytes): the uncompressed size mod 2^32 if the file has one
    /// member. A hint for sizing, never a promise.
    /// </summary>
    public static bool TryGetUncompressedSize(ReadOnlySpan<byte> data, out uint size)
    {
        size = 0;
        if (data.Length < 18 || !IsGzip(data))
        {
            return false;
        }
        size = ReadUInt32(data, data.Length - 4);
        return true;
    }

    /// <summary>
    /// Decompresses every member of <paramref name="input"/> into <paramref name="output"/>, checking each trailer.
    /// </summary>
    public static GzipStatus Decompress(Inflater inflater, ReadOnlySpan<byte> input, Span<byte> output, out int produced)
    {
        produced = 0;
        int pos = 0;
        bool first = true;
        while (true)
        {
            if (!first)
            {
                // Past the first member: only another member or zero padding may follow.
                if (pos == input.Length)
                {
                    return GzipStatus.Ok;
                }
                if (input[pos] != 0x1F)
                {
                    for (int i = pos; i < input.Length; i++)
                    {
                        if (input[i] != 0)
                        {
                            return GzipStatus.InvalidData;
                        }
                    }
                    return GzipStatus.Ok;
                }
            }
            first = false;
            GzipStatus status = TryParseHeader(input.Slice(pos), out int headerLength);
            if (status != GzipStatus.Ok)
            {
                return status;
            }
            pos += headerLength;
            Span<byte> target = output.Slice(produced);
            InflateStatus inflate = inflater.Inflate(input.Slice(pos), target, out int consumed, out int written);
            if (inflate != InflateStatus.Ok)
            {
                produced += written;
                if (inflate == InflateStatus.Truncated)
                {
                    return GzipStatus.Truncated;
                }
                return inflate == InflateStatus.OutputTooSmall ? GzipStatus.OutputTooSmall : GzipStatus.InvalidData;
            }
            pos += consumed;
            if (input.Length - pos < 8)
            {
                produced += written;
                return GzipStatus.Truncated;
            }
            uint crc = ReadUInt32(input, pos);
            uint isize = ReadUInt32(input, pos + 4);
            pos += 8;
            if (Crc32.Compute(target.Slice(0, written)) != crc)
            {
                produced += written;
                return GzipStatus.BadCrc;
            }
            if ((uint)written != isize)
            {
                produced += written;
                return GzipStatus.BadLength;
            }
            produced += written;
        }
    }

    /// <summary>
    /// Decompresses into a new array of at most <paramref name="limit"/> bytes. The first buffer is sized from ISIZE
    /// (capped by the limit); if the data turns out larger (ISIZE lies, wraps at 4 GB, or the file has several
    /// members) the buffer doubles up to the limit. Output beyond the limit fails with
    /// <see cref="GzipStatus.LimitExceeded"/> without ever allocating more than the limit.
    /// </summary>
    public static GzipStatus DecompressToArray(ReadOnlySpan<byte> input, int limit, out byte[] output, out int length)
    {
        output = new byte[0];
        length = 0;
        if (limit < 0)
        {
            limit = 0;
        }
        if (!TryGetUncompressedSize(input, out uint hint))
        {
            GzipStatus headerStatus = TryParseHeader(input, out _);
            return headerStatus == GzipStatus.Ok ? GzipStatus.Truncated : headerStatus;
        }
        long size = hint;
        if (size < 64)
        {
            size = 64;
        }
        if (size > limit)
        {
            size = limit;
        }
        Inflater inflater = new Inflater();
        while (true)
        {
            byte[] buffer = new byte[(int)size];
            GzipStatus status = Decompress(inflater, input, buffer, out int produced);
            if (status == GzipStatus.OutputTooSmall)
            {
                if (size >= limit)
                {
                    return GzipStatus.LimitExceeded;
                }
                size = size * 2 > limit ? limit : size * 2;
                continue;
            }
            if (status == GzipStatus.Ok)
            {
                output = buffer;
                length = produced;
            }
            return status;
        }
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset)
    {
        return (uint)(data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16) | (data[offset + 3] << 24));
    }
}
