// CronTabTests.cs -- the crontab parser and matcher: ESXi's hourly backup line, lists, ranges, steps, the
// day-of-month/day-of-week rule, comments, and malformed lines reported while the rest still parses.
using Kernel.Services;

namespace Kernel.Tests;

public class CronTabTests
{
    [Fact]
    public void EsxiHourlyBackupLineRunsAtMinuteOneOfEveryHour()
    {
        var table = CronTab.Parse("#min hour day mon dow command\n1    *    *   *   *   /sbin/auto-backup.sh\n");
        Assert.Equal(1, table.Count);
        Assert.Equal(0, table.ErrorCount);
        CronEntry e = table[0];
        Assert.Equal("/sbin/auto-backup.sh", e.Command);
        Assert.True(e.IsDue(1, 0, 1, 1, 4));
        Assert.True(e.IsDue(1, 23, 31, 12, 0));
        Assert.False(e.IsDue(0, 5, 1, 1, 4));
        Assert.False(e.IsDue(2, 5, 1, 1, 4));
    }

    [Theory]
    [InlineData("*/15 * * * * x", 0, true)]
    [InlineData("*/15 * * * * x", 45, true)]
    [InlineData("*/15 * * * * x", 44, false)]
    [InlineData("5-10/2 * * * * x", 7, true)]
    [InlineData("5-10/2 * * * * x", 8, false)]
    [InlineData("1,30,59 * * * * x", 30, true)]
    [InlineData("1,30,59 * * * * x", 31, false)]
    [InlineData("3/20 * * * * x", 43, true)]
    public void MinuteFieldForms(string line, int minute, bool due)
    {
        CronEntry e = CronTab.ParseLine(line, out string problem);
        Assert.NotNull(e);
        Assert.Null(problem);
        Assert.Equal(due, e.IsDue(minute, 0, 1, 1, 1));
    }

    [Fact]
    public void RestrictedDayOfMonthOrDayOfWeekEitherMatches()
    {
        CronEntry e = CronTab.ParseLine("0 12 13 * 5 friday-or-13th", out _);
        Assert.True(e.IsDue(0, 12, 13, 6, 2));    // the 13th, a Tuesday
        Assert.True(e.IsDue(0, 12, 10, 6, 5));    // a Friday, the 10th
        Assert.False(e.IsDue(0, 12, 10, 6, 2));
        CronEntry sunday = CronTab.ParseLine("0 0 * * 7 weekly", out _);
        Assert.True(sunday.IsDue(0, 0, 3, 3, 0));
        Assert.False(sunday.IsDue(0, 0, 3, 3, 1));
    }

    [Theory]
    [InlineData("60 * * * * x")]
    [InlineData("* 24 * * * x")]
    [InlineData("* * 0 * * x")]
    [InlineData("* * * 13 * x")]
    [InlineData("* * * * 8 x")]
    [InlineData("5-1 * * * * x")]
    [InlineData("*/0 * * * * x")]
    [InlineData("a * * * * x")]
    [InlineData("* * * * *")]
    [InlineData("* * *")]
    public void MalformedLinesAreRejected(string line)
    {
        Assert.Null(CronTab.ParseLine(line, out string problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void ABadLineIsReportedAndTheOthersStillParse()
    {
        var table = CronTab.Parse("* * * * * one\nnot a cron line\n\n  # comment\n*/2 * * * * two");
        Assert.Equal(2, table.Count);
        Assert.Equal(1, table.ErrorCount);
        Assert.StartsWith("line 2:", table.Error(0));
        Assert.Equal("two", table[1].Command);
    }
}
