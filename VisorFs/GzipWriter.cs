// GzipWriter.cs -- gzip (RFC 1952) writer: one member around the Deflater's output, CRC-32 and ISIZE trailer.

using System;

namespace VisorFs;

public static partial class GzipWriter
{
    private const int HeaderLength = 10;
    private const int TrailerLength = 8;

    /// <summary>An output size that always suffices for <paramref name="length"/> input bytes.</summary>
    public static int MaxLength(int length) => HeaderLength + Deflater.MaxCompressedLength(length) + TrailerLength;

    /// <summary>
    /// Writes <paramref name="data"/> as one gzip member (no name, OS = Unix, MTIME as given); returns the bytes
    /// written, or -1 if <paramref name="output"/> is shorter than <see cref="MaxLength"/>.
    /// </summary>
    public static int Compress(Deflater deflater, ReadOnlySpan<byte> data, Span<byte> output, uint modificationTime = 0)
    {
        if (output.Length < MaxLength(data.Length))
        {
            return -1;
        }
        output[0] = 0x1F;
        output[1] = 0x8B;
        output[2] = 8;        // deflate
        output[3] = 0;        // no flags
        TarHeader.WriteUInt32LittleEndian(output, 4, modificationTime);
        output[8] = 0;        // XFL
        output[9] = 3;        // OS: Unix
        int n = deflater.Deflate(data, output.Slice(HeaderLength));
        if (n < 0)
        {
            return -1;
        }
        int pos = HeaderLength + n;
        TarHeader.WriteUInt32LittleEndian(output, pos, Crc32.Compute(data));
        TarHeader.WriteUInt32LittleEndian(output, pos + 4, (uint)data.Length);
        return pos + TrailerLength;
    }

    /// <summary>Compresses into a new array of exactly the compressed size.</summary>
    public static byte[] Compress(Deflater deflater, ReadOnlySpan<byte> data, uint modificationTime = 0)
    {
        byte[] buffer = new byte[MaxLength(data.Length)];
        int n = Compress(deflater, data, buffer, modificationTime);
        byte[] result = new byte[n];
        new ReadOnlySpan<byte>(buffer, 0, n).CopyTo(result);
        return result;
    }
}
