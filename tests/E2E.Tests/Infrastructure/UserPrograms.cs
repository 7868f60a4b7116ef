// UserPrograms.cs -- builds the userworld test programs once per test run into artifacts/test-user/: UserPrograms/
// *.asm (static ELF64 executables that call Linux system calls directly, no C library) with nasm and ld, and
// UserPrograms/*.c with gcc against glibc, -static and -static-pie.
using System.Diagnostics;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Infrastructure;

public static class UserPrograms
{
    private static readonly Lazy<string> s_built = new(Build);

    /// <summary>The folder holding one executable per UserPrograms/NAME.asm, named NAME.</summary>
    public static string Folder => s_built.Value;

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    private static string Build()
    {
        string source = Path.Combine(RepoPaths.Root, "tests", "E2E.Tests", "UserPrograms");
        string outDir = Path.Combine(RepoPaths.Artifacts, "test-user");
        Directory.CreateDirectory(outDir);
        foreach (string asm in Directory.GetFiles(source, "*.asm"))
        {
            string name = Path.GetFileNameWithoutExtension(asm);
            string obj = Path.Combine(outDir, name + ".o");
            Run("nasm", "-f", "elf64", "-i", source + "/", "-o", obj, asm);
            Run("ld", "-static", "-nostdlib", "-o", Path.Combine(outDir, name), obj);
        }
        // C programs against glibc, twice: a static executable (NAME) and a static-PIE one (NAME-pie).
        foreach (string c in Directory.GetFiles(source, "*.c"))
        {
            string name = Path.GetFileNameWithoutExtension(c);
            Run("gcc", "-O2", "-static", "-o", Path.Combine(outDir, name), c);
            Run("gcc", "-O2", "-static-pie", "-o", Path.Combine(outDir, name + "-pie"), c);
        }
        return outDir;
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
    }
}
