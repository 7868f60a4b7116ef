// BenchData.cs -- the inputs every benchmark shares: real text, real binaries, random bytes, big tar archives.
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace VisorFs.Benchmarks;

public static class BenchData
{
    public const int Size = 8 << 20;

    /// <summary>English text: the XML documentation files shipped with the .NET SDK, concatenated.</summary>
    public static byte[] Text()
    {
        var ms = new MemoryStream();
        string root = Path.GetDirectoryName(Path.GetDirectoryName(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/')))!;
        foreach (string f in Directory.GetFiles(Path.GetDirectoryName(root)!, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            ms.Write(File.ReadAllBytes(f));
            if (ms.Length >= Size) break;
        }
        return Fill(ms.ToArray());
    }

    /// <summary>Machine code and metadata: the shared framework's DLLs, concatenated.</summary>
    public static byte[] Binary()
    {
        var ms = new MemoryStream();
        foreach (string f in Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Order(StringComparer.Ordinal))
        {
            ms.Write(File.ReadAllBytes(f));
            if (ms.Length >= Size) break;
        }
        return Fill(ms.ToArray());
    }

    public static byte[] Random()
    {
        var b = new byte[Size];
        new System.Random(42).NextBytes(b);
        return b;
    }

    private static byte[] Fill(byte[] data)
    {
        // Repeat if the machine has less than 8 MB of such files (keeps the size fixed).
        var b = new byte[Size];
        for (int i = 0; i < Size; i += data.Length) data.AsSpan(0, Math.Min(data.Length, Size - i)).CopyTo(b.AsSpan(i));
        return b;
    }

    public static byte[] Get(string kind) => kind switch
    {
        "text" => Text(),
        "binary" => Binary(),
        _ => Random(),
    };

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gs = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gs.Write(data);
        return ms.ToArray();
    }

    /// <summary>A tar of <paramref name="count"/> members like a base image: directories of small files.</summary>
    public static byte[] Tar(TarEntryFormat format, int count, out List<string> paths)
    {
        paths = new List<string>(count);
        var ms = new MemoryStream();
        var rng = new System.Random(1);
        var payload = new byte[4096];
        rng.NextBytes(payload);
        using (var w = new TarWriter(ms, format, leaveOpen: true))
        {
            var mtime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
            for (int i = 0; i < count; i++)
            {
                string dir = "usr/lib/pkg" + (i / 100);
                if (i % 100 == 0)
                {
                    var d = Make(format, System.Formats.Tar.TarEntryType.Directory, dir + "/");
                    d.ModificationTime = mtime;
                    w.WriteEntry(d);
                    paths.Add(dir);
                    continue;
                }
                string name = dir + "/file" + i + ".so";
                var e = Make(format, System.Formats.Tar.TarEntryType.RegularFile, name);
                e.ModificationTime = mtime;
                e.Mode = (UnixFileMode)0x1ED;
                e.DataStream = new MemoryStream(payload, 0, rng.Next(1024), false);
                w.WriteEntry(e);
                paths.Add(name);
            }
        }
        return ms.ToArray();
    }

    private static System.Formats.Tar.TarEntry Make(TarEntryFormat format, System.Formats.Tar.TarEntryType type, string name) => format switch
    {
        TarEntryFormat.Pax => new PaxTarEntry(type, name),
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        _ => new UstarTarEntry(type, name),
    };
}
