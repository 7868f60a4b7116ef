// TimerTests.cs -- the periodic timer ticks, uptime is monotonic, and TSC time agrees with the tick count.
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Time;

namespace Kernel.SelfTest.Tests
{
    internal static class TimerTests
    {
        public static void AddTo(List<SelfTest> tests) => tests.Add(new TickTest());

        private sealed class TickTest : SelfTest
        {
            public override string Name => "time: timer ticks and uptime";

            public override void Run(SelfTestContext t)
            {
                t.Check(Clock.TscHz > 1000000, "TSC calibrated above 1 MHz");
                ulong ticks0 = Clock.Ticks;
                ulong us0 = Clock.UptimeMicroseconds;
                ulong previous = us0;
                bool monotonic = true;
                while (Clock.Ticks < ticks0 + 20)
                {
                    Cpu.EnableInterruptsAndHalt();
                    ulong now = Clock.UptimeMicroseconds;
                    monotonic &= now >= previous;
                    previous = now;
                }
                t.Check(monotonic, "uptime never goes backwards");
                ulong elapsedUs = Clock.UptimeMicroseconds - us0;
                ulong expectedUs = 20UL * 1000000 / Clock.TickHz;
                t.Check(elapsedUs + expectedUs / 2 >= expectedUs && elapsedUs <= expectedUs * 3, string.Concat("20 ticks took ", elapsedUs.ToString(), " us of TSC time"));
            }
        }
    }
}
