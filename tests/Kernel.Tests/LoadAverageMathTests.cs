// LoadAverageMathTests.cs -- the load average arithmetic against Linux's own numbers: the decay constants are
// 2048 * e^(-5/60 s, -5/300 s, -5/900 s), a constant run queue is approached from below at the exponential rate
// (within the fixed point's rounding), an idle system decays to zero, and /proc/loadavg's hundredths round as
// Linux's LOAD_INT/LOAD_FRAC do.
using Kernel.Worlds;
using Xunit;

namespace Kernel.Tests;

public sealed class LoadAverageMathTests
{
    [Theory]
    [InlineData(LoadAverageMath.Exp1, 60)]
    [InlineData(LoadAverageMath.Exp5, 300)]
    [InlineData(LoadAverageMath.Exp15, 900)]
    public void DecayFactors_AreLinuxs(ulong factor, int seconds)
    {
        Assert.Equal(Math.Round(2048 * Math.Exp(-5.0 / seconds)), factor);
    }

    [Fact]
    public void ConstantRunQueue_IsApproachedExponentially()
    {
        var loads = new LoadAverageMath();
        for (int sample = 1; sample <= 120; sample++)   // 10 minutes of two runnable worlds
        {
            loads.Sample(2);
            double expected1 = 2 * (1 - Math.Pow(1884.0 / 2048, sample));
            double expected5 = 2 * (1 - Math.Pow(2014.0 / 2048, sample));
            Assert.InRange(loads.Load1 / 2048.0, expected1 - 0.01, expected1 + 0.01);
            Assert.InRange(loads.Load5 / 2048.0, expected5 - 0.04, expected5 + 0.04);
        }
        Assert.True(loads.Load1 >= loads.Load5 && loads.Load5 >= loads.Load15, "faster averages rise first");
        Assert.InRange(LoadAverageMath.Hundredths(loads.Load1), 198UL, 200UL);
    }

    [Fact]
    public void IdleSystem_DecaysToZero()
    {
        var loads = new LoadAverageMath { Load1 = 3 * 2048, Load5 = 3 * 2048, Load15 = 3 * 2048 };
        for (int sample = 0; sample < 2000; sample++)
            loads.Sample(0);
        Assert.Equal(0UL, loads.Load1);
        Assert.Equal(0UL, loads.Load5);
        Assert.Equal(0UL, loads.Load15);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2048UL, 100UL)]
    [InlineData(1024UL, 50UL)]
    [InlineData(3 * 2048UL + 2047UL, 400UL)]   // 3.9995: LOAD_INT 4 after + FIXED_1/200
    [InlineData(20UL, 1UL)]                    // 0.0098 rounds to 0.01 as Linux prints it
    public void Hundredths_RoundAsProcLoadavg(ulong load, ulong hundredths)
    {
        Assert.Equal(hundredths, LoadAverageMath.Hundredths(load));
    }
}
