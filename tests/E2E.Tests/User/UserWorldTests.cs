// UserWorldTests.cs -- issue 11's first milestone seen from the shell: static ELF executables from a tardisk run
// in ring 3 as userworlds. Hello world prints and exits 0; an exit status and argv arrive; a null dereference and a
// read of kernel memory kill only the program (a UserDump line, the shell's signal report) and the shell goes on;
// bad pointers given to write() are -EFAULT; the first system calls behave.
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserWorldTests
{
    private const int TestTimeoutMs = 300_000;

    // The test programs as /bin/NAME in one extra tardisk (a gzip'd visor-tar, like a bundle), executable.
    private static QemuConfig WithPrograms(BootModules modules, params string[] names) =>
        UserImage.Config(modules, "user.v00", UserImage.Programs(names));

    [Fact(Timeout = TestTimeoutMs)]
    public async Task HelloWorld_PrintsAndExitsZero_ArgvAndExitStatusArrive()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithPrograms(modules, "hello", "exit42", "spin"), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string hello = await guest.RunAsync("/bin/hello");
        guest.Check(hello.Contains("hello, world from ring 3", StringComparison.Ordinal), $"hello printed:\n{hello}");
        guest.Check(!hello.Contains("exit status", StringComparison.Ordinal), $"hello did not exit 0:\n{hello}");
        string exit = await guest.RunAsync("/bin/exit42 one two");
        guest.Check(exit.Contains("/bin/exit42: exit status 42", StringComparison.Ordinal), $"exit42:\n{exit}");
        string again = await guest.RunAsync("/bin/hello");
        guest.Check(again.Contains("hello, world from ring 3", StringComparison.Ordinal), $"a second run:\n{again}");
        // Long enough in ring 3 for hundreds of timer interrupts (and switches to kernel worlds and back).
        // The tick's row, whichever device gives it: the local APIC timer when the MADT lists an APIC, else the PIT.
        long TimerCount(string table) => long.Parse(System.Text.RegularExpressions.Regex.Match(table, @"^\s+\d+\s+\S+\s+(\d+)\s+timer \((?:local APIC|PIT)\)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value);
        long before = TimerCount(await guest.RunAsync("interrupts"));
        string spin = await guest.RunAsync("/bin/spin", TimeSpan.FromSeconds(120));
        long after = TimerCount(await guest.RunAsync("interrupts"));
        guest.Check(spin.Contains("spin: done, registers intact", StringComparison.Ordinal), $"spin:\n{spin}");
        guest.Check(after - before >= 20, $"only {after - before} timer interrupts while spinning");
        string missing = await guest.RunAsync("/bin/nothere");
        guest.Check(missing.Contains("sh: /bin/nothere: not found", StringComparison.Ordinal), $"a missing program:\n{missing}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task NullDereferenceAndKernelReads_KillOnlyTheProgram_ShellSurvives()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithPrograms(modules, "nullderef", "kernelread", "hello"), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("/bin/nullderef");
        guest.Check(output.Contains("about to dereference null", StringComparison.Ordinal), $"nullderef ran:\n{output}");
        guest.Check(!output.Contains("FAIL", StringComparison.Ordinal), $"nullderef survived its fault:\n{output}");
        guest.Check(output.Contains("/bin/nullderef: killed by signal 11 (Segmentation fault)", StringComparison.Ordinal), $"the shell's report:\n{output}");
        await guest.ExpectAsync(new System.Text.RegularExpressions.Regex(@"UserDump: world \d+ \(nullderef\) cartel \d+: #PF Page Fault at rip 0x[0-9a-f]+ address 0x8 \(not mapped\)"),
            TimeSpan.FromSeconds(10), 0, "the UserDump line");

        // The kernel image (top 2 GiB) and the direct map exist in every address space but are not user pages.
        string image = await guest.RunAsync("/bin/kernelread");
        guest.Check(image.Contains("killed by signal 11", StringComparison.Ordinal) && !image.Contains("FAIL", StringComparison.Ordinal), $"reading the kernel image:\n{image}");
        string direct = await guest.RunAsync("/bin/kernelread directmap");
        guest.Check(direct.Contains("killed by signal 11", StringComparison.Ordinal) && !direct.Contains("FAIL", StringComparison.Ordinal), $"reading the direct map:\n{direct}");
        await guest.ExpectAsync(new System.Text.RegularExpressions.Regex(@"UserDump: world \d+ \(kernelread\) .* address 0xffffffff80100000 \(protection\)"),
            TimeSpan.FromSeconds(10), 0, "the UserDump line for the kernel image");

        // The shell and the kernel go on; a program runs again.
        string hello = await guest.RunAsync("/bin/hello");
        guest.Check(hello.Contains("hello, world from ring 3", StringComparison.Ordinal), $"hello after the faults:\n{hello}");
        string ps = await guest.RunAsync("ps");
        guest.Check(!ps.Contains("nullderef", StringComparison.Ordinal) && !ps.Contains("kernelread", StringComparison.Ordinal), $"dead programs are gone:\n{ps}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task FirstSystemCalls_Behave_BadPointersAreEfault()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithPrograms(modules, "syscalls"), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string output = await guest.RunAsync("/bin/syscalls");
        guest.Check(!output.Contains("FAIL", StringComparison.Ordinal) && !output.Contains("exit status", StringComparison.Ordinal), $"syscalls:\n{output}");
        foreach (string line in new[] { "write: EFAULT for null, kernel and edge pointers", "uname: VMkernel x86_64", "clock_gettime: monotonic",
                     "brk: grew 64 KiB", "mmap: 1 MiB anonymous, zeroed, unmapped", "arch_prctl: FS base set and read back", "syscalls: all passed" })
            guest.Check(output.Contains(line, StringComparison.Ordinal), $"missing '{line}':\n{output}");
        await guest.ExpectAsync(new System.Text.RegularExpressions.Regex(@"unimplemented system call 400 from syscalls"), TimeSpan.FromSeconds(10), 0, "the ENOSYS log line");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task WithSmepAndSmap_TheSameProgramsBehave()
    {
        // QEMU's "max" CPU has SMEP and SMAP: the kernel turns both on, and user copies open SMAP around themselves.
        using var modules = new BootModules();
        QemuConfig config = WithPrograms(modules, "syscalls", "kernelread") with { ExtraArguments = ["-cpu", "max"] };
        await using var guest = await Guest.StartAsync(config, nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        await guest.ExpectAsync(new System.Text.RegularExpressions.Regex("Ring 3 ready: syscall/sysret, SMEP on, SMAP on"), TimeSpan.FromSeconds(10), 0, "SMEP and SMAP on");
        string output = await guest.RunAsync("/bin/syscalls");
        guest.Check(output.Contains("syscalls: all passed", StringComparison.Ordinal) && !output.Contains("FAIL", StringComparison.Ordinal), $"syscalls:\n{output}");
        string read = await guest.RunAsync("/bin/kernelread");
        guest.Check(read.Contains("killed by signal 11", StringComparison.Ordinal), $"kernelread:\n{read}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task GroupPlacementInArgv_PutsTheProgramInItsGroup_ItsLimitBinds_TheProgramDoesNotSeeIt()
    {
        // ESXi's `++group=PATH,max=MB` as the first argument: the kernel places the process and takes the argument away.
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.Config(modules, "user.v00", [UserImage.Busybox(), .. UserImage.Programs("memhog")]), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string echo = await guest.RunAsync("/bin/busybox ++group=eg echo a b");
        guest.Check(System.Text.RegularExpressions.Regex.IsMatch(echo, @"^a b\r?$", System.Text.RegularExpressions.RegexOptions.Multiline), $"argv kept the placement:\n{echo}");
        string hog = await guest.RunAsync("/bin/memhog ++group=uw8,max=8");
        guest.Check(hog.Contains("Admission failure in path: host/user/uw8:memhog", StringComparison.Ordinal), $"no admission failure in host/user/uw8:\n{hog}");
        guest.Check(hog.Contains("/bin/memhog: killed by signal 9 (Killed)", StringComparison.Ordinal), $"the memory policy's kill:\n{hog}");
        string memstats = await guest.RunAsync("memstats -r group-stats");
        guest.Check(System.Text.RegularExpressions.Regex.IsMatch(memstats, @"^\s*\d+\s+eg\s", System.Text.RegularExpressions.RegexOptions.Multiline)
            && !System.Text.RegularExpressions.Regex.IsMatch(memstats, @"^\s*\d+\s+uw\s", System.Text.RegularExpressions.RegexOptions.Multiline),
            $"the programs did not run in their own groups:\n{memstats}");
        string bad = await guest.RunAsync("/bin/busybox ++group=eg,max=lots echo x");
        guest.Check(bad.Contains("invalid placement 'max=lots'", StringComparison.Ordinal), $"a bad placement:\n{bad}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task DebianBusyboxStatic_RunsItsApplets()
    {
        // Debian's busybox-static (tools/ensure-host-tools.sh installs it): a real glibc static executable, whose
        // start-up uses brk, arch_prctl, set_tid_address, set_robust_list, prlimit64, getrandom and mprotect.
        byte[] busybox = File.ReadAllBytes("/bin/busybox");
        Assert.True(busybox.Length > 0, "/bin/busybox is empty");
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.WithBusybox(modules), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string echo = await guest.RunAsync("/bin/busybox echo hi");
        guest.Check(System.Text.RegularExpressions.Regex.IsMatch(echo, @"^hi\r?$", System.Text.RegularExpressions.RegexOptions.Multiline), $"busybox echo hi:\n{echo}");
        guest.Check(!echo.Contains("exit status", StringComparison.Ordinal) && !echo.Contains("killed", StringComparison.Ordinal), $"busybox echo hi did not exit 0:\n{echo}");
        string uname = await guest.RunAsync("/bin/busybox uname -sm");
        guest.Check(uname.Contains("VMkernel x86_64", StringComparison.Ordinal), $"busybox uname -sm:\n{uname}");
        string status = await guest.RunAsync("/bin/busybox false");
        guest.Check(status.Contains("/bin/busybox: exit status 1", StringComparison.Ordinal), $"busybox false:\n{status}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task GlibcStaticAndStaticPie_RunMainAndExitWithItsStatus()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithPrograms(modules, "chello", "chello-pie"), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string exec = await guest.RunAsync("/bin/chello one");
        guest.Check(exec.Contains("hello from C, argc=2 argv[1]=one heap", StringComparison.Ordinal), $"chello:\n{exec}");
        guest.Check(exec.Contains("/bin/chello: exit status 2", StringComparison.Ordinal), $"chello's status:\n{exec}");
        string pie = await guest.RunAsync("/bin/chello-pie a b");
        guest.Check(pie.Contains("hello from C, argc=3 argv[1]=a heap", StringComparison.Ordinal), $"chello-pie:\n{pie}");
        guest.Check(pie.Contains("/bin/chello-pie: exit status 3", StringComparison.Ordinal), $"chello-pie's status:\n{pie}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task UserPages_AreChargedToTheGroup_PastItsLimitOnlyTheProgramDies()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithPrograms(modules, "memhog", "hello"), nameof(UserWorldTests));
        await guest.ExpectPromptAsync();
        string unlimited = await guest.RunAsync("/bin/memhog");
        guest.Check(unlimited.Contains("memhog: got 64 MiB", StringComparison.Ordinal), $"memhog without a limit:\n{unlimited}");
        string peak = await guest.RunAsync("memstats -r group-stats");
        var uw = System.Text.RegularExpressions.Regex.Match(peak, @"^\s*\d+\s+uw\s+\d+\s+\d+\s+\d+\s+-?\d+\s+-?\d+\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        guest.Check(uw.Success && long.Parse(uw.Groups[1].Value) == 0 && long.Parse(uw.Groups[2].Value) >= 64 * 1024,
            $"host/user/uw should show 64 MiB at its peak and nothing now:\n{peak}");
        guest.Check((await guest.RunAsync("group set host/user/uw --max 8")).Contains("updated host/user/uw", StringComparison.Ordinal), "limit set");
        string limited = await guest.RunAsync("/bin/memhog");
        guest.Check(!limited.Contains("got 64 MiB", StringComparison.Ordinal), $"memhog passed its 8 MB limit:\n{limited}");
        guest.Check(limited.Contains("Admission failure in path: host/user/uw:memhog", StringComparison.Ordinal), $"no admission failure:\n{limited}");
        guest.Check(limited.Contains("/bin/memhog: killed by signal 9 (Killed)", StringComparison.Ordinal), $"the memory policy's kill:\n{limited}");
        string hello = await guest.RunAsync("/bin/hello");
        guest.Check(hello.Contains("hello, world from ring 3", StringComparison.Ordinal), $"hello after the kill:\n{hello}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
