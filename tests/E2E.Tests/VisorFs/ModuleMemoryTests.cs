// ModuleMemoryTests.cs -- once a gzip'd boot module is inflated into its tardisk, its compressed boot copy goes back
// to the page allocator (ESXi does not keep it either), while the tardisk's files stay readable.
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using static Vmk.E2E.Tests.VisorFs.BootModules;

namespace Vmk.E2E.Tests.VisorFs;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class ModuleMemoryTests
{
    private const int TestTimeoutMs = 180_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task InflatedModule_BootCopyIsReleased_FilesStayReadable()
    {
        using var modules = new BootModules();
        modules.Add("s.v00", Gzip(VisorTar(BaseImage())));
        // Random bytes do not compress: the gzip'd module keeps about 512 KB of boot memory to give back.
        var noise = new byte[512 * 1024];
        new Random(7).NextBytes(noise);
        modules.Add("noise.v00", Gzip(VisorTar([File("opt/noise/data.bin", noise), File("opt/noise/note.txt", "still here\n")])));
        await using var guest = await Guest.StartAsync(modules.Config(), nameof(ModuleMemoryTests));
        await guest.ExpectPromptAsync();
        var released = Regex.Match(guest.Session.Text, @"VisorFs: Released (\d+) KB of boot module memory");
        guest.Check(released.Success && int.Parse(released.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 400,
            "expected the compressed boot copy of noise.v00 (~512 KB) to be released");
        string note = await guest.RunAsync("cat /opt/noise/note.txt");
        guest.Check(note.Trim() == "still here", $"the inflated tardisk's file: {note}");
        string stat = await guest.RunAsync("stat /opt/noise/data.bin");
        guest.Check(stat.Contains("524288", StringComparison.Ordinal), $"the large file's size: {stat}");
        await guest.PowerOffAsync();
    }
}
