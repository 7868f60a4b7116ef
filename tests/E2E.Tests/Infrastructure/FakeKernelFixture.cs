// FakeKernelFixture.cs -- assembles FakeKernel/fakekernel.asm (a guest that speaks the serial contract) for the
// harness tests, so QemuSession and ExecScript are proven against real QEMU independently of the real kernel.
using System.Diagnostics;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Infrastructure;

public sealed class FakeKernelFixture
{
    public FakeKernelFixture()
    {
        string source = Path.Combine(RepoPaths.Root, "tests", "E2E.Tests", "FakeKernel");
        string outDir = Path.Combine(RepoPaths.Artifacts, "test-fake");
        Directory.CreateDirectory(outDir);
        string obj = Path.Combine(outDir, "fakekernel.o");
        KernelPath = Path.Combine(outDir, "fakekernel.elf");
        Run("nasm", "-f", "elf32", Path.Combine(source, "fakekernel.asm"), "-o", obj);
        Run("ld", "-m", "elf_i386", "-T", Path.Combine(source, "fakekernel.ld"), "-o", KernelPath, obj);
    }

    public string KernelPath { get; }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
        }
    }
}
