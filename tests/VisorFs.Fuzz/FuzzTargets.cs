// FuzzTargets.cs -- the parser entry points fuzzed by AFL++ (Program.cs) and smoke-run in CI (FuzzSmokeTests).
namespace VisorFs.Fuzz;

/// <summary>
/// One method per target. Each must return normally on any input: an exception escaping is a bug (in the kernel
/// it would be a panic), and SharpFuzz reports it as a crash.
/// </summary>
public static class FuzzTargets
{
    public static readonly string[] Names = ["inflate", "gzip", "tar", "bootcfg"];

    [ThreadStatic]
    private static Inflater? t_inflater;

    [ThreadStatic]
    private static byte[]? t_output;

    public static void Run(string name, ReadOnlySpan<byte> data)
    {
        switch (name)
        {
            case "inflate": Inflate(data); break;
            case "gzip": Gzip(data); break;
            case "tar": Tar(data); break;
            case "bootcfg": BootCfg(data); break;
            default: throw new ArgumentException("unknown target " + name);
        }
    }

    public static void Inflate(ReadOnlySpan<byte> data)
    {
        t_inflater ??= new Inflater();
        t_output ??= new byte[1 << 20];
        var status = t_inflater.Inflate(data, t_output, out int consumed, out int produced);
        if (consumed < 0 || consumed > data.Length || produced < 0 || produced > t_output.Length || (uint)status > 3)
        {
            throw new InvalidOperationException("inflate reported impossible counts");
        }
    }

    public static void Gzip(ReadOnlySpan<byte> data)
    {
        t_inflater ??= new Inflater();
        t_output ??= new byte[1 << 20];
        VisorFs.Gzip.Decompress(t_inflater, data, t_output, out int produced);
        if (produced < 0 || produced > t_output.Length)
        {
            throw new InvalidOperationException("gzip reported impossible counts");
        }
        VisorFs.Gzip.TryGetUncompressedSize(data, out _);
        VisorFs.Gzip.DecompressToArray(data, 1 << 20, out _, out _);
    }

    public static void Tar(ReadOnlySpan<byte> data)
    {
        var index = TarIndex.Build(data);
        var children = new List<TarEntry>();
        for (int i = 0; i < index.Count; i++)
        {
            TarEntry e = index[i];
            if (!index.TryFind(e.Path, out TarEntry found) || found != e)
            {
                throw new InvalidOperationException("indexed path not found: " + e.Path);
            }
            if (e.Type == TarEntryType.File && (e.DataOffset < 0 || e.Size < 0 || e.DataOffset + e.Size > data.Length))
            {
                throw new InvalidOperationException("data outside the archive: " + e.Path);
            }
            _ = TarIndex.GetData(data, e);
            if (e.IsDirectory)
            {
                children.Clear();
                index.GetChildren(e, children);
            }
        }
    }

    public static void BootCfg(ReadOnlySpan<byte> data)
    {
        BootConfig.TryParse(data, out _, out _);
    }
}
