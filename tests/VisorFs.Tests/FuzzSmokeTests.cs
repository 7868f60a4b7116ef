// FuzzSmokeTests.cs -- a short in-process fuzz run of every SharpFuzz target: seeds plus random mutations.
using VisorFs.Fuzz;

namespace VisorFs.Tests;

public class FuzzSmokeTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.Names);

    [Theory]
    [MemberData(nameof(Targets))]
    public void TargetSurvivesMutations(string target)
    {
        var seeds = SeedCorpus.For(target);
        Assert.NotEmpty(seeds);
        var rng = new Random(target.GetHashCode(StringComparison.Ordinal) ^ 12345);
        foreach (byte[] seed in seeds)
        {
            FuzzTargets.Run(target, seed);
        }
        for (int i = 0; i < 3000; i++)
        {
            byte[] input = Mutate(seeds[rng.Next(seeds.Count)], seeds, rng);
            FuzzTargets.Run(target, input);
        }
    }

    // AFL-like havoc: bit flips, byte sets, interesting values, block deletes/duplicates, splices, truncation.
    private static byte[] Mutate(byte[] seed, List<byte[]> all, Random rng)
    {
        var b = new List<byte>(seed);
        int rounds = 1 + rng.Next(6);
        for (int r = 0; r < rounds && b.Count > 0; r++)
        {
            int pos = rng.Next(b.Count);
            switch (rng.Next(8))
            {
                case 0: b[pos] ^= (byte)(1 << rng.Next(8)); break;
                case 1: b[pos] = (byte)rng.Next(256); break;
                case 2: b[pos] = new byte[] { 0, 0x7F, 0x80, 0xFF, (byte)'0', (byte)'7', (byte)' ', (byte)'/' }[rng.Next(8)]; break;
                case 3: b.RemoveRange(pos, Math.Min(b.Count - pos, 1 + rng.Next(64))); break;
                case 4: b.InsertRange(pos, b.GetRange(pos, Math.Min(b.Count - pos, 1 + rng.Next(64)))); break;
                case 5:
                    byte[] other = all[rng.Next(all.Count)];
                    int start = rng.Next(other.Length);
                    b.InsertRange(pos, other.AsSpan(start, Math.Min(other.Length - start, 1 + rng.Next(512))).ToArray());
                    break;
                case 6: b.RemoveRange(pos, b.Count - pos); break;
                default:
                    for (int k = 0; k < 4 && pos + k < b.Count; k++) b[pos + k] = (byte)rng.Next(256);
                    break;
            }
        }
        return b.ToArray();
    }
}
