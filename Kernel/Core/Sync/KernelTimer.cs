// KernelTimer.cs -- one-shot callbacks after a delay: fired from the timer interrupt in deadline order (equal
// deadlines in the order they were armed), never before their deadline by the TSC. Callbacks run with interrupts
// off and must be short (set an event, wake a world).
using System.Collections.Generic;
using Kernel.Arch;
using Kernel.Time;

namespace Kernel.Sync
{
    public sealed unsafe class KernelTimer
    {
        private static readonly List<KernelTimer> s_armed = new List<KernelTimer>();
        private static ulong s_sequence;

        private readonly delegate*<object, void> _callback;
        private readonly object _argument;
        private ulong _deadline;
        private ulong _sequence;

        public KernelTimer(delegate*<object, void> callback, object argument)
        {
            _callback = callback;
            _argument = argument;
        }

        public bool IsArmed { get; private set; }
        /// <summary>The TSC value at or after which the timer fires.</summary>
        public ulong Deadline => _deadline;

        /// <summary>Arms the timer to fire after at least <paramref name="ticks"/> tick periods (TSC time).</summary>
        public void Start(ulong ticks)
        {
            ulong flags = SchedulerLock.Enter();
            if (IsArmed)
                s_armed.Remove(this);
            _deadline = Cpu.ReadTimestampCounter() + ticks * Clock.TscPerTick;
            _sequence = s_sequence++;
            int i = 0;
            while (i < s_armed.Count && (s_armed[i]._deadline < _deadline || (s_armed[i]._deadline == _deadline && s_armed[i]._sequence < _sequence)))
                i++;
            s_armed.Insert(i, this);
            IsArmed = true;
            SchedulerLock.Exit(flags);
        }

        public void Cancel()
        {
            ulong flags = SchedulerLock.Enter();
            if (IsArmed)
                s_armed.Remove(this);
            IsArmed = false;
            SchedulerLock.Exit(flags);
        }

        /// <summary>Called on every tick with the current TSC (interrupts off).</summary>
        internal static void FireDue(ulong now)
        {
            while (s_armed.Count > 0 && s_armed[0]._deadline <= now)
            {
                KernelTimer timer = s_armed[0];
                s_armed.RemoveAt(0);
                timer.IsArmed = false;
                timer._callback(timer._argument);
            }
        }
    }
}
