// CivilTimeTests.cs -- Unix time <-> calendar fields (Kernel/Core/Time/CivilTime.cs), differential against
// DateTimeOffset over its whole range (years 1..9999), plus round trips far outside it.
using CsCheck;
using Kernel.Time;

namespace Kernel.Tests;

public class CivilTimeTests
{
    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static void AssertMatches(long ms)
    {
        CivilTime t = CivilTime.FromUnixMilliseconds(ms);
        DateTimeOffset d = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        Assert.Equal((d.Year, d.Month, d.Day, d.Hour, d.Minute, d.Second, d.Millisecond),
            (t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond));
        Assert.Equal(Math.Floor(ms / 1000.0), CivilTime.ToUnixSeconds(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second));
    }

    [Theory]
    [InlineData(0L)]                          // 1970-01-01T00:00:00.000
    [InlineData(-1L)]                         // 1969-12-31T23:59:59.999
    [InlineData(-999L)]
    [InlineData(-1000L)]
    [InlineData(-1001L)]
    [InlineData(-86_400_000L)]
    [InlineData(-86_400_001L)]
    [InlineData(951_782_400_000L)]            // 2000-02-29 (divisible by 400: leap)
    [InlineData(951_868_800_000L)]            // 2000-03-01
    [InlineData(-2_203_891_200_000L)]         // 1900-03-01 (divisible by 100: not leap)
    [InlineData(1_709_164_800_000L)]          // 2024-02-29
    [InlineData(4_107_542_400_000L)]          // 2100-03-01 (not leap)
    [InlineData(253_402_300_799_999L)]        // 9999-12-31T23:59:59.999
    [InlineData(-62_135_596_800_000L)]        // 0001-01-01
    public void Known_instants_match_DateTimeOffset(long ms) => AssertMatches(ms);

    [Fact]
    public void Random_instants_match_DateTimeOffset()
        => Gen.Long[MinMs, MaxMs].Sample(AssertMatches, iter: 20000);

    [Fact]
    public void Random_instants_near_1970_match_DateTimeOffset()
        => Gen.Long[-100L * 86_400_000, 100L * 86_400_000].Sample(AssertMatches, iter: 5000);

    [Fact]
    public void Days_from_civil_matches_DateOnly_for_every_day_of_leap_and_common_years()
    {
        var epoch = new DateOnly(1970, 1, 1);
        foreach (int year in new[] { 1, 4, 100, 400, 1600, 1900, 1969, 1970, 1972, 2000, 2023, 2024, 2100, 9999 })
        {
            for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            {
                Assert.Equal(d.DayNumber - epoch.DayNumber, CivilTime.DaysFromCivil(d.Year, d.Month, d.Day));
                if (d == DateOnly.MaxValue)
                    break;
            }
        }
    }

    [Fact]
    public void Round_trip_beyond_DateTimeOffset_including_negative_years()
    {
        Gen.Select(Gen.Int[-200_000, 200_000], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 23], Gen.Int[0, 59], Gen.Int[0, 59])
            .Sample((y, mo, d, h, mi, s) =>
            {
                long seconds = CivilTime.ToUnixSeconds(y, mo, d, h, mi, s);
                CivilTime t = CivilTime.FromUnixMilliseconds(seconds * 1000 + 123);
                Assert.Equal((y, mo, d, h, mi, s, 123), (t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, t.Millisecond));
            }, iter: 20000);
    }

    [Fact]
    public void Consecutive_days_are_one_day_apart_across_month_and_year_ends()
    {
        Gen.Int[-1_000_000, 1_000_000].Sample(day =>
        {
            CivilTime a = CivilTime.FromUnixMilliseconds(day * 86_400_000L);
            CivilTime b = CivilTime.FromUnixMilliseconds((day + 1) * 86_400_000L);
            Assert.Equal(1, CivilTime.DaysFromCivil(b.Year, b.Month, b.Day) - CivilTime.DaysFromCivil(a.Year, a.Month, a.Day));
            Assert.InRange(a.Month, 1, 12);
            Assert.InRange(a.Day, 1, 31);
        }, iter: 5000);
    }
}
