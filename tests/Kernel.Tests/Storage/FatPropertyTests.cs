// FatPropertyTests.cs -- random sequences of file operations on a volume made by mkfs.fat, applied to the kernel's
// FAT code and to an in-memory model (files as byte arrays, a set of directories). After each sequence the volume
// must list and read back as the model says through our reader and through mtools, and pass `fsck.fat -n`.
using CsCheck;
using Kernel.Storage.Fat;
using Kernel.VisorFs;

namespace Kernel.Tests.Storage;

public class FatPropertyTests
{
    // Distinct even when case is folded; short, 8.3 upper case, long, and with dots and spaces.
    private static readonly string[] Names =
    {
        "a", "B.TXT", "notes.md", "A long file name with spaces.text", "x.y.z", "CamelCase.Md", "README", "data~1.bin",
        "twenty-six characters!!.q", "z",
    };

    private sealed class Model
    {
        public readonly Dictionary<string, byte[]> Files = new(StringComparer.OrdinalIgnoreCase);
        public readonly HashSet<string> Dirs = new(StringComparer.OrdinalIgnoreCase) { "" };

        public bool Exists(string path) => Files.ContainsKey(path) || Dirs.Contains(path);

        public bool IsEmptyDir(string dir) =>
            !Files.Keys.Any(f => Parent(f).Equals(dir, StringComparison.OrdinalIgnoreCase))
            && !Dirs.Any(d => d.Length > 0 && Parent(d).Equals(dir, StringComparison.OrdinalIgnoreCase));
    }

    private static string Parent(string path) => path.Contains('/') ? path[..path.LastIndexOf('/')] : "";

    private static string Join(string dir, string name) => dir.Length == 0 ? name : dir + "/" + name;

    [Fact]
    public void RandomOperations_MatchTheModel_AndPassFsck()
    {
        Gen.Int[0, int.MaxValue].Sample(seed => RunSequence(seed), iter: 24, threads: 1);
    }

    private static void RunSequence(int seed)
    {
        var random = new Random(seed);
        int bits = new[] { 12, 16, 32 }[seed % 3];
        using var host = HostFat.Make(bits, bits == 12 ? 600 : bits == 16 ? 8192 : 34000, "PROP", bits == 12 ? 0 : 1);
        var disk = new MemoryBlockDevice(host.Bytes);
        FatVolume volume = FatVolumeTests.Mount(disk);
        var model = new Model();
        int clusterBytes = volume.Boot.ClusterBytes;
        var log = new List<string>();

        for (int step = 0; step < 60; step++)
        {
            string dir = model.Dirs.ElementAt(random.Next(model.Dirs.Count));
            string path = Join(dir, Names[random.Next(Names.Length)]);
            int op = random.Next(10);
            log.Add($"{op} {path}");
            string context = $"seed {seed}, FAT{bits}, steps: {string.Join("; ", log)}";
            if (op <= 3)
            {
                // Write somewhere in a file (creating it), possibly past its end.
                if (model.Dirs.Contains(path))
                    continue;
                byte[] old = model.Files.TryGetValue(path, out byte[] existing) ? existing : Array.Empty<byte>();
                int offset = random.Next(4) == 0 ? old.Length : random.Next(old.Length + clusterBytes * 2);
                var data = new byte[random.Next(4) == 0 ? random.Next(clusterBytes * 5) : random.Next(300)];
                random.NextBytes(data);
                FatNode node;
                if (existing == null)
                {
                    Assert.True(volume.Create(path, out node) == Errno.Ok, context);
                    model.Files[path] = old;
                }
                else
                {
                    Assert.True(volume.Lookup(path, out node) == Errno.Ok, context);
                }
                Errno e = volume.Write(node, offset, data);
                if (e == Errno.ENOSPC)
                    continue;   // all or nothing: the model stays as it was
                Assert.True(e == Errno.Ok, context + " -> " + e);
                var grown = new byte[Math.Max(old.Length, offset + data.Length)];
                old.CopyTo(grown, 0);
                data.CopyTo(grown, offset);
                model.Files[path] = grown;
            }
            else if (op == 4)
            {
                if (!model.Files.TryGetValue(path, out byte[] content))
                    continue;
                int size = random.Next(content.Length + clusterBytes);
                Assert.True(volume.Lookup(path, out FatNode node) == Errno.Ok, context);
                Errno e = volume.Truncate(node, size);
                if (e == Errno.ENOSPC)
                    continue;
                Assert.True(e == Errno.Ok, context + " -> " + e);
                var resized = new byte[size];
                content.AsSpan(0, Math.Min(size, content.Length)).CopyTo(resized);
                model.Files[path] = resized;
            }
            else if (op == 5)
            {
                Errno e = volume.MakeDirectory(path);
                if (model.Exists(path))
                {
                    Assert.True(e == Errno.EEXIST, context + " -> " + e);
                }
                else if (e != Errno.ENOSPC)
                {
                    Assert.True(e == Errno.Ok, context + " -> " + e);
                    model.Dirs.Add(path);
                }
            }
            else if (op <= 7)
            {
                Errno e = volume.Remove(path);
                if (model.Files.Remove(path))
                    Assert.True(e == Errno.Ok, context + " -> " + e);
                else if (model.Dirs.Contains(path))
                {
                    bool empty = model.IsEmptyDir(path);
                    Assert.True(e == (empty ? Errno.Ok : Errno.ENOTEMPTY), context + " -> " + e);
                    if (empty)
                        model.Dirs.Remove(path);
                }
                else
                    Assert.True(e == Errno.ENOENT, context + " -> " + e);
            }
            else
            {
                // Rename a file to another name in any directory (replacing a file there).
                if (!model.Files.TryGetValue(path, out byte[] content))
                    continue;
                string to = Join(model.Dirs.ElementAt(random.Next(model.Dirs.Count)), Names[random.Next(Names.Length)]);
                Errno e = volume.Rename(path, to);
                if (model.Dirs.Contains(to))
                {
                    Assert.True(e == Errno.EISDIR, context + " -> " + e);
                    continue;
                }
                if (e == Errno.ENOSPC)
                    continue;
                Assert.True(e == Errno.Ok, context + $" rename to {to} -> " + e);
                model.Files.Remove(path);
                model.Files.Remove(to);
                model.Files[to] = content;
            }
        }

        string all = $"seed {seed}, FAT{bits}, steps: {string.Join("; ", log)}";
        // Our reader, after a fresh mount.
        FatVolume again = FatVolumeTests.Mount(new MemoryBlockDevice((byte[])disk.Data.Clone()));
        foreach (var (path, content) in model.Files)
            Assert.True(content.AsSpan().SequenceEqual(FatVolumeTests.ReadFile(again, path)), all + " content of " + path);
        // mtools and fsck.
        host.Bytes = disk.Data;
        var (clean, output) = host.Check();
        Assert.True(clean, all + "\n" + output);
        var expected = model.Files.Keys.Concat(model.Dirs.Where(d => d.Length > 0).Select(d => d + "/"))
            .Select(p => p.ToUpperInvariant()).Order(StringComparer.Ordinal);
        Assert.Equal(expected, host.Tree().Select(p => p.ToUpperInvariant()).Order(StringComparer.Ordinal));
        foreach (var (path, content) in model.Files)
            Assert.True(content.AsSpan().SequenceEqual(host.ReadFile(path)), all + " mcopy of " + path);
    }
}
