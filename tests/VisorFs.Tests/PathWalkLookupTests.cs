// PathWalkLookupTests.cs -- the pieces a component-at-a-time path walk uses: PathHash must equal TarPath.Hash for
// every prefix, and TarIndex.FindChild must find exactly what TarIndex.TryFind finds for the whole path.
using System.Formats.Tar;
using System.Text;
using CsCheck;

namespace VisorFs.Tests;

public class PathWalkLookupTests
{
    [Fact]
    public void PathHashEqualsTheWholePathHash_ForEveryPrefix()
    {
        Gen.String[Gen.Char['\u0001', '\u07ff'], 0, 300].Sample(text =>
        {
            var state = PathHash.Empty;
            Assert.Equal(TarPath.Hash(""), state.Finish());
            for (int i = 0; i < text.Length; i++)
            {
                state.Append(text[i]);
                Assert.Equal(TarPath.Hash(text[..(i + 1)]), state.Finish());
            }
        }, iter: 300);
    }

    [Fact]
    public void FindChildAgreesWithTryFind_ForEveryEntryOfRandomTrees()
    {
        string[] names = ["a", "b", "ab", "bin", "lib", "x1", "a-long-name-0123456789"];
        Gen.Int.Sample(seed =>
        {
            var rng = new Random(seed);
            using var stream = new MemoryStream();
            var made = new HashSet<string>();
            using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
            {
                for (int i = 0; i < 1 + rng.Next(80); i++)
                {
                    var path = new StringBuilder();
                    int depth = 1 + rng.Next(5);
                    for (int d = 0; d < depth; d++)
                        path.Append(d == 0 ? "" : "/").Append(names[rng.Next(names.Length)]);
                    string p = path.ToString();
                    // Directories only: a path through a file would be rejected, which another test covers.
                    if (!made.Add(p))
                        continue;
                    writer.WriteEntry(new PaxTarEntry(System.Formats.Tar.TarEntryType.Directory, p + (rng.Next(2) == 0 ? "/" : "")));
                }
            }
            var index = TarIndex.Build(stream.ToArray());
            for (int i = 1; i < index.Count; i++)
            {
                TarEntry e = index[i];
                string parentPath = e.Parent == 0 ? "" : index[e.Parent].Path;
                var state = PathHash.Empty;
                state.Append(e.Path.AsSpan());
                Assert.Equal(i, index.FindChild(e.Parent, e.Name.AsSpan(), state.Finish()));
                Assert.Equal(e.Path, parentPath.Length == 0 ? e.Name : parentPath + "/" + e.Name);
                // The same name under another directory, and a name that is a suffix of this one, are not it.
                int other = (e.Parent + 1) % index.Count;
                if (index[other].IsDirectory && other != e.Parent)
                {
                    var o = PathHash.Empty;
                    o.Append((other == 0 ? e.Name : index[other].Path + "/" + e.Name).AsSpan());
                    bool exists = index.TryFind(other == 0 ? e.Name : index[other].Path + "/" + e.Name, out TarEntry found);
                    Assert.Equal(exists ? found.Index : -1, index.FindChild(other, e.Name.AsSpan(), o.Finish()));
                }
                if (e.Name.Length > 1)
                {
                    string shorter = e.Name[1..];
                    var s = PathHash.Empty;
                    s.Append((parentPath.Length == 0 ? shorter : parentPath + "/" + shorter).AsSpan());
                    bool exists = index.TryFind(parentPath.Length == 0 ? shorter : parentPath + "/" + shorter, out TarEntry found);
                    Assert.Equal(exists ? found.Index : -1, index.FindChild(e.Parent, shorter.AsSpan(), s.Finish()));
                }
            }
        }, iter: 60);
    }
}
