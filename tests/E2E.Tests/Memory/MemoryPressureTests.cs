// MemoryPressureTests.cs -- issue 10's "memory pressure must be an error, not a panic", seen from the shell: the
// kernel keeps a reservation user groups cannot take, a command that cannot get memory fails alone ("out of
// memory"), redirected output streams instead of piling up in the heap, ramdisks fill up to ENOSPC with ESXi's
// event, and the minimum memory the kernel states is the one it boots with. Each scenario panicked before.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Memory;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class MemoryPressureTests
{
    private const int TestTimeoutMs = 600_000;
    private const long MiB = 1 << 20;

    private static MemorySize Memory(string text) =>
        MemorySize.TryParse(text, out var size, out string error) ? size : throw new ArgumentException(error);

    // A boot bank boot plus one extra module holding the given files (a gzip'd visor-tar, like a bundle).
    private static QemuConfig WithFiles(BootModules modules, string memory, params (string Path, byte[] Data)[] files)
    {
        string module = modules.Add("big.v00", BootModules.Gzip(BootModules.VisorTar(files.Select(f => BootModules.File(f.Path, f.Data)).ToList())));
        return Guest.Config(BootKind.Direct) with { ExtraModules = [module], Memory = Memory(memory) };
    }

    // Text (ASCII, so a byte is a character on the way through the shell) of exactly `bytes` bytes.
    private static byte[] TextFile(int bytes)
    {
        var data = new byte[bytes];
        byte[] line = Encoding.ASCII.GetBytes("0123456789 the quick brown fox jumps over the lazy dog 0123456789\n");
        for (int i = 0; i < bytes; i++)
            data[i] = line[i % line.Length];
        return data;
    }

    // A tar holding 100 MB of zeros, gzip'd to about 100 KB.
    private static byte[] Bomb() => BootModules.Gzip(BootModules.VisorTar([BootModules.File("zeros", new byte[100 << 20])]));

    private sealed record GroupRow(long Min, long Max, long MemSize, long MemSizePeak);

    private static GroupRow Group(Guest guest, string memstats, string name)
    {
        foreach (string line in memstats.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length >= 12 && f[1] == name)
            {
                long N(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
                return new GroupRow(N(4), N(5), N(10), N(11));
            }
        }
        guest.Check(false, $"no row for {name} in memstats:\n{memstats}");
        return null!;
    }

    private static long LiveBytesAfterGc(Guest guest, string gc)
    {
        Match m = Regex.Match(gc, @"after:\s+\d+ objects, (\d+) bytes live");
        guest.Check(m.Success, $"no gc report:\n{gc}");
        return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static long FreeKb(Guest guest, string free)
    {
        Match m = Regex.Match(free, @"^Mem:\s+(\d+)\s+(\d+)\s+(\d+)", RegexOptions.Multiline);
        guest.Check(m.Success, $"no Mem: line in free:\n{free}");
        return long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
    }

    // The kernel's own commands must work whatever users did: the log, the group table, a listing, a file.
    private static async Task KernelCommandsStillWork(Guest guest)
    {
        string dmesg = await guest.RunAsync("dmesg");
        guest.Check(dmesg.Contains("Boot complete", StringComparison.Ordinal), $"dmesg:\n{dmesg}");
        string memstats = await guest.RunAsync("memstats -r group-stats");
        guest.Check(memstats.Contains(" system ", StringComparison.Ordinal), $"memstats:\n{memstats}");
        string ls = await guest.RunAsync("ls -l /etc");
        guest.Check(ls.Contains("motd", StringComparison.Ordinal), $"ls -l /etc:\n{ls}");
        guest.CheckNoPanic();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task KernelReservation_ThousandSleepersOn64MB_LeaveTheKernelItsMemory()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = Memory("64M") }, nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        string memstats = await guest.RunAsync("memstats -r group-stats");
        GroupRow system = Group(guest, memstats, "system");
        GroupRow user = Group(guest, memstats, "user");
        GroupRow shell = Group(guest, memstats, "shell");
        guest.Check(system.Min >= 7 * 1024 && system.Min <= 8 * 1024, $"host/system reserves an eighth of the memory (about 8 MiB):\n{memstats}");
        guest.Check(shell.Min == 4096, $"the shell's group reserves 4 MiB (its floor):\n{memstats}");
        guest.Check(user.Max > 0 && user.Max < 64 * 1024 - system.Min, $"host/user has a limit below the memory less the kernel's reservation:\n{memstats}");

        // Each sleeper's 68 KiB stack comes from host/user; a thousand are more than 64 MB can hold.
        int refused = 0;
        for (int i = 0; i < 1000; i++)
        {
            string output = await guest.RunAsync("run sleeper");
            if (!output.Contains("started world", StringComparison.Ordinal))
                refused++;
        }
        guest.Check(refused > 0, "every sleeper started: the test did not reach the limit");
        await KernelCommandsStillWork(guest);
        memstats = await guest.RunAsync("memstats -r group-stats");
        user = Group(guest, memstats, "user");
        guest.Check(user.MemSize <= user.Max, $"host/user went past its limit:\n{memstats}");
        string free = await guest.RunAsync("free");
        guest.Check(free.Contains("Heap:", StringComparison.Ordinal), $"free:\n{free}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task KernelReservation_Memhog507On512MB_MeetsHostUsersLimit_KernelKeepsWorking()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct), nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        int logStart = guest.Session.Length;
        // A user group with no limit of its own: host/user's limit (the memory less the kernel's reservations) binds.
        string hog = await guest.RunAsync("run memhog 507");
        guest.Check(hog.Contains("started world", StringComparison.Ordinal), $"run memhog: {hog}");
        await guest.ExpectAsync(new Regex(@"Out of memory in host/user(/run)?: killing world \d+ \(memhog"), TimeSpan.FromSeconds(120), logStart,
            "memhog killed at host/user's limit");
        await KernelCommandsStillWork(guest);
        string memstats = await guest.RunAsync("memstats -r group-stats");
        GroupRow user = Group(guest, memstats, "user");
        guest.Check(user.MemSizePeak <= user.Max && user.MemSize < 1024, $"host/user after memhog:\n{memstats}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Memstats_500TimesOn64MB_LeavesTheLiveHeapWhereItWas()
    {
        // It used to keep about 32 KiB per call (1,897 calls emptied a 64 MB machine's heap): 500 calls would add 16 MB.
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = Memory("64M") }, nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("memstats -r group-stats");
        long liveBefore = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        for (int i = 0; i < 500; i++)
        {
            string output = await guest.RunAsync("memstats -r group-stats");
            guest.Check(output.Contains(" system ", StringComparison.Ordinal), $"memstats #{i}:\n{output}");
        }
        long liveAfter = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        guest.Check(Math.Abs(liveAfter - liveBefore) < liveBefore / 100, $"500 memstats moved the live heap from {liveBefore} to {liveAfter} bytes");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Redirection_StreamsIntoTheFile_TheHeapNeverHoldsTheOutput()
    {
        using var modules = new BootModules();
        const int size = 8 << 20;
        await using var guest = await Guest.StartAsync(WithFiles(modules, "512M", ("opt/big/f", TextFile(size))), nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        long liveBefore = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        long peakBefore = Group(guest, await guest.RunAsync("memstats -r group-stats"), "system").MemSizePeak;

        string cat = await guest.RunAsync("cat /opt/big/f /opt/big/f > /tmp/y", TimeSpan.FromSeconds(120));
        guest.Check(cat.Trim().Length == 0, $"cat x x > y printed: {cat}");
        string ls = await guest.RunAsync("ls -l /tmp/y");
        guest.Check(ls.Contains($" {2L * size} ", StringComparison.Ordinal), $"/tmp/y is not twice the file:\n{ls}");
        string head = await guest.RunAsync("cat /opt/big/f > /tmp/z");
        guest.Check(head.Trim().Length == 0, $"cat F > D printed: {head}");
        ls = await guest.RunAsync("ls -l /tmp/z");
        guest.Check(ls.Contains($" {size} ", StringComparison.Ordinal), $"/tmp/z is not the file:\n{ls}");

        // The kernel heap (host/system) may grow by the collector's budget (8 MiB) before it collects, never by the
        // output: 16 MiB of it held as text, string and bytes took five times that.
        long peakAfter = Group(guest, await guest.RunAsync("memstats -r group-stats"), "system").MemSizePeak;
        guest.Check(peakAfter - peakBefore < 12 * 1024, $"host/system's peak grew from {peakBefore} to {peakAfter} KB");
        // What stays is the files' page tables, until the files go.
        await guest.RunAsync("rm /tmp/y /tmp/z");
        long liveAfter = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        guest.Check(Math.Abs(liveAfter - liveBefore) < 64 * 1024, $"the live heap moved from {liveBefore} to {liveAfter} bytes");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task GzipBomb_TarListFailsAlone_On64MB_AndLeavesNothingBehind()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithFiles(modules, "64M", ("opt/bomb.tgz", Bomb())), nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        long liveBefore = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        for (int i = 0; i < 4; i++)
        {
            // tar inflates up to 64 MB: on a 64 MB machine that request cannot be served, and only tar fails.
            string output = await guest.RunAsync("tar -tzf /opt/bomb.tgz", TimeSpan.FromSeconds(120));
            guest.Check(output.Contains("sh: tar: out of memory", StringComparison.Ordinal), $"tar of a bomb #{i}: {output}");
        }
        await KernelCommandsStillWork(guest);
        // tar failed while it held VisorFS's lock: the log writer (another world) still gets it and writes the log.
        string log = "";
        for (int i = 0; i < 10 && !log.Contains("'tar' failed: out of memory", StringComparison.Ordinal); i++)
        {
            await guest.RunAsync("sleep 1");
            log = await guest.RunAsync("cat /var/log/vmkernel.log");
        }
        guest.Check(log.Contains("'tar' failed: out of memory", StringComparison.Ordinal), $"the log writer did not write the failure:\n{log}");
        long liveAfter = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        guest.Check(Math.Abs(liveAfter - liveBefore) < 64 * 1024, $"the live heap moved from {liveBefore} to {liveAfter} bytes");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task OutOfMemory_NextToAMemhog_FailsTheCommandAlone_WithAMessage()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithFiles(modules, "64M", ("opt/bomb.tgz", Bomb())), nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        // memhog holds most of what host/user may have; the kernel keeps its reservation regardless.
        string hog = await guest.RunAsync("run memhog 40");
        guest.Check(hog.Contains("started world", StringComparison.Ordinal), $"run memhog: {hog}");
        await guest.ExpectAsync(new Regex(@"memhog: allocated 40 MB"), TimeSpan.FromSeconds(60), what: "memhog holding its memory");
        for (int i = 0; i < 3; i++)
        {
            string oom = await guest.RunAsync("tar -tzf /opt/bomb.tgz", TimeSpan.FromSeconds(120));
            guest.Check(oom.Contains("sh: tar: out of memory", StringComparison.Ordinal), $"tar of a bomb next to memhog #{i}: {oom}");
            await KernelCommandsStillWork(guest);
        }
        string ps = await guest.RunAsync("ps");
        guest.Check(ps.Contains("memhog", StringComparison.Ordinal), $"memhog was killed for the kernel's command:\n{ps}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Ramdisks_On64MB_FillUpToEnospcWithTheEvent_HostStaysUp()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(WithFiles(modules, "64M", ("opt/big/f", TextFile(4 << 20))), nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        string vdf = await guest.RunAsync("vdf");
        // Four default limits together fit what ramdisks can get (64 MB less the kernel's reservations).
        long limits = Regex.Matches(vdf, @"^(?:root|etc|var|tmp)\s+(\d+)", RegexOptions.Multiline).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        guest.Check(limits > 0 && limits <= (64 - 8 - 4) * 1024, $"the default ramdisks promise more than there is ({limits} KB):\n{vdf}");

        foreach (var (disk, file) in new[] { ("tmp", "/tmp/fill"), ("var", "/var/fill"), ("etc", "/etc/fill"), ("root", "/fill") })
        {
            int logStart = guest.Session.Length;
            bool full = false;
            for (int i = 0; i < 8 && !full; i++)
            {
                string output = await guest.RunAsync($"cat /opt/big/f >> {file}", TimeSpan.FromSeconds(120));
                full = output.Contains($"sh: can't create {file}: No space left on device", StringComparison.Ordinal);
                // (A full /var also makes the log writer report that vmkernel.log could not be written: a log
                // line, and the prompt drawn again after it, may land in the output.)
                guest.Check(full || !output.Contains("sh: ", StringComparison.Ordinal), $"append #{i} to {file}: {output}");
            }
            guest.Check(full, $"{file} never filled up");
            await guest.ExpectAsync(new Regex(Regex.Escape($"[esx.problem.visorfs.ramdisk.full] The ramdisk '{disk}' is full. As a result, the file {file} could not be written.")),
                TimeSpan.FromSeconds(10), logStart, $"the ramdisk-full event of {disk}");
            await KernelCommandsStillWork(guest);
        }
        // A pool the host cannot honour is refused up front.
        string tooBig = await guest.RunAsync("ramdisk add -M 60 -m 0 -n big -t /big -p 0755");
        guest.Check(tooBig.Contains("ramdisk: limit 60 MB is more than the host's memory", StringComparison.Ordinal), $"limit: {tooBig}");
        // (A limit the host could honour, but the filled ramdisks hold the memory such a reservation would need.)
        string reserved = await guest.RunAsync("ramdisk add -M 40 -m 40 -n big -t /big -p 0755");
        guest.Check(reserved.Contains("ramdisk: reservation 40 MB does not fit the host's unreserved memory", StringComparison.Ordinal), $"reservation: {reserved}");
        string list = await guest.RunAsync("ramdisk list");
        guest.Check(!list.Contains("big", StringComparison.Ordinal), $"a refused ramdisk exists:\n{list}");
        // Space comes back.
        await guest.RunAsync("rm /tmp/fill");
        string echo = await guest.RunAsync("echo fine > /tmp/after");
        guest.Check(echo.Trim().Length == 0, $"write after freeing space: {echo}");
        await KernelCommandsStillWork(guest);
        await guest.PowerOffAsync();
    }

    [Theory(Timeout = TestTimeoutMs)]
    [InlineData("48M", true)]
    [InlineData("47M", false)]
    public async Task MinimumMemory_TheStatedMinimumBoots_OneMiBLessIsRefused(string memory, bool boots)
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = Memory(memory) }, nameof(MemoryPressureTests), $"MinimumMemory_{memory}");
        if (boots)
        {
            await guest.ExpectPromptAsync();
            await KernelCommandsStillWork(guest);
            await guest.PowerOffAsync();
        }
        else
        {
            await guest.ExpectAsync(new Regex(Regex.Escape("@BlueScreen: not enough memory: vmk needs at least 48 MiB of RAM")), TimeSpan.FromSeconds(60),
                what: "the panic naming the minimum");
        }
    }

    // One round of the soak: file commands (a tree made, copied, moved, listed, removed; a file copied through a
    // redirection), group commands (add, set, list, remove) and process commands (a world started, listed, killed).
    // Everything it makes it removes.
    private static string[] SoakRound(int i) =>
    [
        $"mkdir -p /tmp/soak/d{i % 4}/sub",
        $"echo round {i} > /tmp/soak/d{i % 4}/sub/f",
        $"cp -r /tmp/soak/d{i % 4} /var/soak{i % 4}",
        $"mv /var/soak{i % 4} /tmp/soak/moved",
        "cat /etc/services > /tmp/soak/services",
        "ls -l /tmp/soak",
        "cat /tmp/soak/moved/sub/f",
        "rm -r /tmp/soak",
        $"group add host/user/soak{i % 3} --max 16",
        "memstats -r group-stats",
        $"run ++group=soak{i % 3} sleeper",
        "ps",
    ];

    [Fact(Timeout = TestTimeoutMs)]
    public async Task Soak_On64MB_CronEverySecond_AndAThousandMixedCommands_FreeMemoryAndLiveHeapReturn()
    {
        var config = Guest.Config(BootKind.Direct, "cronperiod=1") with { Memory = Memory("64M") };
        await using var guest = await Guest.StartAsync(config, nameof(MemoryPressureTests));
        await guest.ExpectPromptAsync();
        // Cron does real work every period: a job whose output is redirected into a file.
        await guest.RunAsync("echo \"* * * * * memstats -r group-stats > /tmp/cron.out\" >> /var/spool/cron/crontabs/root");
        int commands = 0;
        async Task Round(int i)
        {
            foreach (string command in SoakRound(i))
            {
                string output = await guest.RunAsync(command);
                commands++;
                guest.Check(!output.Contains("out of memory", StringComparison.Ordinal), $"round {i}: '{command}': {output}");
                if (command.StartsWith("run ", StringComparison.Ordinal))
                {
                    Match started = Regex.Match(output, @"started world (\d+)");
                    guest.Check(started.Success, $"round {i}: '{command}' did not start a world:\n{output}");
                    await guest.RunAsync($"kill {started.Groups[1].Value}");
                    commands++;
                }
            }
            await guest.RunAsync($"group rm host/user/soak{i % 3}");
            commands++;
        }

        // Warm-up: lists, the shell's history and the slabs reach their working size; cron has run.
        for (int i = 0; i < 12; i++)
            await Round(i);
        await guest.RunAsync("sleep 2");
        long liveStart = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        long freeStart = FreeKb(guest, await guest.RunAsync("free"));

        // Idle with cron running every second: nothing may pile up.
        await guest.RunAsync("sleep 15", TimeSpan.FromSeconds(60));
        long liveIdle = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        guest.Check(Math.Abs(liveIdle - liveStart) < liveStart / 100, $"15 idle cron periods moved the live heap from {liveStart} to {liveIdle} bytes");

        int warmup = commands;
        for (int i = 12; commands - warmup < 1000; i++)
            await Round(i);
        await guest.RunAsync("sleep 2");
        long liveEnd = LiveBytesAfterGc(guest, await guest.RunAsync("gc"));
        long freeEnd = FreeKb(guest, await guest.RunAsync("free"));
        string cronOut = await guest.RunAsync("cat /tmp/cron.out");
        guest.Check(cronOut.Contains(" system ", StringComparison.Ordinal), $"cron's job did not run:\n{cronOut}");
        guest.Check(Math.Abs(liveEnd - liveStart) < liveStart / 100, $"after {commands - warmup} commands the live heap moved from {liveStart} to {liveEnd} bytes");
        guest.Check(freeEnd >= freeStart - 256, $"after {commands - warmup} commands free memory went from {freeStart} to {freeEnd} KB");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
