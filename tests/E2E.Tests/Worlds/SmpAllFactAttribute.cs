// SmpAllFactAttribute.cs -- the tests of worlds on every CPU (kernel option smp=all) run only when asked for with
// VMK_E2E_SMP_ALL=1. The option is off by default because a run sometimes hangs with it (issue 13, docs/Smp.md); the
// default suite, which CI runs, stays on what ships enabled. Skipped tests say why in the test report.
namespace Vmk.E2E.Tests.Worlds;

public sealed class SmpAllFactAttribute : FactAttribute
{
    public SmpAllFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("VMK_E2E_SMP_ALL") != "1")
            Skip = "smp=all (worlds on every CPU) is off by default while a run sometimes hangs; VMK_E2E_SMP_ALL=1 runs these";
    }
}

public sealed class SmpAllTheoryAttribute : TheoryAttribute
{
    public SmpAllTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("VMK_E2E_SMP_ALL") != "1")
            Skip = "smp=all (worlds on every CPU) is off by default while a run sometimes hangs; VMK_E2E_SMP_ALL=1 runs these";
    }
}
