// SeedCorpus.cs -- small valid inputs per target, the starting points for AFL++ and the CI smoke run.
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace VisorFs.Fuzz;

public static class SeedCorpus
{
    public static List<byte[]> For(string target)
    {
        byte[] text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("visor tardisk ramdisk module boot ", 40)));
        var seeds = new List<byte[]>();
        switch (target)
        {
            case "inflate":
                foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.SmallestSize })
                {
                    seeds.Add(Deflate(text, level));
                }
                seeds.Add([0x03, 0x00]);
                break;
            case "gzip":
                seeds.Add(Gzip(text));
                seeds.Add([.. Gzip([1, 2, 3]), .. Gzip(text)]);
                break;
            case "tar":
                foreach (var format in new[] { TarEntryFormat.V7, TarEntryFormat.Ustar, TarEntryFormat.Gnu, TarEntryFormat.Pax })
                {
                    seeds.Add(Tar(format));
                }
                VisorTarWriter.TryWrite(
                [
                    new VisorTarMember("bin/sh", 0x1ED, VisorFs.TarEntryType.File, text),
                    new VisorTarMember("bin/ash", 0x1ED, VisorFs.TarEntryType.HardLink, null) { LinkTarget = "bin/sh" },
                    new VisorTarMember("etc/" + new string('l', 120), 0x1A4, VisorFs.TarEntryType.File, [1, 2]),
                ], out byte[] visor, out _);
                seeds.Add(visor);
                break;
            case "bootcfg":
                seeds.Add(Encoding.ASCII.GetBytes("bootstate=0\ntitle=Loading\ntimeout=5\nprefix=/b\nkernel=b.b00\n" +
                    "kernelopt=runweasel\nmodules=jumpstrt.gz --- k.b00 opt=1 --- s.v00---state.tgz\nbuild=1\nupdated=2\n# c\n"));
                break;
        }
        return seeds;
    }

    private static byte[] Deflate(byte[] data, CompressionLevel level)
    {
        var ms = new MemoryStream();
        using (var ds = new DeflateStream(ms, level, leaveOpen: true)) ds.Write(data);
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gs = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gs.Write(data);
        return ms.ToArray();
    }

    private static byte[] Tar(TarEntryFormat format)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, format, leaveOpen: true))
        {
            string longName = format is TarEntryFormat.Gnu or TarEntryFormat.Pax ? "dir/" + new string('n', 120) : "dir/file";
            System.Formats.Tar.TarEntryType file = format == TarEntryFormat.V7 ? System.Formats.Tar.TarEntryType.V7RegularFile : System.Formats.Tar.TarEntryType.RegularFile;
            w.WriteEntry(Make(format, System.Formats.Tar.TarEntryType.Directory, "dir/"));
            var e = Make(format, file, longName);
            e.DataStream = new MemoryStream(new byte[700]);
            w.WriteEntry(e);
            var l = Make(format, System.Formats.Tar.TarEntryType.SymbolicLink, "dir/link");
            l.LinkName = "../target";
            w.WriteEntry(l);
        }
        return ms.ToArray();
    }

    private static System.Formats.Tar.TarEntry Make(TarEntryFormat format, System.Formats.Tar.TarEntryType type, string name) => format switch
    {
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        TarEntryFormat.Pax => new PaxTarEntry(type, name),
        _ => new V7TarEntry(type, name),
    };
}
