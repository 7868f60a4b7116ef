// Program.cs -- AFL++ entry: `VisorFs.Fuzz <target>` under afl-fuzz, or `VisorFs.Fuzz --seeds <target> <dir>`.
using SharpFuzz;
using VisorFs.Fuzz;

if (args.Length == 3 && args[0] == "--seeds")
{
    Directory.CreateDirectory(args[2]);
    var seeds = SeedCorpus.For(args[1]);
    for (int i = 0; i < seeds.Count; i++)
    {
        File.WriteAllBytes(Path.Combine(args[2], "seed" + i), seeds[i]);
    }
    return 0;
}
if (args.Length != 1 || Array.IndexOf(FuzzTargets.Names, args[0]) < 0)
{
    Console.Error.WriteLine("usage: VisorFs.Fuzz <" + string.Join("|", FuzzTargets.Names) + ">  |  VisorFs.Fuzz --seeds <target> <dir>");
    return 2;
}
string target = args[0];
Fuzzer.OutOfProcess.Run(stream =>
{
    var ms = new MemoryStream();
    stream.CopyTo(ms);
    FuzzTargets.Run(target, ms.ToArray());
});
return 0;
