// TestData.cs -- shared generators for the VisorFs tests: compressible text, structured binary, random bytes.
using System.IO.Compression;
using System.Text;

namespace VisorFs.Tests;

internal static class TestData
{
    private static readonly string[] s_words =
    [
        "the", "kernel", "world", "memory", "page", "module", "boot", "tardisk", "ramdisk", "of", "and", "a", "to",
        "in", "is", "scheduler", "resource", "group", "limit", "reservation", "visor", "file", "system", "inflate",
    ];

    public static byte[] Text(int size, int seed)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder(size + 64);
        while (sb.Length < size)
        {
            sb.Append(s_words[rng.Next(s_words.Length)]);
            sb.Append(rng.Next(12) == 0 ? ".\n" : " ");
        }
        return Encoding.ASCII.GetBytes(sb.ToString(0, size));
    }

    public static byte[] Random(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Binary with structure: little-endian records, small integers, repeated runs, some noise.</summary>
    public static byte[] Binary(int size, int seed)
    {
        var rng = new Random(seed);
        var data = new byte[size];
        int i = 0;
        while (i < size)
        {
            int kind = rng.Next(4);
            int n = Math.Min(size - i, 1 + rng.Next(64));
            for (int k = 0; k < n; k++)
            {
                data[i + k] = kind switch
                {
                    0 => (byte)(k & 3),
                    1 => (byte)rng.Next(256),
                    2 => (byte)(0x48 + (k % 8)),
                    _ => 0,
                };
            }
            i += n;
        }
        return data;
    }

    public static byte[] Deflate(byte[] data, CompressionLevel level)
    {
        using var ms = new MemoryStream();
        using (var ds = new DeflateStream(ms, level, leaveOpen: true))
        {
            ds.Write(data);
        }
        return ms.ToArray();
    }

    public static byte[] GzipCompress(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var ms = new MemoryStream();
        using (var gs = new GZipStream(ms, level, leaveOpen: true))
        {
            gs.Write(data);
        }
        return ms.ToArray();
    }

    public static byte[] RepoText()
    {
        // Real text: the VisorFs sources themselves, found by walking up from the test binary.
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "Kernel.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        var ms = new MemoryStream();
        if (dir != null)
        {
            foreach (string f in Directory.GetFiles(Path.Combine(dir, "VisorFs"), "*.cs").OrderBy(x => x, StringComparer.Ordinal))
            {
                ms.Write(File.ReadAllBytes(f));
            }
        }
        return ms.ToArray();
    }
}
