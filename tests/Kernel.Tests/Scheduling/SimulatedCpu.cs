// SimulatedCpu.cs -- one CPU driven the way Kernel/Core/Worlds/Scheduler.cs drives it (timer tick every millisecond,
// preemption on the way out of an interrupt, a world that blocks gives up the CPU at once), with every decision
// taken by the shipped CpuSharePolicy. Time is in microseconds: one "TSC cycle" per microsecond.
#nullable enable
using Kernel.Resources;
using Kernel.Worlds;

namespace Kernel.Tests.Scheduling;

/// <summary>A simulated world: a spinner always wants the CPU; an interactive world sleeps, wakes, needs a short
/// burst of CPU, and sleeps again (the shell answering a keystroke).</summary>
public sealed class SimWorld : CpuClient
{
    public SimWorld(string name, ResourceGroup group)
    {
        Name = name;
        Group = group;
    }

    public string Name { get; }

    /// <summary>Null for a spinner; otherwise the microseconds of CPU each wake-up needs.</summary>
    public long? BurstMicroseconds { get; init; }

    /// <summary>For an interactive world: the sleep after each burst.</summary>
    public long SleepMicroseconds { get; init; }

    /// <summary>For any world: sleeps until this time before it first wants the CPU.</summary>
    public long FirstWakeMicroseconds { get; init; }

    public long RunMicroseconds { get; internal set; }
    public long BurstsDone { get; internal set; }
    public long WorstWakeLatency { get; internal set; }

    internal long BurstLeft;
    internal long WakeAt;
    internal long ReadySince = -1;
    internal bool Asleep;
}

public sealed class SimulatedCpu
{
    public const long TickMicroseconds = 1000;
    public const ulong SliceTicks = 10;
    public const long PeriodMicroseconds = 100_000;

    private readonly ResourceGroupTree _groups;
    private readonly CpuSharePolicy _policy = new((ulong)PeriodMicroseconds, SliceTicks * TickMicroseconds);
    private readonly List<SimWorld> _ready = [];
    private readonly List<SimWorld> _worlds = [];
    private SimWorld? _current;
    private long _now;
    private long _lastStart;
    private long _periodStart;
    private ulong _sliceStartTick;
    private bool _needResched;

    public SimulatedCpu(ResourceGroupTree groups) => _groups = groups;

    /// <summary>A policy change made inside the scheduler (a test removing the wake-up clamp) is a different
    /// policy; this hook lets a test prove the checks notice.</summary>
    public bool ClampOnWake { get; init; } = true;

    public long Now => _now;



    public void Add(SimWorld world)
    {
        _worlds.Add(world);
        world.BurstLeft = world.BurstMicroseconds ?? 0;
        if (world.FirstWakeMicroseconds > 0)
        {
            world.Asleep = true;
            world.WakeAt = world.FirstWakeMicroseconds;
        }
        else
        {
            MakeReady(world);
        }
    }

    /// <summary>Runs the machine until <paramref name="until"/> microseconds.</summary>
    public void Run(long until)
    {
        if (_current == null && !_needResched)
            Schedule();
        while (_now < until)
        {
            long nextTick = (_now / TickMicroseconds + 1) * TickMicroseconds;
            long next = Math.Min(nextTick, until);
            if (_current?.BurstMicroseconds != null)
                next = Math.Min(next, _now + (_current.BurstLeft - (_now - _lastStart)));
            foreach (SimWorld w in _worlds)
                if (w.Asleep)
                    next = Math.Min(next, Math.Max(w.WakeAt, _now));
            _now = next;

            if (_current?.BurstMicroseconds != null && _now - _lastStart >= _current.BurstLeft)
            {
                // The burst is done: the world blocks (sleeps) and gives up the CPU, as Scheduler.Sleep does.
                SimWorld done = _current;
                Account();
                done.BurstsDone++;
                done.BurstLeft = done.BurstMicroseconds!.Value;
                done.Asleep = true;
                done.WakeAt = _now + done.SleepMicroseconds;
                Schedule();
                continue;
            }
            // A device interrupt wakes sleepers (MakeReady), then the exit hook reschedules if asked to.
            foreach (SimWorld w in _worlds)
            {
                if (w.Asleep && w.WakeAt <= _now)
                {
                    w.Asleep = false;
                    MakeReady(w);
                }
            }
            if (_now == nextTick)
                OnTick((ulong)(_now / TickMicroseconds));
            if (_needResched)
                Schedule();
        }
        Account();
    }

    private void MakeReady(SimWorld world)
    {
        if (ClampOnWake)
            _policy.OnReady(world.Group, _ready, _current?.Group);
        world.ReadySince = _now;
        _ready.Add(world);
        if (_current == null)
            _needResched = true;
    }

    private void Account()
    {
        if (_current != null)
        {
            long delta = _now - _lastStart;
            _policy.Charge(_current.Group, (ulong)delta);
            _current.RunMicroseconds += delta;
            if (_current.BurstMicroseconds != null)
                _current.BurstLeft -= delta;
        }
        _lastStart = _now;
    }

    private void Schedule()
    {
        Account();
        if (_current != null && !_current.Asleep)
            _ready.Add(_current);
        int best = _policy.Pick(_ready, (ulong)_now);
        _current = best < 0 ? null : _ready[best];
        if (best >= 0)
            _ready.RemoveAt(best);
        if (_current != null && _current.ReadySince >= 0)
        {
            _current.WorstWakeLatency = Math.Max(_current.WorstWakeLatency, _now - _current.ReadySince);
            _current.ReadySince = -1;
        }
        _needResched = false;
        _sliceStartTick = (ulong)(_now / TickMicroseconds);
    }

    private void OnTick(ulong tick)
    {
        if (_now - _periodStart >= PeriodMicroseconds)
        {
            _periodStart = _now;
            if (_policy.StartPeriod(_groups, (ulong)_now))
                _needResched = true;
        }
        Account();
        ResourceGroup group = _current?.Group ?? _groups.Root;
        if (CpuSharePolicy.ShouldPreempt(group, _current == null, tick - _sliceStartTick, SliceTicks, _ready.Count > 0))
            _needResched = true;
    }
}
