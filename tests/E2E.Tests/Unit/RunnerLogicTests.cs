// RunnerLogicTests.cs -- memory sizes, kernel options, exit codes, mode planning and the command line parser.
using System.CommandLine;
using Vmk.Iso;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Unit;

public sealed class MemorySizeTests
{
    [Theory]
    [InlineData("512M", 512L << 20, "512M")]
    [InlineData("512", 512L << 20, "512M")]
    [InlineData("4G", 4L << 30, "4G")]
    [InlineData("4g", 4L << 30, "4G")]
    [InlineData("1536M", 1536L << 20, "1536M")]
    [InlineData("2048M", 2L << 30, "2G")]
    [InlineData("131072K", 128L << 20, "128M")]
    [InlineData("1T", 1L << 40, "1T")]
    [InlineData(" 128MB ", 128L << 20, "128M")]
    public void Valid(string text, long bytes, string qemu)
    {
        Assert.True(MemorySize.TryParse(text, out var size, out string error), error);
        Assert.Equal(bytes, size.Bytes);
        Assert.Equal(qemu, size.QemuText);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-1G")]
    [InlineData("1.5G")]
    [InlineData("12Q")]
    [InlineData("16M")]
    [InlineData("2T")]
    [InlineData("99999999999999G")]
    [InlineData("100001K")]
    public void Invalid(string text)
    {
        Assert.False(MemorySize.TryParse(text, out _, out string error));
        Assert.Contains(text.Trim(), error);
    }
}

public sealed class KernelOptionsTests
{
    [Fact]
    public void Join_SplitsAndNormalizesSpaces()
    {
        Assert.Equal("a b=1 c", KernelOptions.Join(["  a  b=1 ", "", "c"]));
    }

    [Fact]
    public void WithDefault_AddsOnlyWhenKeyAbsent()
    {
        Assert.Equal(["x", "panic=exit"], KernelOptions.WithDefault(["x"], "panic=exit"));
        Assert.Equal(["x panic=halt"], KernelOptions.WithDefault(["x panic=halt"], "panic=exit"));
    }
}

public sealed class ExitCodesTests
{
    [Theory]
    [InlineData(0, false, 0)]
    [InlineData(33, false, 0)]
    [InlineData(35, false, 6)]
    [InlineData(37, false, 4)]
    [InlineData(0, true, 4)]
    [InlineData(1, false, 5)]
    [InlineData(137, false, 5)]
    public void QemuExit_Maps(int qemu, bool panic, int expected)
    {
        Assert.Equal(expected, ExitCodes.FromQemuExit(qemu, panic));
    }

    [Fact]
    public void Table_ListsEveryCode()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], ExitCodes.Table.Select(t => t.Code));
        Assert.Contains("  4  kernel panic", ExitCodes.Describe());
    }
}

public sealed class RunPlanTests
{
    private static readonly RunnerEnvironment Terminal = new(StdinIsTerminal: true, HasDisplay: true);
    private static readonly RunnerEnvironment NoTerminal = new(StdinIsTerminal: false, HasDisplay: true);
    private static readonly RunnerEnvironment NoDisplay = new(StdinIsTerminal: true, HasDisplay: false);

    [Fact]
    public void Interactive_KeepsWindowAndReboots_NoTimeout()
    {
        var plan = RunPlan.Create(new RunnerOptions(), Terminal);
        Assert.Equal(RunMode.Interactive, plan.Mode);
        Assert.False(plan.Config.Headless);
        Assert.Equal(SerialMode.MonitorStdio, plan.Config.Serial);
        Assert.False(plan.Config.NoReboot);
        Assert.Empty(plan.Config.KernelOptions);
        Assert.Null(plan.Timeout);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void NoDisplay_GoesHeadless_WithANote()
    {
        var plan = RunPlan.Create(new RunnerOptions(), NoDisplay);
        Assert.True(plan.Config.Headless);
        Assert.Single(plan.Notes);
    }

    [Fact]
    public void Exec_IsUnattended_With120sTimeout()
    {
        var plan = RunPlan.Create(new RunnerOptions { Exec = ["uname -a"], KernelOptions = ["x"] }, Terminal);
        Assert.Equal(RunMode.Exec, plan.Mode);
        Assert.Equal(SerialMode.Stdio, plan.Config.Serial);
        Assert.True(plan.Config.NoReboot);
        Assert.Equal(["x", "panic=exit"], plan.Config.KernelOptions);
        Assert.Equal(TimeSpan.FromSeconds(120), plan.Timeout);
    }

    [Fact]
    public void PipedStdin_IsUnattended_WithoutDefaultTimeout()
    {
        var plan = RunPlan.Create(new RunnerOptions { Timeout = TimeSpan.FromSeconds(7) }, NoTerminal);
        Assert.Equal(RunMode.Piped, plan.Mode);
        Assert.True(plan.Config.NoReboot);
        Assert.Contains("panic=exit", plan.Config.KernelOptions);
        Assert.Equal(TimeSpan.FromSeconds(7), plan.Timeout);
        Assert.Null(RunPlan.Create(new RunnerOptions(), NoTerminal).Timeout);
    }

    [Fact]
    public void Gdb_HasNoDefaultTimeout()
    {
        Assert.Null(RunPlan.Create(new RunnerOptions { Exec = ["x"], Gdb = true }, Terminal).Timeout);
    }

    [Fact]
    public void BootFile_FollowsBootKind()
    {
        var options = new RunnerOptions { KernelPath = "/k.elf", IsoPath = "/i.iso" };
        Assert.Equal("/k.elf", RunPlan.Create(options with { Boot = BootKind.Direct }, Terminal).BootFile);
        Assert.Equal("/i.iso", RunPlan.Create(options with { Boot = BootKind.Uefi }, Terminal).BootFile);
    }
}

public sealed class RunnerCliTests
{
    private static (int Code, RunnerOptions? Options, string Error) Invoke(params string[] args)
    {
        RunnerOptions? captured = null;
        var root = RunnerCli.Build((options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        });
        var error = new StringWriter();
        var parse = root.Parse(args);
        int code = parse.Invoke(new InvocationConfiguration { Error = error, Output = new StringWriter() });
        return (code, captured, error.ToString());
    }

    [Fact]
    public void AllOptions_AreParsed()
    {
        var (code, o, _) = Invoke("--direct", "--headless", "--exec", "uname -a", "-e", "free", "-m", "4G", "--cpus", "2",
            "-k", "a=1 b", "--kernelopt", "c", "--gdb", "--timeout", "30", "--kernel", "k.elf", "--qemu-arg=-cpu", "--qemu-arg", "max");
        Assert.Equal(0, code);
        Assert.NotNull(o);
        Assert.Equal(BootKind.Direct, o.Boot);
        Assert.True(o.Headless);
        Assert.Equal(["uname -a", "free"], o.Exec);
        Assert.Equal("4G", o.Memory.QemuText);
        Assert.Equal(2, o.Cpus);
        Assert.Equal(["a=1 b", "c"], o.KernelOptions);
        Assert.True(o.Gdb);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Timeout);
        Assert.Equal(Path.GetFullPath("k.elf"), o.KernelPath);
        Assert.Equal(["-cpu", "max"], o.QemuArguments);
    }

    [Fact]
    public void Defaults()
    {
        var (code, o, _) = Invoke();
        Assert.Equal(0, code);
        Assert.Equal(BootKind.Bios, o!.Boot);
        Assert.Equal("512M", o.Memory.QemuText);
        Assert.Equal(1, o.Cpus);
        Assert.Null(o.Timeout);
        Assert.Empty(o.Exec);
    }

    [Theory]
    [InlineData("--memory", "lots")]
    [InlineData("--memory", "8M")]
    [InlineData("--cpus", "0")]
    [InlineData("--cpus", "x")]
    [InlineData("--timeout", "-5")]
    [InlineData("--uefi", "--direct")]
    [InlineData("--bench", "0")]
    [InlineData("--nosuchoption")]
    [InlineData("--bench", "3", "--module", "a.tgz")]
    [InlineData("--bench", "3", "--state", "s.tgz")]
    [InlineData("--iso", "x.iso", "--module", "a.tgz")]
    [InlineData("--state", "a", "--state", "b")]
    [InlineData("--rollback")]
    [InlineData("--disk-image", "d.img", "--direct")]
    [InlineData("--disk-image", "d.img", "--iso", "x.iso")]
    [InlineData("--disk-image", "d.img", "--module", "a.tgz")]
    [InlineData("--disk-image", "d.img", "--bench", "3")]
    public void BadInput_IsUsageError(params string[] args)
    {
        var (code, options, error) = Invoke(args);
        Assert.Equal(ExitCodes.UsageOrBuildError, code);
        Assert.Null(options);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void DiskImage_WithRollbackAndUefi_GoesIntoThePlan()
    {
        var (code, o, _) = Invoke("--disk-image", "d.img", "--uefi", "--rollback");
        Assert.Equal(0, code);
        Assert.Equal(Path.GetFullPath("d.img"), o!.DiskImage);
        Assert.True(o.Rollback);
        var plan = RunPlan.Create(o, new RunnerEnvironment(StdinIsTerminal: false, HasDisplay: false));
        Assert.Equal(Path.GetFullPath("d.img"), plan.Config.BootDisk);
        Assert.Equal(Path.GetFullPath("d.img"), plan.BootFile);
        Assert.Equal(BootKind.Uefi, plan.Config.Boot);
        Assert.True(plan.Config.Rollback);
    }

    [Fact]
    public void ModuleIsRepeatable_StateIsSingle_PathsAreMadeFull()
    {
        var (code, o, _) = Invoke("--direct", "--module", "a.tgz", "--module", "b/c.v00", "--state", "s.tgz");
        Assert.Equal(0, code);
        Assert.Equal([Path.GetFullPath("a.tgz"), Path.GetFullPath("b/c.v00")], o!.Modules);
        Assert.Equal(Path.GetFullPath("s.tgz"), o.StateFile);
        var (_, defaults, _) = Invoke();
        Assert.Empty(defaults!.Modules);
        Assert.Null(defaults.StateFile);
    }

    [Fact]
    public void Help_DocumentsModuleAndState()
    {
        var output = new StringWriter();
        RunnerCli.Build((_, _) => Task.FromResult(0)).Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Contains("--module", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--state", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("state.tgz", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Help_DocumentsExitCodes()
    {
        var output = new StringWriter();
        var root = RunnerCli.Build((_, _) => Task.FromResult(0));
        int code = root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, code);
        Assert.Contains("Exit codes:", output.ToString());
        Assert.Contains("--kernelopt", output.ToString());
    }
}

public sealed class TranscriptTests
{
    [Theory]
    [InlineData("uname -a\nVMkernel x\n", "uname -a", "VMkernel x")]
    [InlineData("free\n", "free", "")]
    [InlineData("log line\nfree\nMem: 1\n", "free", "log line\nMem: 1")]
    [InlineData("", "free", "")]
    public void ExtractOutput_DropsEcho(string segment, string command, string expected)
    {
        Assert.Equal(expected, Transcript.ExtractOutput(segment, command));
    }
}
