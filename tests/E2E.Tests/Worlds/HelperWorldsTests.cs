// HelperWorldsTests.cs -- the helper worlds the product runs: the log writer keeps /var/log/vmkernel.log in the
// var ramdisk up to date, and cron runs the root crontab's due lines (with `cronperiod=2` a "minute" is 2 s).
using System.Text.RegularExpressions;
using Vmk.E2E.Tests.Infrastructure;
using Vmk.Iso.Runner;

namespace Vmk.E2E.Tests.Worlds;

[Collection(Collections.Direct)]
[Trait("Category", "QEMU")]
public sealed class HelperWorldsTests
{
    private const int TestTimeoutMs = 180_000;

    [Fact(Timeout = TestTimeoutMs)]
    public async Task LogWriterAndCron_RunAsHelperWorlds()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct, "cronperiod=2"), nameof(HelperWorldsTests));
        await guest.ExpectPromptAsync();
        string ps = await guest.RunAsync("ps");
        guest.Check(Regex.IsMatch(ps, @"helper\s+\S+\s+\d+\s+host/system/helpers\s+vmklogger"), $"no log writer world:\n{ps}");
        guest.Check(Regex.IsMatch(ps, @"helper\s+\S+\s+\d+\s+host/system/helpers\s+crond"), $"no cron world:\n{ps}");

        await guest.RunAsync("echo \"* * * * * uname -n\" > /var/spool/cron/crontabs/root");
        int start = guest.Session.Length;
        await guest.ExpectAsync(new Regex(@"crond: ran 'uname -n': status 0"), TimeSpan.FromSeconds(30), start, "cron running the crontab line");

        await guest.RunAsync("sleep 2", TimeSpan.FromSeconds(30));
        string log = await guest.RunAsync("cat /var/log/vmkernel.log");
        guest.Check(log.Contains("Init: Boot complete in", StringComparison.Ordinal), $"the boot lines are not in vmkernel.log:\n{log}");
        guest.Check(log.Contains("crond: ran 'uname -n'", StringComparison.Ordinal), $"recent lines are not in vmkernel.log:\n{log}");
        await guest.PowerOffAsync();
    }

    [Fact(Timeout = TestTimeoutMs)]
    public async Task CronAutoBackup_SavesOnlyWhenStickyStateChanged()
    {
        await using var guest = await Guest.StartAsync(Guest.Config(BootKind.Direct, "cronperiod=2"), nameof(HelperWorldsTests));
        await guest.ExpectPromptAsync();
        await guest.RunAsync("echo \"* * * * * /sbin/auto-backup.sh\" > /var/spool/cron/crontabs/root");
        int start = guest.Session.Length;
        await guest.ExpectAsync(new Regex(@"crond: auto-backup.sh: no changes since the last backup"), TimeSpan.FromSeconds(30), start,
            "cron's auto-backup.sh finding nothing to save");
        await guest.RunAsync("echo \"hostname = cron-test\" >> /etc/vmware/esx.conf");
        start = guest.Session.Length;
        // Only /etc's sticky files are state: the crontab written above is not saved.
        await guest.ExpectAsync(new Regex(@"backup.sh: saved 1 files to /bootbank/state.tgz"), TimeSpan.FromSeconds(30), start,
            "cron's auto-backup.sh saving the changed sticky file");
        string listing = await guest.RunAsync("tar -tzf /bootbank/state.tgz");
        guest.Check(listing.Contains("local.tgz", StringComparison.Ordinal), $"state.tgz does not hold local.tgz:\n{listing}");
        await guest.PowerOffAsync();
    }
}
