// BootMediaTests.cs -- module options of the runner: -initrd generation and symlinks for renamed files (their
// command-line parsing is in RunnerLogicTests.cs).
using Vmk.E2E.Tests.Infrastructure;
using Vmk.ImageBuilder;
using Vmk.Iso;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Unit;

public sealed class BootMediaTests : IDisposable
{
    private readonly TestModules _files = new();

    public void Dispose() => _files.Dispose();

    private static string? ValueOf(IReadOnlyList<string> args, string flag)
    {
        int i = args.ToList().IndexOf(flag);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    private string Bank(string modules)
    {
        string dir = Path.Combine(_files.Directory, "bank");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "boot.cfg"), "kernel=kernel.elf\nmodules=" + modules + "\n");
        foreach (var item in modules.Split("---"))
        {
            File.WriteAllText(Path.Combine(dir, item.Trim().Split(' ')[0]), "m");
        }
        return dir;
    }

    [Fact]
    public void InitrdArgument_IsPathThenOptions_CommaSeparated_CommasDoubled()
    {
        string arg = QemuCommandLine.InitrdArgument([
            new ModuleFile("/b/s.v00", "s.v00"),
            new ModuleFile("/b/x.v00", "x.v00", "opt=1 list=a,b"),
            new ModuleFile("/r,un/state.tgz", "state.tgz"),
        ]);
        Assert.Equal("/b/s.v00,/b/x.v00 opt=1 list=a,,b,/r,,un/state.tgz", arg);
    }

    [Theory]
    [InlineData("/b/saved.tgz", "state.tgz")]
    [InlineData("/b c/state.tgz", "state.tgz")]
    public void InitrdArgument_RefusesFilesNotNamedAfterTheirModule(string path, string name)
    {
        Assert.Throws<InvalidOperationException>(() => QemuCommandLine.InitrdArgument([new ModuleFile(path, name)]));
    }

    [Fact]
    public void Direct_WithModules_PassesInitrd_IsoBoot_RefusesIt()
    {
        var modules = new[] { new ModuleFile("/b/s.v00", "s.v00") };
        var direct = new QemuCommandLine(new QemuConfig { Boot = BootKind.Direct, KernelPath = "/k", InitrdModules = modules }).Arguments;
        Assert.Equal("/b/s.v00", ValueOf(direct, "-initrd"));
        Assert.DoesNotContain("-initrd", new QemuCommandLine(new QemuConfig { Boot = BootKind.Direct, KernelPath = "/k" }).Arguments);
        Assert.Throws<InvalidOperationException>(() => new QemuCommandLine(new QemuConfig { InitrdModules = modules }));
    }

    [Fact]
    public void PrepareDirect_ComposesBankExtrasState_AndLinksRenamedFiles()
    {
        string bank = Bank("s.v00 --- docs.v00 opt=1");
        string extra = _files.Write("in dir/extra.tgz", [1]);
        string state = _files.Write("saved-state.bin", [2]);
        var config = new QemuConfig { Boot = BootKind.Direct, BootBankDir = bank, ExtraModules = [extra], StateFile = state };
        using var prepared = BootMedia.Prepare(config);
        var modules = prepared.Config.InitrdModules;
        Assert.Equal(["s.v00", "docs.v00 opt=1", "extra.tgz", "state.tgz"], modules.Select(m => m.CommandLine));
        Assert.Equal(Path.Combine(bank, "s.v00"), modules[0].SourcePath);
        Assert.NotNull(prepared.RunDir);
        Assert.Equal(Path.Combine(prepared.RunDir!, "extra.tgz"), modules[2].SourcePath);
        Assert.Equal(Path.Combine(prepared.RunDir!, "state.tgz"), modules[3].SourcePath);
        Assert.Equal([2], File.ReadAllBytes(modules[3].SourcePath));
        string initrd = ValueOf(new QemuCommandLine(prepared.Config).Arguments, "-initrd")!;
        Assert.EndsWith("/state.tgz", initrd, StringComparison.Ordinal);
        prepared.Dispose();
        Assert.False(Directory.Exists(prepared.RunDir));
    }

    [Fact]
    public void PrepareDirect_WithoutExtras_NeedsNoRunDir()
    {
        using var prepared = BootMedia.Prepare(new QemuConfig { Boot = BootKind.Direct, BootBankDir = Bank("s.v00") });
        Assert.Null(prepared.RunDir);
        Assert.Equal(["s.v00"], prepared.Config.InitrdModules.Select(m => m.Name));
    }

    [Fact]
    public void IsoBoot_WithoutExtras_UsesTheBuiltIso()
    {
        var config = new QemuConfig { Boot = BootKind.Bios, IsoPath = "/x.iso", BootBankDir = Bank("s.v00") };
        using var prepared = BootMedia.Prepare(config);
        Assert.Same(config, prepared.Config);
        Assert.Null(prepared.RunDir);
    }

    [Fact]
    public void MissingModule_IsAClearError()
    {
        var config = new QemuConfig { Boot = BootKind.Bios, BootBankDir = Bank("s.v00"), ExtraModules = ["/nonexistent/m.tgz"] };
        var e = Assert.Throws<ImageBuildException>(() => BootMedia.Prepare(config));
        Assert.Contains("--module /nonexistent/m.tgz: no such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunPlan_CarriesModules_AndBootFileIsTheKernelForAPerRunIso()
    {
        var plan = RunPlan.Create(new RunnerOptions { Modules = ["/a.tgz"], StateFile = "/s", KernelPath = "/k.elf", IsoPath = "/i.iso" },
            new RunnerEnvironment(StdinIsTerminal: false, HasDisplay: false));
        Assert.Equal(["/a.tgz"], plan.Config.ExtraModules);
        Assert.Equal("/s", plan.Config.StateFile);
        Assert.Equal("/k.elf", plan.BootFile);
        Assert.Equal("/i.iso", RunPlan.Create(new RunnerOptions { IsoPath = "/i.iso" }, new RunnerEnvironment(false, false)).BootFile);
    }

    [Fact]
    public async Task Runner_MissingModuleFile_ExitsOne_WithTheName()
    {
        var error = new StringWriter();
        int code = await new Runner(new StringWriter(), error).RunAsync(
            new RunnerOptions { Boot = BootKind.Direct, Modules = ["/nonexistent/extra.v00"], Exec = ["uname -a"], KernelPath = "/bin/true" },
            new RunnerEnvironment(false, false), CancellationToken.None);
        Assert.Equal(ExitCodes.UsageOrBuildError, code);
        Assert.Contains("--module /nonexistent/extra.v00: no such file", error.ToString(), StringComparison.Ordinal);
    }
}
