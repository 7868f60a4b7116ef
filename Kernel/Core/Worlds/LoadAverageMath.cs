// LoadAverageMath.cs -- Linux's load average arithmetic (kernel/sched/loadavg.c), pure so the host tests it: three
// exponentially decayed averages in 11-bit fixed point, folded every 5 seconds with the decay factors 1884, 2014
// and 2037 (2048 * e^(-5/60), e^(-5/300), e^(-5/900)), and /proc/loadavg's rounding to hundredths.
namespace Kernel.Worlds
{
    public struct LoadAverageMath
    {
        public const int FShift = 11;
        public const ulong Fixed1 = 1UL << FShift;
        public const ulong Exp1 = 1884, Exp5 = 2014, Exp15 = 2037;

        public ulong Load1, Load5, Load15;

        /// <summary>One 5-second sample with <paramref name="runnable"/> worlds running or ready.</summary>
        public void Sample(int runnable)
        {
            ulong active = (ulong)runnable * Fixed1;
            Load1 = Decay(Load1, Exp1, active);
            Load5 = Decay(Load5, Exp5, active);
            Load15 = Decay(Load15, Exp15, active);
        }

        /// <summary>calc_load: one step of the decay towards <paramref name="active"/> (fixed point).</summary>
        public static ulong Decay(ulong load, ulong exp, ulong active)
        {
            ulong next = load * exp + active * (Fixed1 - exp);
            if (active >= load)
                next += Fixed1 - 1;   // round up while rising, as Linux does
            return next / Fixed1;
        }

        /// <summary>A fixed-point load in hundredths as /proc/loadavg prints it (LOAD_INT/LOAD_FRAC after + FIXED_1/200).</summary>
        public static ulong Hundredths(ulong load)
        {
            ulong a = load + Fixed1 / 200;
            return (a >> FShift) * 100 + (((a & (Fixed1 - 1)) * 100) >> FShift);
        }
    }
}
