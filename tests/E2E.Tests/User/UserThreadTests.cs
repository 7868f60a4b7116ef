// UserThreadTests.cs -- issue 11's threads and futexes: UserPrograms/threads.c (glibc's pthreads, static and
// static-PIE; written against Linux and passing there) runs in the guest -- a mutex-guarded counter over 8 threads,
// a condition variable ping-pong, thread exit against exit_group, the main thread's pthread_exit, a faulting thread
// killing its process, and futex's own results (EAGAIN, ETIMEDOUT on the three clocks, the bitset, EINTR).
using Vmk.E2E.Tests.Infrastructure;
using Vmk.E2E.Tests.VisorFs;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.User;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class UserThreadTests
{
    private const int TestTimeoutMs = 300_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task PthreadsAndFutexes_BehaveAsOnLinux()
    {
        using var modules = new BootModules();
        await using var guest = await Guest.StartAsync(UserImage.Config(modules, "user.v00", UserImage.Programs("threads", "threads-pie")), nameof(UserThreadTests));
        await guest.ExpectPromptAsync();
        foreach (string program in new[] { "/bin/threads", "/bin/threads-pie" })
        {
            string output = await guest.RunAsync(program, TimeSpan.FromSeconds(180));
            guest.Check(!output.Contains("FAIL", StringComparison.Ordinal), $"{program}:\n{output}");
            guest.Check(output.Contains("threads: all passed", StringComparison.Ordinal) && !output.Contains(": exit status", StringComparison.Ordinal), $"{program}:\n{output}");
            guest.Check(output.Contains("threads: the last thread ran after main's pthread_exit", StringComparison.Ordinal), $"{program}:\n{output}");
        }
        // Every thread and process has ended and been reaped: none is left in the world list, and no futex waiter.
        string ps = await guest.RunAsync("ps");
        guest.Check(!ps.Contains("threads", StringComparison.Ordinal), $"leftover threads:\n{ps}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
