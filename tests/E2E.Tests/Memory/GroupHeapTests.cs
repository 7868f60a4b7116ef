// GroupHeapTests.cs -- `new` is charged to the resource group of the world that allocates (issue 9's "heap memory is
// charged to the resource group of the world that allocated it"): a world fills its group's heap, not the kernel's;
// at the group's limit a user group's world meets the memory policy (admission failure, the largest world killed)
// and any other world's `new` throws OutOfMemoryException, while the host goes on; when the world dies the group
// holds nothing and the collector gives the memory back.
using System.Globalization;
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Memory;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class GroupHeapTests
{
    private const int TestTimeoutMs = 600_000;

    private sealed record GroupRow(long MemSize, long MemSizePeak, long HeapSize);

    // A group's row of `memstats -r group-stats` (KB), or null when the group is not listed.
    private static GroupRow? Row(string memstats, string name)
    {
        foreach (string line in memstats.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 13 && f[1] == name)
            {
                long N(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
                return new GroupRow(N(10), N(11), N(12));
            }
        }
        return null;
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task New_IsChargedToTheWorldsGroup_FailsAtItsLimit_AndComesBackWhenTheWorldDies()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct) with { Memory = new MemorySize(256L << 20) }, nameof(GroupHeapTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("gc");
        string baseline = await guest.RunAsync("memstats -r group-stats");
        GroupRow system0 = Row(baseline, "system")!;

        // In a user group the memory policy answers the refusal as it does for pages: ESXi's admission failure, and
        // the group's largest world dies.
        int logStart = guest.Session.Length;
        string started = await guest.RunAsync("run ++group=nh,max=24 newhog 64");
        guest.Check(started.Contains("started world", StringComparison.Ordinal), $"run newhog: {started}");
        await guest.ExpectAsync(new Regex(@"Admission failure in path: host/user/nh:newhog\.\d+"), TimeSpan.FromSeconds(60), logStart, "newhog's `new` refused at its group's 24 MB limit");
        await guest.ExpectAsync(new Regex(@"Out of memory in host/user/nh: killing world \d+ \(newhog"), TimeSpan.FromSeconds(30), logStart, "the memory policy's kill");
        await guest.RunAsync("sleep 1");
        string killed = await guest.RunAsync("memstats -r group-stats");
        GroupRow nh = Row(killed, "nh")!;
        guest.Check(nh.MemSizePeak >= 16 * 1024 && nh.MemSizePeak <= 24 * 1024, $"the arrays were not charged to host/user/nh (peak):\n{killed}");
        guest.Check(nh.MemSize == 0, $"the dead world's group still holds memory:\n{killed}");
        string ls = await guest.RunAsync("ls /etc");
        guest.Check(ls.Contains("vmware", StringComparison.Ordinal), $"ls /etc after the kill: {ls}");
        await guest.RunAsync("gc");
        string collected = await guest.RunAsync("memstats -r group-stats");
        guest.Check(Row(collected, "system")!.MemSize - system0.MemSize < 4 * 1024, $"the arrays did not come back after gc:\n{baseline}\n{collected}");
        guest.Check((await guest.RunAsync("group rm user/nh")).Trim().Length == 0, "group rm of the emptied group failed");
        guest.Check(Row(await guest.RunAsync("memstats -r group-stats"), "nh") == null, "host/user/nh is still listed");

        // Outside host/user nobody is killed: the world's `new` throws OutOfMemoryException, which it catches.
        logStart = guest.Session.Length;
        await guest.RunAsync("run ++group=host/vim/nv,max=16 newhog 64");
        Match refused = await guest.ExpectAsync(new Regex(@"newhog: out of memory after (\d+) MB of 64 MB in host/vim/nv"), TimeSpan.FromSeconds(60), logStart,
            "newhog's OutOfMemoryException at host/vim/nv's 16 MB limit");
        int got = int.Parse(refused.Groups[1].Value, CultureInfo.InvariantCulture);
        guest.Check(got is >= 8 and < 16, $"newhog got {got} MB under a 16 MB limit");

        // Within its limit the workload gets everything it asks for, and it is its group's memory, not the kernel's.
        logStart = guest.Session.Length;
        await guest.RunAsync("run ++group=nh2,max=24 newhog 8");
        await guest.ExpectAsync(new Regex(@"newhog: allocated 8 MB of 8 MB in host/user/nh2"), TimeSpan.FromSeconds(60), logStart, "newhog 8 within 24 MB");
        string held = await guest.RunAsync("memstats -r group-stats");
        guest.Check(Row(held, "nh2")!.HeapSize >= 8 * 1024, $"the arrays are not host/user/nh2's heap:\n{held}");
        guest.Check(Row(held, "system")!.HeapSize - system0.HeapSize < 4 * 1024, $"the arrays were charged to host/system:\n{baseline}\n{held}");
        guest.CheckNoPanic();
        await guest.PowerOffAsync();
    }
}
