// GptSgdiskTests.cs -- the kernel's GPT reader differential against gdisk's sgdisk: random layouts (1-8 partitions,
// random gaps, sizes, type codes and names) are written by sgdisk into a fresh image, read by PartitionTable, and
// every partition must match what `sgdisk --info` reports for it (first and last sector, type GUID, name); then the
// primary header is destroyed and the reader must find the same partitions through the backup header, as sgdisk does.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Drivers.Block;
using Kernel.Storage;

namespace Kernel.Tests.Storage;

public class GptSgdiskTests
{
    private sealed unsafe class FileDisk(byte[] data) : BlockDevice
    {
        public override int MaxSectorsPerRequest => 8;

        public void Init()
        {
            Name = "sgdisk";
            SectorCount = (ulong)data.Length / 512;
        }

        protected override BlockStatus Submit(BlockOperation operation, ulong lba, int count, byte* buffer)
        {
            if (operation != BlockOperation.Read)
                return BlockStatus.Unsupported;
            new ReadOnlySpan<byte>(data, (int)lba * 512, count * 512).CopyTo(new Span<byte>(buffer, count * 512));
            return BlockStatus.Ok;
        }
    }

    private static readonly string[] TypeCodes = ["ef00", "0700", "8300", "ef02", "8200", "fd00"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomLayouts_ReadAsSgdiskReportsThem_AlsoFromTheBackupHeader(int seed)
    {
        var random = new Random(seed);
        string image = Path.Combine(Path.GetTempPath(), $"vmk-sgdisk-{Environment.ProcessId}-{seed}.img");
        try
        {
            const long sectors = 65536;   // 32 MiB
            File.WriteAllBytes(image, new byte[sectors * 512]);
            var args = new List<string> { "-o", "-a 1" };   // no alignment: the sectors asked for are the sectors written
            int count = random.Next(1, 9);
            long next = 2048;
            for (int n = 1; n <= count; n++)
            {
                long start = next + random.Next(0, 4) * 2048;
                long end = start + random.Next(1, 3000) - 1;
                if (end >= sectors - 34)
                    break;
                string name = "p" + n + "-" + new string(Enumerable.Range(0, random.Next(0, 20)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
                args.Add($"-n {n}:{start}:{end}");
                args.Add($"-t {n}:{TypeCodes[random.Next(TypeCodes.Length)]}");
                args.Add($"-c {n}:{name}");
                next = end + 1;
            }
            Sgdisk(string.Join(' ', args) + " " + image);

            byte[] data = File.ReadAllBytes(image);
            var expected = Expected(image);
            Assert.NotEmpty(expected);
            Check(data, expected, backup: false);

            Array.Clear(data, 512, 512);   // the primary header: gone
            Check(data, expected, backup: true);
        }
        finally
        {
            File.Delete(image);
        }
    }

    private static void Check(byte[] data, List<(int Number, ulong First, ulong Last, string Type, string Name)> expected, bool backup)
    {
        var disk = new FileDisk(data);
        disk.Init();
        PartitionTable t = PartitionTable.Read(disk);
        Assert.Equal(PartitionScheme.Gpt, t.Scheme);
        Assert.Equal(backup, t.UsedBackupHeader);
        Assert.Equal(expected.Select(e => e.Number), t.Partitions.Select(p => p.Number));
        foreach (var (p, e) in t.Partitions.Zip(expected))
        {
            Assert.Equal((e.First, e.Last, e.Name), (p.FirstLba, p.LastLba, p.Name));
            Assert.Equal(e.Type, PartitionTable.GuidText(p.TypeGuid));
        }
    }

    // sgdisk's own view: `sgdisk --info=N` per partition number that `sgdisk -p` lists.
    private static List<(int, ulong, ulong, string, string)> Expected(string image)
    {
        var list = new List<(int, ulong, ulong, string, string)>();
        foreach (Match m in Regex.Matches(Sgdisk("-p " + image), @"^\s+(\d+)\s+\d+\s+\d+", RegexOptions.Multiline))
        {
            int n = int.Parse(m.Groups[1].Value);
            string info = Sgdisk($"--info={n} {image}");
            string type = Regex.Match(info, @"Partition GUID code: ([0-9A-F-]+)").Groups[1].Value.Replace("-", "");
            ulong first = ulong.Parse(Regex.Match(info, @"First sector: (\d+)").Groups[1].Value);
            ulong last = ulong.Parse(Regex.Match(info, @"Last sector: (\d+)").Groups[1].Value);
            string name = Regex.Match(info, @"Partition name: '([^']*)'").Groups[1].Value;
            list.Add((n, first, last, type, name));
        }
        return list;
    }

    private static string Sgdisk(string arguments)
    {
        var psi = new ProcessStartInfo("sgdisk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"sgdisk {arguments}:\n{output}");
        return output;
    }
}
